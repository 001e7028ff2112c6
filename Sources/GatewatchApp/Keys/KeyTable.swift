import GatewatchUI

/// One binding of the key table: the keys, what they do, and the words shown in help and in the footer.
public struct KeyBinding: Sendable {
    public var keys: [Key]
    /// How the keys are written in help, e.g. `j ↓`.
    public var label: String
    public var action: AppAction
    public var help: String
    /// The one or two words shown in the footer's key hints; nil keeps the key out of the footer.
    public var footer: String?

    public init(keys: [Key], label: String, action: AppAction, help: String, footer: String? = nil) {
        self.keys = keys
        self.label = label
        self.action = action
        self.help = help
        self.footer = footer
    }
}

/// The key table: the single source of the key bindings, the help overlay and the footer hints.
public struct KeyTable: Sendable {
    public var bindings: [KeyBinding]

    public init(bindings: [KeyBinding]) { self.bindings = bindings }

    /// The defaults (DESIGN.md §6), limited to what the app does today.
    public static let `default` = KeyTable(bindings: [
        KeyBinding(keys: [.character("?")], label: "?", action: .help, help: "show or hide this help", footer: "help"),
        KeyBinding(keys: [.character("q"), .control("c")], label: "q", action: .quit, help: "quit (Ctrl-C too)", footer: "quit"),
        KeyBinding(keys: [.enter], label: "enter", action: .explain, help: "explain the selected stop rule", footer: "explain"),
        KeyBinding(keys: [.escape], label: "esc", action: .back, help: "close help or explanation / go back"),
        KeyBinding(keys: [.character("j"), .down], label: "j ↓", action: .moveDown, help: "move down in the stop rules", footer: "down"),
        KeyBinding(keys: [.character("k"), .up], label: "k ↑", action: .moveUp, help: "move up in the stop rules", footer: "up"),
        KeyBinding(keys: [.pageDown, .control("f")], label: "PgDn ^F", action: .pageDown, help: "page down"),
        KeyBinding(keys: [.pageUp, .control("b")], label: "PgUp ^B", action: .pageUp, help: "page up"),
        KeyBinding(keys: [.character("g"), .home], label: "g Home", action: .top, help: "first row"),
        KeyBinding(keys: [.character("G"), .end], label: "G End", action: .bottom, help: "last row"),
        KeyBinding(keys: [.control("l")], label: "^L", action: .redraw, help: "redraw the screen"),
    ])

    /// The action bound to a key, if any.
    public func action(for key: Key) -> AppAction? {
        bindings.first { $0.keys.contains(key) }?.action
    }
}
