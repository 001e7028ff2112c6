/// Keys of the overview: one row per release.
struct OverviewController: KeyController {
    func title(_ model: AppModel) -> String { "Overview" }

    func offered(_ model: AppModel) -> [OfferedKey] {
        let none = model.snapshots.isEmpty ? "no release has been read yet"
            : (model.overviewIDs.isEmpty ? "no release matches '\(model.overviewFilter)' (esc clears the filter)" : nil)
        let closed = "the overview lists releases: open one first (\(KeyHints.key(.explain, in: model.keys) ?? "enter"))"
        return listKeys("the releases", disabled: none, in: model) + [
            offer(.explain, "open the selected release", disabled: none, in: model),
            offer(.back, model.overviewFilter.isEmpty ? "back" : "clear the filter", disabled: model.overviewFilter.isEmpty ? "the overview is the top screen" : nil, in: model),
            offer(.filter, "filter the releases: name, stage, owner or health" + (model.overviewFilter.isEmpty ? "" : " (now: \(model.overviewFilter))"), in: model),
            offer(.sort, "sort the releases (now: \(model.overviewSort.rawValue); next: \(model.overviewSort.next.rawValue))", disabled: none, in: model),
            offer(.review, "review a release", disabled: closed, in: model),
        ].compactMap { $0 }
    }

    func handle(_ action: AppAction, in model: inout AppModel) -> Bool {
        let ids = model.overviewIDs
        if move(&model.overviewSelection, action, in: ids) { return true }
        switch action {
        case .explain:
            guard let slug = model.overviewSelection.selected(in: ids) else { model.message = "no release matches '\(model.overviewFilter)'"; return true }
            model.currentSlug = slug
            model.screen = .release
        case .sort:
            model.overviewSort = model.overviewSort.next
            model.overviewSelection.follow(model.overviewIDs)
            model.message = "releases sorted: \(model.overviewSort.rawValue)"
        case .filter:
            model.inputMode = .filter
            model.input = model.overviewFilter
        case .back:
            model.overviewFilter = ""
            model.followSelections()
        default: return false
        }
        return true
    }
}
