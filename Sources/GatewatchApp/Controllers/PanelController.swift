import GatewatchCore

/// Keys of the focused panel of the release screen: its list, `enter` on its row, and the rule's acknowledgement.
struct PanelController: KeyController {
    var panel: PanelKind
    var now: Double

    func title(_ model: AppModel) -> String { "\(panel.rawValue) panel" }

    func offered(_ model: AppModel) -> [OfferedKey] {
        let a = model.snapshot?.analysis
        let screen = model.releaseScreen
        switch panel {
        case .rules:
            let rows = a.map { screen.shownRuleIDs($0) } ?? []
            // Before the first poll nothing is known to be missing.
            let none = a != nil && rows.isEmpty ? "this release defines no stop rules" : nil
            var ack: String? = none
            if ack == nil, let a, let row = screen.selectedRuleRow(a) {
                ack = model.blocker(.acknowledge(rule: row.rule.name, segment: row.segment), now: now)
            }
            return listKeys("the stop rules", disabled: none, in: model) + [
                offer(.explain, screen.explaining ? "close the explanation" : "explain the selected rule", disabled: none, in: model),
                offer(.acknowledge, "acknowledge the selected rule", disabled: ack, in: model),
                offer(.sort, "sort the rules (now: \(screen.ruleSort.rawValue); next: \(screen.ruleSort.next.rawValue))", disabled: none, in: model),
            ].compactMap { $0 }
        case .segments:
            let none = a.map { screen.segmentIDs($0).isEmpty } ?? false
                ? (screen.segmentFilter.isEmpty ? "no segments" : "no segment matches '\(screen.segmentFilter)'") : nil
            return listKeys("the segments", disabled: none, in: model)
                + [offer(.explain, "open the selected segment", disabled: none, in: model),
                   offer(.sort, "sort the segments (now: \(screen.segmentSort.rawValue); next: \(screen.segmentSort.next.rawValue))", in: model)].compactMap { $0 }
        case .gates:
            let none = (a?.gates.isEmpty ?? false) ? (a?.state.status == .rolledBack ? "rolled back: no gates" : "no next stage: no gates") : nil
            return listKeys("the gates", disabled: none, in: model)
                + [offer(.explain, screen.explaining ? "close the explanation" : "explain the selected gate", disabled: none, in: model),
                   offer(.sort, "sort", disabled: "the gates are listed in the order they are checked", in: model)].compactMap { $0 }
        case .histogram, .queue:
            let why = "the \(panel.rawValue) panel has no rows to select (tab: next panel)"
            return listKeys("the list", disabled: why, in: model)
                + [offer(.explain, "open the row", disabled: why, in: model), offer(.sort, "sort", disabled: why, in: model)].compactMap { $0 }
        }
    }

    func handle(_ action: AppAction, in model: inout AppModel) -> Bool {
        guard let a = model.snapshot?.analysis else { return false }
        switch panel {
        case .rules:
            if move(&model.releaseScreen.selectedRule, action, in: model.releaseScreen.shownRuleIDs(a)) { return true }
            switch action {
            case .explain: model.releaseScreen.explaining.toggle()
            case .sort:
                model.releaseScreen.ruleSort = model.releaseScreen.ruleSort.next
                model.message = "stop rules sorted: \(model.releaseScreen.ruleSort.rawValue)"
            case .acknowledge:
                guard let e = model.releaseScreen.selectedRuleRow(a) else { model.message = "no stop rules"; return true }
                model.open(.acknowledge(rule: e.rule.name, segment: e.segment))
            default: return false
            }
        case .segments:
            let ids = model.releaseScreen.segmentIDs(a)
            if move(&model.releaseScreen.selectedSegment, action, in: ids) { return true }
            switch action {
            case .explain:
                if let segment = model.releaseScreen.selectedSegment.selected(in: ids) { model.screen = .segment(segment ?? "overall") }
            case .sort:
                model.releaseScreen.segmentSort = model.releaseScreen.segmentSort.next
                model.releaseScreen.selectedSegment.follow(model.releaseScreen.segmentIDs(a))
                model.message = "segments sorted by \(model.releaseScreen.segmentSort.rawValue)"
            default: return false
            }
        case .gates:
            if move(&model.releaseScreen.selectedGate, action, in: a.gates.map(\.gate)) { return true }
            guard action == .explain else { return false }
            model.releaseScreen.explaining.toggle()
        case .histogram, .queue:
            // Their list keys are offered disabled (with the reason), so they never get here.
            return false
        }
        return true
    }
}
