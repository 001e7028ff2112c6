import GatewatchUI

/// The `?` overlay, generated from the key table.
public enum HelpOverlay {
    public static let title = "Keys"

    public static func draw(into canvas: inout Canvas, keys: KeyTable, context: RenderContext) {
        let labelWidth = keys.bindings.map { DisplayWidth.of($0.label) }.max() ?? 4
        let helpWidth = keys.bindings.map { DisplayWidth.of($0.help) }.max() ?? 10
        let width = min(context.width - 2, labelWidth + helpWidth + 7)
        let height = min(context.height - 2, keys.bindings.count + 4)
        guard width > 10, height > 3 else { return }
        let rect = Rect(x: (context.width - width) / 2, y: (context.height - height) / 2, width: width, height: height)
        canvas.fill(rect, style: .plain)
        let inner = Box.draw(into: &canvas, rect: rect, title: title, theme: context.theme, glyphs: context.glyphs, focused: true)
        for (i, binding) in keys.bindings.enumerated() where i < inner.height - 1 {
            let y = inner.y + i
            canvas.write(DisplayWidth.pad(binding.label, toWidth: labelWidth), x: inner.x + 1, y: y, style: context.theme.style("help.key"))
            canvas.write(binding.help, x: inner.x + labelWidth + 3, y: y, style: context.theme.style("help.text"),
                         maxWidth: inner.maxX - (inner.x + labelWidth + 3))
        }
        let closers = [keys.binding(for: .back)?.label, keys.binding(for: .help)?.label].compactMap { $0 }.joined(separator: " or ")
        canvas.write("\(closers) closes", x: inner.x + 1, y: inner.maxY - 1, style: context.theme.style("text.dim"), maxWidth: inner.width - 1)
    }
}
