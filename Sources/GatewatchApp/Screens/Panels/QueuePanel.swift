import GatewatchCore
import GatewatchUI

/// The manual-review queue: depth sparkline, capacity, growth per hour and when it overflows (or "draining").
enum QueuePanel {
    static func forecastText(_ q: QueueForecast) -> String {
        if let h = q.hoursToOverflow, h.isFinite {
            return h <= 0 ? "OVER its limit" : "overflows in \(DurationText.format(Int64(h * 3600)))"
        }
        guard let draining = q.draining else { return "trend after \(q.growthWaitText)" }
        return draining ? "draining" : "growing, no limit set"
    }

    static func draw(into canvas: inout Canvas, rect: Rect, _ a: ReleaseAnalysis, title: String, focused: Bool, context: RenderContext) {
        let theme = context.theme, glyphs = context.glyphs
        let inner = Box.draw(into: &canvas, rect: rect, title: title, theme: theme, glyphs: glyphs, focused: focused)
        guard !inner.isEmpty else { return }
        guard let q = a.queue else {
            canvas.write("No review-queue data.", x: inner.x + 1, y: inner.y, style: theme.style("text.dim"))
            return
        }
        let overflowing = (q.hoursToOverflow ?? .infinity) < 2
        let forecast = forecastText(q)
        var x = inner.x + 1
        x += canvas.write("depth \(Int(q.depth))", x: x, y: inner.y, style: theme.style("text"))
        if let limit = q.limit { x += canvas.write("/\(Int(limit))", x: x, y: inner.y, style: theme.style("text.dim")) }
        if let growth = q.growthPerHour {
            x += canvas.write("  \(growth > 0 ? glyphs.up : glyphs.down) \(NumberText.fixed(growth, decimals: 0))/h", x: x, y: inner.y,
                              style: theme.style(growth > 0 ? "warning" : "rule.ok"))
        } else {
            x += canvas.write("  growth —", x: x, y: inner.y, style: theme.style("text.dim"))
        }
        guard inner.height > 1 else { return }
        var x2 = inner.x + 1
        x2 += canvas.write("\(overflowing ? glyphs.warning + " " : "")\(forecast)", x: x2, y: inner.y + 1,
                           style: theme.style(overflowing ? "rule.firing" : (forecast == "draining" ? "rule.ok" : "text")), maxWidth: inner.width - 1)
        canvas.write(" · capacity \(NumberText.fixed(q.capacityPerHour ?? 0, decimals: 0))/h", x: x2, y: inner.y + 1,
                     style: theme.style("text.dim"), maxWidth: inner.maxX - x2)
        guard inner.height > 2, !q.recentDepth.isEmpty else { return }
        let spark = Sparkline.render(q.recentDepth, width: max(1, inner.width - 12), glyphs: glyphs)
        canvas.write("last 2h ", x: inner.x + 1, y: inner.y + 2, style: theme.style("text.dim"))
        canvas.write(spark, x: inner.x + 9, y: inner.y + 2, style: theme.style(overflowing ? "warning" : "histogram.champion"))
    }
}
