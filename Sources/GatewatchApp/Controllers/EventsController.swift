/// Keys of the events pane while it is open: its list, `enter` on an event, esc. Every other key goes on to the
/// screen underneath (a rollback is never held up by an open pane).
struct EventsController: KeyController {
    func title(_ model: AppModel) -> String { "Events pane" }

    func offered(_ model: AppModel) -> [OfferedKey] {
        let none = EventsPane.ids(model.allEvents).isEmpty ? "no promotions, rollbacks or acknowledgements yet" : nil
        return listKeys("the events", disabled: none, in: model) + [
            offer(.explain, model.eventsDetail ? "close the event" : "open the selected event: every field, whole", disabled: none, in: model),
            offer(.back, model.eventsDetail ? "close the event" : "close the events", in: model),
        ].compactMap { $0 }
    }

    func handle(_ action: AppAction, in model: inout AppModel) -> Bool {
        if move(&model.eventsSelection, action, in: EventsPane.ids(model.allEvents)) { return true }
        switch action {
        case .explain: model.eventsDetail.toggle()
        case .back:
            if model.eventsDetail { model.eventsDetail = false } else { model.showingEvents = false }
        default: return false
        }
        return true
    }
}
