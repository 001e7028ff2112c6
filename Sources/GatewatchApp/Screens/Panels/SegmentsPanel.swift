import GatewatchCore
import GatewatchUI

/// One row per segment and an overall row: the key deltas with interval and significance, guardrail breaches and
/// hidden regressions marked by symbol and style, drift, and a sparkline of the false-positive delta over time.
public enum SegmentsPanel {

    /// The rows shown: overall first, then the filtered and sorted segments.
    public static func rows(_ a: ReleaseAnalysis, filter: String, sort: SegmentSort) -> [SegmentComparison] {
        let needle = filter.lowercased()
        let segments = a.segments.filter { needle.isEmpty || ($0.segment ?? "").lowercased().contains(needle) }
        return (a.overall.map { [$0] } ?? []) + sort.sorted(segments)
    }

    static func deltaCell(_ c: MetricComparison?, guardrail: Guardrail?, minimumSamples: Int, compact: Bool, glyphs: GlyphSet) -> TableCell {
        guard let c else { return TableCell("–", role: "text.dim") }
        let d = c.estimate.delta
        // The arrow follows the number shown: a delta that rounds to 0.00 points has none.
        let shown = (d * 10_000).rounded()
        let arrow = shown > 0 ? glyphs.up : (shown < 0 ? glyphs.down : " ")
        // Marks, colour and interval are always-valid (the confidence sequence), so they can be watched live.
        let significant = c.isSignificant
        // The breach mark is the guardrails gate's own verdict for the row (always-valid too).
        let breached = guardrail.map { c.guardrailPosition($0, minimumSamples: Double(minimumSamples)) == .past } ?? false
        var text = shown == 0 ? "0.00\(arrow)" : "\(d >= 0 ? "+" : "")\(NumberText.fixed(d * 100, decimals: 2))\(arrow)"
        if !compact {
            text += c.sequential.map { " [\(NumberText.fixed($0.ciLow * 100, decimals: 1)),\(NumberText.fixed($0.ciHigh * 100, decimals: 1))]" } ?? " [–]"
        }
        text += c.stars
        if breached { text += " \(glyphs.fail)" }
        if c.hiddenRegression { text += " \(glyphs.warning)" }
        let role = breached || (c.isWorse && significant) ? "delta.bad" : (!c.isWorse && significant ? "delta.good" : "delta.neutral")
        return TableCell(text, role: role)
    }

    static func draw(into canvas: inout Canvas, rect: Rect, _ a: ReleaseAnalysis, title: String, focused: Bool,
                     selected: Int, scroll: Int, filter: String, sort: SegmentSort, context: RenderContext) {
        let theme = context.theme, glyphs = context.glyphs
        let rows = rows(a, filter: filter, sort: sort)
        var heading = title + " " + ReleaseScreen.position(selected: focused ? selected : nil, count: rows.count) + " (sort: \(sort.rawValue)"
        if !filter.isEmpty { heading += ", filter: \(filter)" }
        heading += ")"
        let inner = Box.draw(into: &canvas, rect: rect, title: heading, theme: theme, glyphs: glyphs, focused: focused)
        guard !inner.isEmpty else { return }
        let compact = inner.width < 100
        let guardrail = { (m: QualityMetric) in a.release.guardrails.first { $0.metric == m } }
        // In the compact layout the trend takes what is left, and is drawn to that width (never cut).
        let trendWidth = compact ? min(16, max(1, inner.width - Table.markerWidth - (11 + 14 + 14 + 8 + 6) - 5)) : 16
        let trendTitle = trendWidth >= 11 ? "FPR Δ TREND" : trendWidth >= 5 ? "TREND" : ""
        let columns = [
            TableColumn(title: "SEGMENT", width: compact ? .fixed(11) : .fill(1)),
            TableColumn(title: compact ? "FPR Δpt" : "FALSE POS Δpt [95% CS]", width: .fixed(compact ? 14 : 26)),
            TableColumn(title: compact ? "PREC Δpt" : "PRECISION Δpt [95% CS]", width: .fixed(compact ? 14 : 26)),
            TableColumn(title: compact ? "BLOCK Δ" : "BLOCK RATE Δpt", width: .fixed(compact ? 8 : 14)),
            TableColumn(title: "PSI", width: .fixed(6), alignRight: true),
            TableColumn(title: trendTitle, width: compact ? .fill(1) : .fixed(16)),
        ]
        let labels = compact ? ReleaseScreen.segmentLabels(a.release.segments.map(\.key)) : [:]
        let cells = { (index: Int) -> [TableCell] in
            let r = rows[index]
            let name = r.segment.map { compact ? labels[$0] ?? ReleaseScreen.compactSegment($0) : $0 } ?? "overall"
            let trend = Sparkline.render(r.trend[.falsePositiveRate] ?? [], width: trendWidth, glyphs: glyphs)
            let block = r.metrics[.blockRate].map { "\($0.estimate.delta >= 0 ? "+" : "")\(NumberText.fixed($0.estimate.delta * 100, decimals: 2))" } ?? "–"
            return [
                TableCell(name, role: r.segment == nil ? "title" : nil),
                deltaCell(r.metrics[.falsePositiveRate], guardrail: guardrail(.falsePositiveRate), minimumSamples: a.release.gates.minimumSamplesPerSegment, compact: compact, glyphs: glyphs),
                deltaCell(r.metrics[.precision], guardrail: guardrail(.precision), minimumSamples: a.release.gates.minimumSamplesPerSegment, compact: compact, glyphs: glyphs),
                TableCell(block, role: "text"),
                TableCell(r.drift.map { NumberText.fixed($0.psi, decimals: 3) } ?? "–", role: (r.drift?.psi ?? 0) > 0.2 ? "warning" : "text"),
                TableCell(trend, role: "histogram.challenger"),
            ]
        }
        let sel = rows.isEmpty ? nil : min(selected, rows.count - 1)
        let visible = Table.visibleRowCount(in: inner)
        let offset = Table.scrollOffset(selected: sel, current: scroll, visibleRows: visible, rowCount: rows.count)
        Table.draw(into: &canvas, rect: inner, columns: columns, rowCount: rows.count, row: cells, selectedRow: focused ? sel : nil,
                   scrollOffset: offset, theme: theme, glyphs: glyphs)
        if rows.isEmpty {
            canvas.write(filter.isEmpty ? "No segment data yet." : "No segment matches '\(filter)'.", x: inner.x + 2, y: inner.y + 1,
                         style: theme.style("text.dim"))
        }
    }
}
