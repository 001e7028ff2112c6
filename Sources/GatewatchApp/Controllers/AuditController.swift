/// Keys of the audit log.
struct AuditController: KeyController {
    func title(_ model: AppModel) -> String { "Audit log" }

    func offered(_ model: AppModel) -> [OfferedKey] {
        let none = AuditScreen.ids(model.allEvents, filter: model.auditFilter, sort: model.auditSort).isEmpty
            ? (model.auditFilter.isEmpty ? "no audit events yet" : "nothing matches '\(model.auditFilter)'") : nil
        return listKeys("the events", disabled: none, in: model) + [
            offer(.explain, model.auditDetail ? "close the event" : "open the selected event: every field, whole", disabled: none, in: model),
            offer(.filter, "filter: release: operator: kind: role: or words", in: model),
            offer(.sort, "sort the log (now: \(model.auditSort.rawValue); next: \(model.auditSort.next.rawValue))", in: model),
            offer(.back, model.auditDetail ? "close the event" : (model.auditFilter.isEmpty ? "back to the release screen" : "clear the filter"), in: model),
            offer(.nextPanel, "next panel", disabled: "the audit log is one list", in: model),
            offer(.previousPanel, "previous panel", disabled: "the audit log is one list", in: model),
        ].compactMap { $0 }
    }

    func handle(_ action: AppAction, in model: inout AppModel) -> Bool {
        if move(&model.auditSelection, action, in: AuditScreen.ids(model.allEvents, filter: model.auditFilter, sort: model.auditSort)) { return true }
        switch action {
        case .explain: model.auditDetail.toggle()
        case .filter:
            model.inputMode = .filter
            model.input = model.auditFilter
        case .sort:
            model.auditSort = model.auditSort.next
            model.followSelections()
            model.message = "audit log sorted: \(model.auditSort.rawValue)"
        case .back:
            if model.auditDetail { model.auditDetail = false }
            else if !model.auditFilter.isEmpty { model.auditFilter = ""; model.followSelections() }
            else { model.screen = .release }
        default: return false
        }
        return true
    }
}
