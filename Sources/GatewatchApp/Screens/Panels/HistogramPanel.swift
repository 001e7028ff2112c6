import GatewatchCore
import GatewatchUI

/// Score distributions of champion and challenger side by side, one row per score bucket (or per run of whole
/// adjacent buckets when the rows are fewer), each row labelled with its exact bounds, the review and block
/// thresholds marked on the row that holds them, each bar's share printed beside it, and PSI, KS and JS above.
enum HistogramPanel {
    /// One row: buckets `first...last` merged, covering scores in `[low, high)`.
    struct Band: Equatable {
        var low: Double
        var high: Double
        var first: Int
        var last: Int

        /// `R`, `B` or `*` (both) when a threshold lies in `[low, high)` (the top row also holds a threshold of 1).
        func marker(_ thresholds: ScoreThresholds, top: Bool) -> String {
            func holds(_ t: Double) -> Bool { t >= low && (t < high || (top && t <= high)) }
            switch (holds(thresholds.review), holds(thresholds.block)) {
            case (true, true): return "*"
            case (true, false): return "R"
            case (false, true): return "B"
            default: return " "
            }
        }
    }

    /// The rows for `bounds` (bucket upper bounds, the last possibly +Inf) in at most `rows` rows: runs of
    /// `ceil(buckets / rows)` whole buckets, so every row's bounds are bucket bounds and no bucket is split.
    static func bands(bounds: [Double], rows: Int) -> [Band] {
        guard !bounds.isEmpty, rows > 0 else { return [] }
        var per = (bounds.count + rows - 1) / rows
        // Equal runs when a run length dividing the buckets keeps more than two thirds of the rows.
        if let even = (per...bounds.count).first(where: { bounds.count % $0 == 0 }), (bounds.count / even) * 3 > rows * 2 {
            per = even
        }
        var out: [Band] = []
        var first = 0
        while first < bounds.count {
            let last = min(bounds.count - 1, first + per - 1)
            let low = first == 0 ? 0 : bounds[first - 1]
            let high = bounds[last].isFinite ? bounds[last] : max(1, low)
            out.append(Band(low: low, high: high, first: first, last: last))
            first = last + 1
        }
        return out
    }

    /// The share of all counts in each band.
    static func shares(_ counts: [Double], bands: [Band]) -> [Double] {
        let total = counts.reduce(0, +)
        guard total > 0 else { return bands.map { _ in 0 } }
        return bands.map { b in (b.first...b.last).reduce(0.0) { $0 + ($1 < counts.count ? counts[$1] : 0) } / total }
    }

    /// Bounds with as many decimals as the buckets need (`0.85`, `0.125`), at least two.
    static func decimals(_ bounds: [Double]) -> Int {
        for d in 2...4 {
            let scale = pow10(d)
            if bounds.allSatisfy({ !$0.isFinite || abs(($0 * scale).rounded() - $0 * scale) < 1e-6 }) { return d }
        }
        return 4
    }

    static func pow10(_ d: Int) -> Double { (0..<d).reduce(1.0) { r, _ in r * 10 } }

