/// A bordered panel with an optional title in its top border: `┌ Stop rules ─────┐`.
public enum Box {
    /// Draws the border (role `border`, or `border.focused`) and the title (role `title`) inside `rect`.
    /// - Returns: the inner rectangle (empty when `rect` is too small for a border; then only the title is drawn).
    @discardableResult
    public static func draw(into canvas: inout Canvas, rect: Rect, title: String?, theme: Theme, glyphs: GlyphSet,
                            focused: Bool = false) -> Rect {
        guard !rect.isEmpty else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        let border = theme.style(focused ? "border.focused" : "border")
        let titleStyle = theme.style("title")
        guard rect.width >= 2, rect.height >= 2 else {
            if let title { canvas.write(title, x: rect.x, y: rect.y, style: titleStyle, maxWidth: rect.width) }
            return Rect(x: rect.x, y: rect.y, width: 0, height: 0)
        }
        let inner = rect.width - 2
        let line = String(repeating: glyphs.horizontal, count: inner)
        canvas.write(glyphs.topLeft + line + glyphs.topRight, x: rect.x, y: rect.y, style: border, maxWidth: rect.width)
        for row in (rect.y + 1)..<(rect.maxY - 1) {
            canvas.write(glyphs.vertical, x: rect.x, y: row, style: border, maxWidth: 1)
            canvas.write(glyphs.vertical, x: rect.maxX - 1, y: row, style: border, maxWidth: 1)
        }
        canvas.write(glyphs.bottomLeft + line + glyphs.bottomRight, x: rect.x, y: rect.maxY - 1, style: border,
                     maxWidth: rect.width)
        if let title, !title.isEmpty, inner >= 3 {
            let text = DisplayWidth.truncate(title, toWidth: inner - 2, ellipsis: glyphs.ellipsis)
            canvas.write(" " + text + " ", x: rect.x + 1, y: rect.y, style: titleStyle, maxWidth: inner)
        }
        return rect.inset()
    }
}
