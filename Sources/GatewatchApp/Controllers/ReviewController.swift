import GatewatchCore

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
            offer(.back, model.reviewDetail ? "close the event" : (view == .dashboard ? "back to the release screen" : "close this view"), in: model),
            offer(.review, "open a fresh review (reads the record again)", in: model),
            offer(.explain, model.reviewDetail ? "close the event" : "open the selected event: every field, whole", disabled: noEvent, in: model),
            offer(.sort, "sort", disabled: "the timeline is in time order", in: model),
            offer(.filter, "filter", disabled: "the review shows every event; [ ] move between them", in: model),
        ]
        for action in [AppAction.promote, .overridePromote, .rollback, .acknowledge, .holdRollback] {
            keys.append(offer(action, model.keys.binding(for: action)?.help ?? action.rawValue, disabled: live, in: model))
        }
        return keys.compactMap { $0 }
    }

    func handle(_ action: AppAction, in model: inout AppModel) -> Bool {
        guard var session = model.review else { return false }
        defer { model.review = session }
        let inChecklist = session.view == .checklist
        // In then-and-now the list keys scroll its table; `[` `]` `{` `}` still move in time.
        if session.view == .thenNow {
            switch action {
            case .moveUp: session.scrollThenNow(by: -1); return true
            case .moveDown: session.scrollThenNow(by: 1); return true
            case .pageUp: session.scrollThenNow(by: -10); return true
            case .pageDown: session.scrollThenNow(by: 10); return true
            default: break
            }
        }
        let slug = session.history.release.slug
        switch action {
        case .previousEvent: session.moveEvent(by: -1)
        case .nextEvent: session.moveEvent(by: 1)
        case .moveUp: if inChecklist { session.checklistSelection = max(0, session.checklistSelection - 1) } else { session.moveEvent(by: -1) }
        case .moveDown:
            if inChecklist { session.checklistSelection = min(ReviewChecklist.items.count - 1, session.checklistSelection + 1) }
            else { session.moveEvent(by: 1) }
        case .pageUp: session.moveEvent(by: -10)
        case .pageDown: session.moveEvent(by: 10)
        case .stepBack: session.step(by: -1)
        case .stepForward: session.step(by: 1)
        case .top: session.moveToEnd(false)
        case .bottom: session.moveToEnd(true)
        case .thenNow: session.show(.thenNow)
        case .checklist: session.show(.checklist)
        case .explain: model.reviewDetail.toggle()
        case .back:
            if model.reviewDetail { model.reviewDetail = false }
            else if session.view != .dashboard { session.show(session.view) }
            else { model.screen = .release }
        case .review:
            // A fresh review reads the record again; the one open stays until it is in.
            model.review = session
            model.openReview()
            session = model.review ?? session
        case .note:
            guard let event = session.selected else { model.message = "no event to attach a note to"; break }
            let note = OperatorAction.note(reference: event.reference)
            if let why = model.reviewRefusal(note, release: slug) { model.message = "note — blocked: \(why)"; break }
            model.inputMode = .note
            model.input = ""
        case .pauseResume:
            guard inChecklist else {
                model.message = "space ticks checklist items (open the checklist with \(KeyHints.key(.checklist, in: model.keys) ?? "c"))"
                break
            }
            let item = ReviewChecklist.items[session.checklistSelection]
            let tick = OperatorAction.reviewCheck(item: item, checked: session.checklist.ticked[item] == nil)
            if let why = model.reviewRefusal(tick, release: slug) { model.message = "\(tick.verb) — blocked: \(why)"; break }
            model.effects.append(.perform(tick, reason: "", release: slug))
        case .signOff:
            guard let live = model.snapshot?.analysis else { model.message = "sign off: the release is not loaded"; break }
            var a = live
            a.events = session.history.events
            guard let op = model.actor else { model.message = "sign off — blocked: \(model.noRole)"; break }
            if let why = ActionLayer.blocker(.signOff, analysis: a, by: op) {
                model.message = "sign off — blocked: \(why)"
                model.effects.append(.auditRefusal(.signOff, why: why, release: slug))
                break
            }
            model.dialog = ConfirmDialog(action: .signOff, analysis: a)
        case .promote, .overridePromote, .rollback, .acknowledge, .holdRollback:
            model.message = "actions work on the live screen (\(KeyHints.key(.back, in: model.keys) ?? "esc") leaves the review)"
        default:
            return false
        }
        return true
    }
}
