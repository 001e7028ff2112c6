import GatewatchUI

/// The `?` overlay, generated from the key table.
public enum HelpOverlay {
    public static let title = "Keys"

    public static func draw(into canvas: inout Canvas, keys: KeyTable, context: RenderContext) {
        let labelWidth = keys.bindings.map { DisplayWidth.of($0.label) }.max() ?? 4
        let helpWidth = keys.bindings.map { DisplayWidth.of($0.help) }.max() ?? 10
        // One column when it fits in height, else two side by side.
        let columns = keys.bindings.count + 4 > context.height - 2 ? 2 : 1
        let columnWidth = labelWidth + helpWidth + 3
        let rowsPerColumn = (keys.bindings.count + columns - 1) / columns
        let width = min(context.width - 2, columnWidth * columns + 4)
        let height = min(context.height - 2, rowsPerColumn + 4)
        guard width > 10, height > 3 else { return }
        let rect = Rect(x: (context.width - width) / 2, y: (context.height - height) / 2, width: width, height: height)
        canvas.fill(rect, style: .plain)
        let inner = Box.draw(into: &canvas, rect: rect, title: title, theme: context.theme, glyphs: context.glyphs, focused: true)
        let slot = inner.width / columns
        for (i, binding) in keys.bindings.enumerated() {
            let row = i % rowsPerColumn, column = i / rowsPerColumn
            guard row < inner.height - 1 else { continue }
            let x = inner.x + 1 + column * slot, y = inner.y + row
            canvas.write(DisplayWidth.pad(binding.label, toWidth: labelWidth), x: x, y: y, style: context.theme.style("help.key"))
            canvas.write(binding.help, x: x + labelWidth + 2, y: y, style: context.theme.style("help.text"),
                         maxWidth: min(inner.maxX, x + slot - 1) - (x + labelWidth + 2))
        }
        let closers = [keys.binding(for: .back)?.label, keys.binding(for: .help)?.label].compactMap { $0 }.joined(separator: " or ")
        canvas.write("\(closers) closes", x: inner.x + 1, y: inner.maxY - 1, style: context.theme.style("text.dim"), maxWidth: inner.width - 1)
    }
}
