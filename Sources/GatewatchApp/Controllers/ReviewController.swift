/// Keys of the post-release review, by its view (the dashboard at a moment, then-and-now, the checklist).
struct ReviewController: KeyController {
    func title(_ model: AppModel) -> String {
        let slug = model.review?.history.release.slug ?? "the release"
        switch model.review?.view {
        case .thenNow: return "Review of \(slug): then and now"
        case .checklist: return "Review of \(slug): checklist"
        default: return "Review of \(slug)"
        }
    }

    func offered(_ model: AppModel) -> [OfferedKey] {
        let view = model.review?.view ?? .dashboard
        let noEvent = (model.review?.timeline.events.isEmpty ?? true) ? "the timeline has no events" : nil
        var keys: [OfferedKey?] = [
            offer(.previousEvent, "previous event", disabled: noEvent, in: model),
            offer(.nextEvent, "next event", disabled: noEvent, in: model),
            offer(.stepBack, "one evaluation step back in time", in: model),
            offer(.stepForward, "one evaluation step forward in time", in: model),
        ]
        switch view {
        case .thenNow:
            keys += [offer(.moveDown, "scroll then-and-now down", in: model), offer(.moveUp, "scroll then-and-now up", in: model),
                     offer(.pageDown, "scroll a page down", in: model), offer(.pageUp, "scroll a page up", in: model)]
        case .checklist:
            keys += [offer(.moveDown, "next checklist item", in: model), offer(.moveUp, "previous checklist item", in: model)]
        case .dashboard:
            keys += [offer(.moveDown, "next event", disabled: noEvent, in: model), offer(.moveUp, "previous event", disabled: noEvent, in: model),
                     offer(.pageDown, "10 events on", disabled: noEvent, in: model), offer(.pageUp, "10 events back", disabled: noEvent, in: model)]
        }
        let inChecklist = view == .checklist
        let openChecklist = "open the checklist first (\(KeyHints.key(.checklist, in: model.keys) ?? "c"))"
        let live = "actions work on the live screen (\(KeyHints.key(.back, in: model.keys) ?? "esc") leaves the review)"
        keys += [
            offer(.top, "the first event", in: model),
            offer(.bottom, "the last event", in: model),
            offer(.thenNow, view == .thenNow ? "close then-and-now" : "then and now: this moment against the latest data", in: model),
            offer(.checklist, inChecklist ? "close the checklist" : "the review checklist", in: model),
            offer(.pauseResume, "tick or untick the selected item", disabled: inChecklist ? model.reviewBlocker(checklist: true) : openChecklist, in: model),
            offer(.note, "a note on the selected event", disabled: noEvent ?? model.reviewBlocker(checklist: false), in: model),
            offer(.signOff, "sign the review off", disabled: model.signOffBlocker, in: model),
            offer(.back, view == .dashboard ? "back to the release screen" : "close this view", in: model),
            offer(.review, "open a fresh review (reads the record again)", in: model),
            offer(.explain, "open the row", disabled: "timeline rows are whole: [ ] move between them", in: model),
            offer(.sort, "sort", disabled: "the timeline is in time order", in: model),
            offer(.filter, "filter", disabled: "the review shows every event; [ ] move between them", in: model),
        ]
        for action in [AppAction.promote, .overridePromote, .rollback, .acknowledge, .holdRollback] {
            keys.append(offer(action, model.keys.binding(for: action)?.help ?? action.rawValue, disabled: live, in: model))
        }
        return keys.compactMap { $0 }
    }
}
