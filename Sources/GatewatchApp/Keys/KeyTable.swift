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

    /// A binding whose help label is made from the keys (`KeyBinding.label(for:)`).
    public init(keys: [Key], action: AppAction, help: String, footer: String? = nil) {
        self.init(keys: keys, label: KeyBinding.label(for: keys), action: action, help: help, footer: footer)
    }

    /// The help label for a list of keys: their display names, e.g. `j ↓`, `PgDn ^F`; `none` for no key.
    public static func label(for keys: [Key]) -> String {
        keys.isEmpty ? "none" : keys.map(\.displayName).joined(separator: " ")
    }
}

/// Two actions would share a key, or a remapping is unusable.
public struct KeyTableError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The key bound twice, if that is the problem.
    public var key: Key?
    /// The action being remapped.
    public var action: AppAction
    public var message: String
    public var hint: String?

    public init(key: Key?, action: AppAction, message: String, hint: String? = nil) {
        self.key = key
        self.action = action
        self.message = message
        self.hint = hint
    }

    public var description: String { message + (hint.map { " (hint: \($0))" } ?? "") }
}

/// The key table: the single source of the key bindings, the help overlay, the footer hints and docs/KEYS.md.
public struct KeyTable: Sendable {
    public var bindings: [KeyBinding]

    public init(bindings: [KeyBinding]) { self.bindings = bindings }

    /// The defaults (DESIGN.md §6), limited to what the app does today.
    /// docs/KEYS.md is `KeyTable.default.markdown()` (`gatewatch keys --markdown`); a test fails when it is stale.
    public static let `default` = KeyTable(bindings: [
        KeyBinding(keys: [.character("?")], action: .help, help: "show or hide this help", footer: "help"),
        KeyBinding(keys: [.character("q"), .control("c")], action: .quit, help: "quit", footer: "quit"),
        KeyBinding(keys: [.enter], action: .explain, help: "open the row: explain a rule or gate, a segment, an event",
                   footer: "explain"),
        KeyBinding(keys: [.escape], action: .back, help: "close / go back"),
        KeyBinding(keys: [.tab], action: .nextPanel, help: "next panel"),
        KeyBinding(keys: [.backTab], action: .previousPanel, help: "previous panel"),
        KeyBinding(keys: [.character("j"), .down], action: .moveDown, help: "move down in the list", footer: "down"),
        KeyBinding(keys: [.character("k"), .up], action: .moveUp, help: "move up in the list", footer: "up"),
        KeyBinding(keys: [.pageDown, .control("f")], action: .pageDown, help: "page down"),
        KeyBinding(keys: [.pageUp, .control("b")], action: .pageUp, help: "page up"),
        KeyBinding(keys: [.character("g"), .home], action: .top, help: "first row"),
        KeyBinding(keys: [.character("G"), .end], action: .bottom, help: "last row"),
        KeyBinding(keys: [.character("/")], action: .filter, help: "filter the segments, or the audit log"),
        KeyBinding(keys: [.character("s")], action: .sort, help: "sort the list in view"),
        KeyBinding(keys: [.character(":")], action: .command, help: "command (:release, :review, :theme…; tab completes)"),
        KeyBinding(keys: [.character("p")], action: .promote, help: "promote (gates must pass)"),
        KeyBinding(keys: [.character("P")], action: .overridePromote, help: "override gates and promote"),
        KeyBinding(keys: [.character("r")], action: .rollback, help: "roll back (reason needed)"),
        KeyBinding(keys: [.character("a")], action: .acknowledge, help: "acknowledge selected rule"),
        KeyBinding(keys: [.character(" ")], action: .pauseResume, help: "pause / resume progression"),
        KeyBinding(keys: [.character("H")], action: .holdRollback, help: "hold auto-rollback (30m)"),
        KeyBinding(keys: [.character("L")], action: .audit, help: "audit log (also :audit)"),
        KeyBinding(keys: [.character("E")], action: .events, help: "events: promotions, rollbacks, others' actions (:events)"),
        KeyBinding(keys: [.control("l")], action: .redraw, help: "redraw the screen"),
        KeyBinding(keys: [.character("R")], action: .review, help: "open the review (:review)"),
        KeyBinding(keys: [.character("[")], action: .previousEvent, help: "review: previous event"),
        KeyBinding(keys: [.character("]")], action: .nextEvent, help: "review: next event"),
        KeyBinding(keys: [.character("{")], action: .stepBack, help: "review: step back"),
        KeyBinding(keys: [.character("}")], action: .stepForward, help: "review: step forward"),
        KeyBinding(keys: [.character("t")], action: .thenNow, help: "review: then and now"),
        KeyBinding(keys: [.character("c")], action: .checklist, help: "review: checklist"),
        KeyBinding(keys: [.character("n")], action: .note, help: "review: note on event"),
        KeyBinding(keys: [.character("S")], action: .signOff, help: "review: sign off"),
    ])

