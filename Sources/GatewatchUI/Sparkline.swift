/// A one-row chart of a series using block levels.
public enum Sparkline {
    /// The last `width` values scaled between their min and max, right-aligned in exactly `width` columns
    /// (left-padded with spaces). NaN and infinities are spaces; a constant series sits at the middle level.
    public static func render(_ values: [Double], width: Int, glyphs: GlyphSet) -> String {
        guard width > 0 else { return "" }
        let window = values.suffix(width)
        let finite = window.filter { $0.isFinite }
        let levels = glyphs.sparkline
        let top = levels.count - 1 // levels[1...top] are drawn; levels[0] is empty
        var out = String(repeating: " ", count: width - window.count)
        guard let lo = finite.min(), let hi = finite.max() else {
            return out + String(repeating: " ", count: window.count)
        }
        for v in window {
            guard v.isFinite else { out += " "; continue }
            let index: Int
            if hi == lo {
                index = (1 + top) / 2
            } else {
                index = 1 + Int(((v - lo) / (hi - lo) * Double(top - 1)).rounded())
            }
            out += levels[min(top, max(1, index))]
        }
        return out
    }

    /// Draws the sparkline on the first row of `rect` in `role`.
    public static func draw(into canvas: inout Canvas, rect: Rect, values: [Double], role: String, theme: Theme,
                            glyphs: GlyphSet) {
        guard !rect.isEmpty else { return }
        canvas.write(render(values, width: rect.width, glyphs: glyphs), x: rect.x, y: rect.y,
                     style: theme.style(role), maxWidth: rect.width)
    }
}
