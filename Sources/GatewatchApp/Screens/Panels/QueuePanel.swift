import GatewatchCore
import GatewatchUI

/// The manual-review queue: depth sparkline, capacity, growth per hour and when it overflows (or "draining").
enum QueuePanel {
    static func forecastText(_ q: QueueForecast) -> String {
        if let h = q.hoursToOverflow, h.isFinite {
            return h <= 0 ? "OVER its limit" : "overflows in \(DurationText.format(Int64(h * 3600)))"
        }
        // Before an hour of depth there is no trend: say when there will be one.
        guard let draining = q.draining else {
            return "trend in \(DurationText.format(max(0, q.growthWindowSeconds - q.growthSpanSeconds))): needs \(DurationText.format(q.growthWindowSeconds)) of depth"
        }
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
        // The forecast wraps rather than being cut; the capacity goes beside it when it fits, else on its own line.
        let forecastLines = GatesPanel.wrap("\(overflowing ? glyphs.warning + " " : "")\(forecast)", width: max(8, inner.width - 1))
        let capacity = "capacity \(NumberText.fixed(q.capacityPerHour ?? 0, decimals: 0))/h"
        let forecastStyle = theme.style(overflowing ? "rule.firing" : (forecast == "draining" ? "rule.ok" : "text"))
        var y = inner.y + 1
        for line in forecastLines where y < inner.maxY {
            canvas.write(line, x: inner.x + 1, y: y, style: forecastStyle, maxWidth: inner.width - 1)
            y += 1
        }
        let last = DisplayWidth.of(forecastLines.last ?? "")
        if inner.x + 1 + last + DisplayWidth.of(" · " + capacity) <= inner.maxX, y - 1 < inner.maxY, y > inner.y + 1 {
            canvas.write(" · " + capacity, x: inner.x + 1 + last, y: y - 1, style: theme.style("text.dim"))
        } else if y < inner.maxY {
            canvas.write(DisplayWidth.truncate(capacity, toWidth: inner.width - 1, ellipsis: glyphs.ellipsis), x: inner.x + 1, y: y,
                         style: theme.style("text.dim"))
            y += 1
        }
        guard y < inner.maxY, !q.recentDepth.isEmpty else { return }
        let spark = Sparkline.render(q.recentDepth, width: max(1, inner.width - 10), glyphs: glyphs)
        canvas.write("last 2h ", x: inner.x + 1, y: y, style: theme.style("text.dim"))
        canvas.write(spark, x: inner.x + 9, y: y, style: theme.style(overflowing ? "warning" : "histogram.champion"))
    }
}
