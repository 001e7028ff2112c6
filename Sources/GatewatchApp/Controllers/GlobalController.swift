import GatewatchUI

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

    func handle(_ action: AppAction, in model: inout AppModel) -> Bool {
        switch action {
        case .quit: model.shouldQuit = true
        case .help: model.showingHelp = true; model.helpScroll = 0
        case .command: model.inputMode = .command; model.input = ""
        case .audit: model.screen = .audit; model.auditDetail = false
        case .redraw: break
        case .events:
            model.showingEvents.toggle()
            model.eventsDetail = false
            if model.showingEvents { model.notices.markSeen(); model.eventsSelection = ListSelection() }
        case .previousEvent, .nextEvent, .stepBack, .stepForward, .thenNow, .checklist, .note, .signOff:
            model.message = "\(KeyHints.key(action, in: model.keys) ?? action.rawValue) works on the review screen (\(KeyHints.key(.review, in: model.keys) ?? ":review") opens it)"
        case .promote, .overridePromote, .rollback, .pauseResume, .holdRollback, .acknowledge:
            // No release in view (the overview, before the first poll): nothing to act on.
            model.message = "open a release first"
        default: return false
        }
        return true
    }
}
