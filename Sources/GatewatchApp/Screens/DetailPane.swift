import GatewatchUI

/// The `enter` pane of a row (a rule, a gate, an audit event): labelled lines whose values wrap under themselves,
/// never cut. Drawn over the bottom of `rect`; when the lines do not fit, the last row says how many are left out.
enum DetailPane {
    static let labelWidth = 9

    /// The value lines of each field at a value width (for tests and for sizing).
    static func wrapped(_ fields: [(String, String)], valueWidth: Int) -> [(label: String, text: String)] {
        fields.flatMap { label, value in
            GatesPanel.wrap(TextSanitizer.clean(value), width: max(8, valueWidth)).enumerated().map { i, line in (i == 0 ? label : "", line) }
        }
    }

    static func draw(into canvas: inout Canvas, rect: Rect, title: String, fields: [(String, String)], context: RenderContext) {
        let width = rect.width - 4
        guard width > 20 else { return }
        let valueX = 1 + labelWidth + 1
        let lines = wrapped(fields, valueWidth: width - 2 - valueX)
        let height = min(rect.height - 2, lines.count + 2)
        let box = Rect(x: rect.x + 2, y: rect.maxY - 1 - height, width: width, height: height)
        guard box.height > 2 else { return }
        canvas.fill(box, style: .plain)
        let inner = Box.draw(into: &canvas, rect: box, title: title, theme: context.theme, glyphs: context.glyphs, focused: true)
        let shown = lines.count > inner.height ? inner.height - 1 : lines.count
        for (i, line) in lines.prefix(shown).enumerated() {
            canvas.write(DisplayWidth.pad(line.label, toWidth: labelWidth), x: inner.x + 1, y: inner.y + i, style: context.theme.style("help.key"))
            canvas.write(line.text, x: inner.x + valueX, y: inner.y + i, style: context.theme.style("text"), maxWidth: inner.maxX - inner.x - valueX)
        }
        if shown < lines.count {
            canvas.write("\(context.glyphs.ellipsis) \(lines.count - shown) more lines: enlarge the terminal", x: inner.x + 1, y: inner.y + shown,
                         style: context.theme.style("text.dim"), maxWidth: inner.width - 1)
        }
    }
}