    /// The action bound to a key, if any.
    public func action(for key: Key) -> AppAction? {
        bindings.first { $0.keys.contains(key) }?.action
    }

    /// The binding of an action, if it has one.
    public func binding(for action: AppAction) -> KeyBinding? {
        bindings.first { $0.action == action }
    }

    /// The table with the keys of some actions replaced (from the config file's `keys:`).
    ///
    /// Each listed action gets exactly the given keys (duplicates dropped) and a help label made from them, so help
    /// and footer show the new keys. An empty list unbinds the action (not allowed for `quit`). Fails when a key would
    /// end up bound to two actions: remap the other action too. An action without a binding gets one.
    public func applying(_ overrides: [AppAction: [Key]]) throws(KeyTableError) -> KeyTable {
        var result = self
        // Stable order, so the first conflict reported does not depend on dictionary order.
        for action in AppAction.allCases {
            guard let requested = overrides[action] else { continue }
            var keys: [Key] = []
            for key in requested where !keys.contains(key) {
                if key == .resize {
                    throw KeyTableError(key: key, action: action, message: "`resize` is not a key and cannot be bound")
                }
                keys.append(key)
            }
            if keys.isEmpty && action == .quit {
                throw KeyTableError(key: nil, action: action, message: "`quit` must keep at least one key",
                                    hint: "e.g. `quit: [q, ctrl-c]`")
            }
            if let index = result.bindings.firstIndex(where: { $0.action == action }) {
                result.bindings[index].keys = keys
                result.bindings[index].label = KeyBinding.label(for: keys)
                if keys.isEmpty { result.bindings[index].footer = nil }
            } else if !keys.isEmpty {
                result.bindings.append(KeyBinding(keys: keys, action: action, help: action.rawValue))
            }
        }
        // Every key must mean one thing.
        var owner: [Key: AppAction] = [:]
        for binding in result.bindings {
            for key in binding.keys {
                if let other = owner[key], other != binding.action {
                    let (remapped, kept) = overrides[binding.action] != nil ? (binding.action, other) : (other, binding.action)
                    let bothRemapped = overrides[kept] != nil
                    throw KeyTableError(
                        key: key, action: remapped,
                        message: "key `\(key.configName)` would be bound to both `\(kept.rawValue)` and `\(remapped.rawValue)`",
                        hint: bothRemapped
                            ? "give `\(key.configName)` to one of them only"
                            : "`\(key.configName)` is a default key of `\(kept.rawValue)`; remap it too, e.g. `\(kept.rawValue): [\(KeyTable.suggestion(for: kept, without: key, in: self))]`")
                }
                owner[key] = binding.action
            }
        }
        return result
    }

    private static func suggestion(for action: AppAction, without key: Key, in table: KeyTable) -> String {
        let rest = (table.binding(for: action)?.keys ?? []).filter { $0 != key }.map { yamlKeyName($0) }
        return rest.isEmpty ? "OTHER-KEY" : rest.joined(separator: ", ")
    }

    /// A key name quoted when YAML needs it.
    static func yamlKeyName(_ key: Key) -> String {
        let name = key.configName
        guard name.count == 1, let c = name.first, !(c.isLetter || c.isNumber) else { return name }
        return c == "\"" ? "'\"'" : "\"\(c == "\\" ? "\\\\" : name)\""
    }
}
