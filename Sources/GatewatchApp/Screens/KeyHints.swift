import GatewatchUI

/// A row of key hints (`esc back  ? help  q quit`) whose keys come from the key table, so a remapped key is shown
/// as remapped.
enum KeyHints {
    /// The first key of an action as written in help (`q` for `q ^C`), or nil when the action is unbound.
    static func key(_ action: AppAction, in keys: KeyTable) -> String? {
        keys.binding(for: action).flatMap { $0.label.split(separator: " ").first.map(String.init) }
    }

    /// Draws `hints` (actions, or a pair of actions shown as `j/k`) at row `y` from column `x`; returns the next column.
    /// Hints come in priority order: one that does not fit whole ends the row (no hint is cut mid-word).
    @discardableResult
    static func draw(into canvas: inout Canvas, x: Int, y: Int, hints: [([AppAction], String)], keys: KeyTable, context: RenderContext) -> Int {
        var x = x
        for (actions, words) in hints {
            let labels = actions.compactMap { key($0, in: keys) }
            guard !labels.isEmpty else { continue }
            let label = labels.joined(separator: "/")
            guard x + DisplayWidth.of(label) + 1 + DisplayWidth.of(words) <= context.width - 1 else { break }
            x += canvas.write(label, x: x, y: y, style: context.theme.style("help.key"))
            x += canvas.write(" \(words)  ", x: x, y: y, style: context.theme.style("help.text"), maxWidth: context.width - x)
        }
        return x
    }
}
