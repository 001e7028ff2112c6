/// Keys of the release screen as a whole (the focused panel adds its own, `PanelController`).
struct ReleaseController: KeyController {
    func title(_ model: AppModel) -> String { "Release screen" }

    func offered(_ model: AppModel) -> [OfferedKey] {
        let screen = model.releaseScreen
        let all = PanelKind.allCases, i = all.firstIndex(of: screen.focus)!
        let next = all[(i + 1) % all.count], previous = all[(i + all.count - 1) % all.count]
        let back: (String, String?)
        if screen.explaining { back = ("close the explanation", nil) }
        else if model.isFleet { back = ("to the overview of every release", nil) }
        else { back = ("back", "this is the only release watched") }
        return [
            offer(.back, back.0, disabled: back.1, in: model),
            offer(.nextPanel, "next panel (\(next.rawValue))", in: model),
            offer(.previousPanel, "previous panel (\(previous.rawValue))", in: model),
            offer(.filter, "filter the segments" + (screen.segmentFilter.isEmpty ? "" : " (now: \(screen.segmentFilter))"), in: model),
            offer(.review, "review this release, event by event",
                  disabled: model.reviewLoader == nil ? "review is not available for this source" : nil, in: model),
        ].compactMap { $0 }
    }

    func handle(_ action: AppAction, in model: inout AppModel) -> Bool {
        switch action {
        case .back:
            if model.releaseScreen.explaining { model.releaseScreen.explaining = false }
            else if model.screen == .review { model.screen = .release }
            else if model.isFleet { model.screen = .overview }
        case .nextPanel, .previousPanel:
            let all = PanelKind.allCases
            let i = all.firstIndex(of: model.releaseScreen.focus)!
            model.releaseScreen.focus = all[(i + (action == .nextPanel ? 1 : all.count - 1)) % all.count]
            model.releaseScreen.explaining = false
        case .filter:
            model.releaseScreen.focus = .segments
            model.inputMode = .filter
            model.input = model.releaseScreen.segmentFilter
        case .review: model.openReview()
        default: return false
        }
        return true
    }
}
