/// Keys of one segment drilled into.
struct SegmentController: KeyController {
    var segment: String

    func title(_ model: AppModel) -> String { "Segment \(segment)" }

    func offered(_ model: AppModel) -> [OfferedKey] {
        let noList = "this screen has no list (\(KeyHints.key(.back, in: model.keys) ?? "esc") goes back to the segments)"
        let onRelease = "on the release screen (\(KeyHints.key(.back, in: model.keys) ?? "esc") goes back)"
        return [offer(.back, "back to the release screen", in: model)].compactMap { $0 }
            + listKeys("the list", disabled: noList, in: model) + [
                offer(.explain, "open the row", disabled: noList, in: model),
                offer(.filter, "filter the segments", disabled: onRelease, in: model),
                offer(.sort, "sort the segments", disabled: onRelease, in: model),
                offer(.nextPanel, "next panel", disabled: onRelease, in: model),
                offer(.previousPanel, "previous panel", disabled: onRelease, in: model),
            ].compactMap { $0 }
    }

    func handle(_ action: AppAction, in model: inout AppModel) -> Bool {
        guard action == .back else { return false }
        model.screen = .release
        return true
    }
}
