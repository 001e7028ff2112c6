/// Keys of the overview: one row per release.
struct OverviewController: KeyController {
    func title(_ model: AppModel) -> String { "Overview" }

    func offered(_ model: AppModel) -> [OfferedKey] {
        let none = model.snapshots.isEmpty ? "no release has been read yet" : nil
        let closed = "the overview lists releases: open one first (\(KeyHints.key(.explain, in: model.keys) ?? "enter"))"
        return listKeys("the releases", disabled: none, in: model) + [
            offer(.explain, "open the selected release", disabled: none, in: model),
            offer(.back, "back", disabled: "the overview is the top screen", in: model),
            offer(.filter, "filter the segments", disabled: closed, in: model),
            offer(.sort, "sort the releases (now: \(model.overviewSort.rawValue); next: \(model.overviewSort.next.rawValue))", disabled: none, in: model),
            offer(.review, "review a release", disabled: closed, in: model),
        ].compactMap { $0 }
    }
}
