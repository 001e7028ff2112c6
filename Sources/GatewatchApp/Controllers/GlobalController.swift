/// Keys that work on every screen.
struct GlobalController: KeyController {
    func title(_ model: AppModel) -> String { "Everywhere" }

    func offered(_ model: AppModel) -> [OfferedKey] {
        [
            offer(.help, model.showingHelp ? "close this help" : "the keys of this screen", in: model),
            offer(.command, "command: :release NAME, :review, :audit, :theme NAME, :q (tab completes)", in: model),
            offer(.events, model.showingEvents ? "close the events" : "events: promotions, rollbacks, others' actions", in: model),
            offer(.audit, "the audit log", disabled: model.screen == .audit ? "this is the audit log" : nil, in: model),
            offer(.redraw, "redraw the screen", in: model),
            offer(.quit, "quit", in: model),
        ].compactMap { $0 }
    }
}
