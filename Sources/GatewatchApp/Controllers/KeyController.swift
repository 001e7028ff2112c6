import GatewatchUI

/// The keys one scope (the whole app, a screen, a panel) offers in the model's current state, each with its
/// "disabled because" reason, and what they do there. The app's help, the refusal of a key that can do nothing here,
/// and the key's effect all come from these: a key goes to the most specific scope first, then outwards.
protocol KeyController {
    /// The help section's title, e.g. `Release screen` or `Stop rules panel`.
    func title(_ model: AppModel) -> String
    /// What each key of this scope does now (keys without a binding are left out by `offer`).
    func offered(_ model: AppModel) -> [OfferedKey]
    /// Carries out `action` in this scope: changes the model and leaves any I/O as an `AppEffect`. False leaves the
    /// action to the next scope out.
    func handle(_ action: AppAction, in model: inout AppModel) -> Bool
}

extension KeyController {
    func handle(_ action: AppAction, in model: inout AppModel) -> Bool { false }

    /// Moves `selection` among `ids` (the rows as shown now) for a list-moving action; false for any other action.
    func move<ID>(_ selection: inout ListSelection<ID>, _ action: AppAction, in ids: [ID]) -> Bool {
        switch action {
        case .moveDown: selection.move(by: 1, in: ids)
        case .moveUp: selection.move(by: -1, in: ids)
        case .pageDown: selection.move(by: 10, in: ids)
        case .pageUp: selection.move(by: -10, in: ids)
        case .top: selection.select(row: 0, in: ids)
        case .bottom: selection.select(row: ids.count - 1, in: ids)
        default: return false
        }
        return true
    }

    /// A key of this scope: its label from the model's key table; nil when the action has no key.
    func offer(_ action: AppAction, _ help: String, disabled: String? = nil, in model: AppModel) -> OfferedKey? {
        guard let binding = model.keys.binding(for: action), !binding.keys.isEmpty else { return nil }
        return OfferedKey(action: action, label: binding.label, help: help, disabled: disabled)
    }

    /// The list-moving keys, all with one help text and one reason.
    func listKeys(_ what: String, disabled: String? = nil, in model: AppModel) -> [OfferedKey] {
        [(AppAction.moveDown, "down"), (.moveUp, "up"), (.pageDown, "a page down"), (.pageUp, "a page up"),
         (.top, "to the first"), (.bottom, "to the last")].compactMap { action, words in
            offer(action, "\(words) in \(what)", disabled: disabled, in: model).map {
                var key = $0
                key.group = "move in \(what)"
                return key
            }
        }
    }

    func section(_ model: AppModel) -> HelpSection { HelpSection(title: title(model), keys: offered(model)) }
}
