import GatewatchCore
import GatewatchUI

/// Score distributions of champion and challenger side by side per score band, with the review and block
/// thresholds marked and PSI, KS and JS printed.
enum HistogramPanel {
    /// Per-bucket shares merged into `bands` equal bands.
    static func bands(_ counts: [Double], bounds: [Double], bands: Int) -> [Double] {
        let total = counts.reduce(0, +)
        var out = [Double](repeating: 0, count: bands)
        guard total > 0 else { return out }
        var lower = 0.0
        for (count, bound) in zip(counts, bounds) {
            let upper = bound.isFinite ? bound : 1
            let mid = (lower + upper) / 2
            out[min(bands - 1, max(0, Int(mid * Double(bands))))] += count / total
            lower = upper
        }
        return out
    }

    static func draw(into canvas: inout Canvas, rect: Rect, comparison: SegmentComparison?, thresholds: ScoreThresholds,
                     title: String, focused: Bool, context: RenderContext) {
        let theme = context.theme, glyphs = context.glyphs
        let inner = Box.draw(into: &canvas, rect: rect, title: title, theme: theme, glyphs: glyphs, focused: focused)
        guard !inner.isEmpty else { return }
        guard let c = comparison, c.championScores.reduce(0, +) > 0 || c.challengerScores.reduce(0, +) > 0 else {
            canvas.write("No score data yet.", x: inner.x + 1, y: inner.y, style: theme.style("text.dim"))
            return
        }
        var y = inner.y
        if let d = c.drift {
            let level = d.psi > 0.2 ? "significant" : (d.psi > 0.1 ? "moderate" : "stable")
            canvas.write("PSI \(NumberText.fixed(d.psi, decimals: 3)) (\(level))  KS D \(NumberText.fixed(d.ks.d, decimals: 3)) p \(pText(d.ks.pValue))  JS \(NumberText.fixed(d.js, decimals: 3))",
                         x: inner.x + 1, y: y, style: theme.style(d.psi > 0.2 ? "warning" : "text"), maxWidth: inner.width - 1)
            y += 1
        }
        guard y < inner.maxY else { return }
        canvas.write("score  ", x: inner.x + 1, y: y, style: theme.style("text.dim"))
        let barWidth = max(3, (inner.width - 12) / 2)
        canvas.write(DisplayWidth.pad("champion", toWidth: barWidth), x: inner.x + 8, y: y, style: theme.style("histogram.champion"))
        canvas.write("challenger", x: inner.x + 9 + barWidth, y: y, style: theme.style("histogram.challenger"), maxWidth: barWidth)
        y += 1
        let rows = min(10, inner.maxY - y)
        guard rows > 0 else { return }
        let champion = bands(c.championScores, bounds: c.scoreBounds, bands: rows)
        let challenger = bands(c.challengerScores, bounds: c.scoreBounds, bands: rows)
        let top = max(champion.max() ?? 0, challenger.max() ?? 0, 1e-9)
        for i in 0..<rows {
            let band = rows - 1 - i
            let low = Double(band) / Double(rows), high = Double(band + 1) / Double(rows)
            var marker = " "
            if thresholds.block >= low && thresholds.block < high { marker = "B" }
            if thresholds.review >= low && thresholds.review < high { marker = marker == "B" ? "*" : "R" }
            canvas.write("\(NumberText.fixed(low, decimals: 1))\(marker)", x: inner.x + 1, y: y + i, style: theme.style(marker == " " ? "text.dim" : "warning"))
            canvas.write(HorizontalBar.render(fraction: champion[band] / top, width: barWidth, glyphs: glyphs), x: inner.x + 8, y: y + i,
                         style: theme.style("histogram.champion"))
            canvas.write(HorizontalBar.render(fraction: challenger[band] / top, width: barWidth, glyphs: glyphs), x: inner.x + 9 + barWidth,
                         y: y + i, style: theme.style("histogram.challenger"))
        }
        if inner.maxY > y + rows {
            canvas.write("R review ≥ \(NumberText.compact(thresholds.review))  B block ≥ \(NumberText.compact(thresholds.block))",
                         x: inner.x + 1, y: y + rows, style: theme.style("text.dim"), maxWidth: inner.width - 1)
        }
    }

    static func pText(_ p: Double) -> String { p < 0.001 ? "<0.001" : NumberText.fixed(p, decimals: 3) }
}