    static func draw(into canvas: inout Canvas, rect: Rect, comparison: SegmentComparison?, thresholds: ScoreThresholds,
                     title: String, focused: Bool, context: RenderContext) {
        let theme = context.theme, glyphs = context.glyphs
        let inner = Box.draw(into: &canvas, rect: rect, title: title, theme: theme, glyphs: glyphs, focused: focused)
        guard !inner.isEmpty else { return }
        guard let c = comparison, c.championScores.reduce(0, +) > 0 || c.challengerScores.reduce(0, +) > 0, !c.scoreBounds.isEmpty else {
            canvas.write("No score data yet.", x: inner.x + 1, y: inner.y, style: theme.style("text.dim"))
            return
        }
        var y = inner.y
        if let d = c.drift {
            let level = d.psi > 0.2 ? "significant" : (d.psi > 0.1 ? "moderate" : "stable")
            // Each statistic whole or not at all (PSI, the one the drift level is of, always).
            var line = "PSI \(NumberText.fixed(d.psi, decimals: 3)) (\(level))"
            for part in ["KS D \(NumberText.fixed(d.ks.d, decimals: 3)) p \(pText(d.ks.pValue))", "JS \(NumberText.fixed(d.js, decimals: 3))"]
            where DisplayWidth.of(line + "  " + part) <= inner.width - 1 { line += "  " + part }
            canvas.writeTruncated(line, x: inner.x + 1, y: y, style: theme.style(d.psi > 0.2 ? "warning" : "text"), maxWidth: inner.width - 1)
            y += 1
        }
        guard y < inner.maxY else { return }
        // Row labels are exact bucket bounds: `0.80–0.85`.
        let places = decimals(c.scoreBounds)
        let labelWidth = 2 * (places + 2) + 1
        let showShares = inner.width >= labelWidth + 2 + 2 * 12
        let shareWidth = showShares ? 7 : 0
        let barWidth = max(3, (inner.width - labelWidth - 5 - 2 * shareWidth) / 2)
        let championX = inner.x + labelWidth + 4
        let challengerX = championX + barWidth + shareWidth + 1
        // Rows first; the legend line only when every bucket already has its row.
        let room = inner.maxY - y - 1
        guard room > 0 else { return }
        let legend = room > c.scoreBounds.count
        let bands = bands(bounds: c.scoreBounds, rows: min(room - (legend ? 1 : 0), 24))
        let champion = shares(c.championScores, bands: bands)
        let challenger = shares(c.challengerScores, bands: bands)
        let top = max(champion.max() ?? 0, challenger.max() ?? 0, 1e-9)
        canvas.write("score", x: inner.x + 1, y: y, style: theme.style("text.dim"))
        canvas.write("champion", x: championX, y: y, style: theme.style("histogram.champion"), maxWidth: barWidth + shareWidth)
        canvas.write("challenger", x: challengerX, y: y, style: theme.style("histogram.challenger"), maxWidth: barWidth + shareWidth)
        y += 1
        for (i, band) in bands.reversed().enumerated() where y + i < inner.maxY {
            let index = bands.count - 1 - i
            let marker = band.marker(thresholds, top: index == bands.count - 1)
            let label = "\(NumberText.fixed(band.low, decimals: places))–\(NumberText.fixed(band.high, decimals: places))"
            canvas.write(label, x: inner.x + 1, y: y + i, style: theme.style(marker == " " ? "text.dim" : "warning"))
            canvas.write(marker, x: inner.x + 2 + labelWidth, y: y + i, style: theme.style("warning"))
            for (x, share, role) in [(championX, champion[index], "histogram.champion"), (challengerX, challenger[index], "histogram.challenger")] {
                canvas.write(HorizontalBar.render(fraction: share / top, width: barWidth, glyphs: glyphs), x: x, y: y + i, style: theme.style(role))
                if showShares {
                    canvas.write(DisplayWidth.pad(NumberText.percent(share, decimals: 1), toWidth: shareWidth - 1, alignRight: true),
                                 x: x + barWidth + 1, y: y + i, style: theme.style("text.dim"))
                }
            }
        }
        let legendY = y + bands.count
        if legend && inner.maxY > legendY {
            let per = bands.first.map { $0.last - $0.first + 1 } ?? 1
            let rowsText = per == 1 ? "one row per score bucket" : "\(per) buckets per row"
            let marks = "R review ≥ \(NumberText.fixed(thresholds.review, decimals: places))  B block ≥ \(NumberText.fixed(thresholds.block, decimals: places))"
            // The longest legend that fits whole; the thresholds' marks are the part that must be read.
            let legends = ["\(marks)  · \(rowsText); bar = share of the arm's decisions (widest \(NumberText.percent(top, decimals: 1)))",
                           "\(marks)  · \(rowsText)", "\(marks)  · \(per == 1 ? "row = bucket" : "\(per) buckets/row")", marks]
            let text = legends.first { DisplayWidth.of($0) <= inner.width - 1 } ?? marks
            canvas.writeTruncated(text, x: inner.x + 1, y: legendY, style: theme.style("text.dim"), maxWidth: inner.width - 1)
        }
    }

    static func pText(_ p: Double) -> String { p < 0.001 ? "<0.001" : NumberText.fixed(p, decimals: 3) }
}
