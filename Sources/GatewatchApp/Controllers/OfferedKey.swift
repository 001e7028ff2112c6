/// One key as a screen or panel offers it: what it does there, and why it does nothing now (lazygit's disabled
/// reason). Help draws it; a key whose action is offered with a reason says that reason instead of acting.
public struct OfferedKey: Equatable, Sendable {
    public var action: AppAction
    /// The keys as written in help (`j ↓`), from the key table, so a remapped key shows as remapped.
    public var label: String
    /// What the key does in this place.
    public var help: String
    /// Why the key does nothing now; nil when it works.
    public var disabled: String?
    /// Keys of one group (the list-moving keys) share one row of help, e.g. `j k PgDn PgUp g G  move in the rules`.
    public var group: String?

    public init(action: AppAction, label: String, help: String, disabled: String? = nil, group: String? = nil) {
        self.action = action
        self.label = label
        self.help = help
        self.disabled = disabled
        self.group = group
    }
}

/// The keys of one scope of the help: everywhere, this screen, or this panel.
public struct HelpSection: Equatable, Sendable {
    public var title: String
    public var keys: [OfferedKey]

    public init(title: String, keys: [OfferedKey]) {
        self.title = title
        self.keys = keys
    }
}
