/// A horizontal bar with eighth-of-a-cell resolution (whole cells in ASCII).
public enum HorizontalBar {
    /// `fraction` (clamped to 0...1, NaN as 0) of `width` cells filled, padded with spaces to exactly `width`.
    public static func render(fraction: Double, width: Int, glyphs: GlyphSet) -> String {
        guard width > 0 else { return "" }
        let f = fraction.isNaN ? 0 : min(1, max(0, fraction))
        let eighths = Int((f * Double(width) * 8).rounded())
        let full = eighths / 8, rem = eighths % 8
        var s = String(repeating: glyphs.barFull, count: full)
        var used = full
        if rem > 0 && used < width {
            let levels = glyphs.barEighths
            let glyph = levels[min(levels.count - 1, rem * (levels.count - 1) / 8)]
            s += glyph
            used += 1
        }
        return s + String(repeating: " ", count: width - used)
    }

    /// Draws `label`, the bar between `[` `]` in `role`, and `valueText` on the first row of `rect`.
    /// The label takes its natural width (at most half the rect); the bar takes what is left.
    public static func draw(into canvas: inout Canvas, rect: Rect, label: String, fraction: Double,
                            valueText: String? = nil, role: String, theme: Theme, glyphs: GlyphSet) {
        guard !rect.isEmpty else { return }
        let text = theme.style("text")
        var x = rect.x
        if !label.isEmpty {
            let lw = min(DisplayWidth.of(label), rect.width / 2)
            x += canvas.write(DisplayWidth.pad(label, toWidth: lw), x: x, y: rect.y, style: text, maxWidth: lw)
            x += canvas.write(" ", x: x, y: rect.y, style: text, maxWidth: rect.maxX - x)
        }
        let value = valueText.map { " " + $0 } ?? ""
        let vw = DisplayWidth.of(value)
        let barWidth = rect.maxX - x - 2 - vw
        guard barWidth >= 1 else {
            canvas.write(value.dropFirst().description, x: x, y: rect.y, style: text, maxWidth: rect.maxX - x)
            return
        }
        x += canvas.write("[", x: x, y: rect.y, style: theme.style("text.dim"), maxWidth: 1)
        x += canvas.write(render(fraction: fraction, width: barWidth, glyphs: glyphs), x: x, y: rect.y,
                          style: theme.style(role), maxWidth: barWidth)
        x += canvas.write("]", x: x, y: rect.y, style: theme.style("text.dim"), maxWidth: 1)
        canvas.write(value, x: x, y: rect.y, style: text, maxWidth: rect.maxX - x)
    }
}
