import GatewatchCore

/// The model's keys by context: which controllers are in scope, what each key does here, and why one does nothing.
extension AppModel {
    /// More than one release is watched (esc on the release screen goes to the overview).
    var isFleet: Bool { max(snapshots.count, expectedReleases ?? 0) > 1 }

    /// The controllers in scope, the most specific first: the panel, the screen, the release's actions, everywhere.
    func controllers(now: Double) -> [any KeyController] {
        var scoped: [any KeyController]
        switch screen {
        case .overview: scoped = [OverviewController()]
        case .release:
            // Until a release is read there is no panel to act in and nothing to act on.
            scoped = snapshot == nil ? [ReleaseController()]
                : [PanelController(panel: releaseScreen.focus, now: now), ReleaseController(), ReleaseActionsController(now: now)]
        case .segment(let name): scoped = [SegmentController(segment: name), ReleaseActionsController(now: now)]
        case .audit: scoped = [AuditController()]
        case .review: scoped = review == nil ? [ReleaseController()] : [ReviewController()]
        }
        // The events pane, while open, has the list keys, enter and esc first.
        return (showingEvents ? [EventsController()] : []) + scoped + [GlobalController()]
    }

    /// The help's sections for the current context.
    public func helpSections(now: Double) -> [HelpSection] {
        controllers(now: now).map { $0.section(self) }.filter { !$0.keys.isEmpty }
    }

    /// Why `action` does nothing in the current context, for an action that is not an operator action (those are
    /// tried, so a refusal is audited); nil when it acts, or when no controller here offers it.
    func disabledReason(_ action: AppAction, now: Double) -> (key: OfferedKey, why: String)? {
        guard !action.isOperatorAction else { return nil }
        for controller in controllers(now: now) where !(controller is ReleaseActionsController) {
            if let key = controller.offered(self).first(where: { $0.action == action }) {
                return key.disabled.map { (key, $0) }
            }
        }
        return nil
    }

    /// What blocks an operator action on the release in view now; nil when it can be confirmed.
    func blocker(_ action: OperatorAction, now: Double) -> String? {
        guard screen != .overview, let a = snapshot?.analysisForActions(now: now) else { return "open a release first" }
        guard let actor else { return noRole }
        return ActionLayer.blocker(action, analysis: a, by: actor).map { SegmentText.shorten($0, labels: SegmentText.labels(a.release)) }
    }

    /// What blocks a reviewer's tick (`checklist`) or note in the open review.
    func reviewBlocker(checklist: Bool) -> String? {
        guard let session = review else { return "no review is open" }
        guard let actor else { return noRole }
        if checklist {
            let item = ReviewChecklist.items[session.checklistSelection]
            return Self.refusal(.reviewCheck(item: item, checked: session.checklist.ticked[item] == nil), by: actor)
        }
        return session.selected.flatMap { Self.refusal(.note(reference: $0.reference), by: actor) }
    }

    /// What blocks signing the open review off.
    var signOffBlocker: String? {
        guard let session = review else { return "no review is open" }
        guard var a = snapshot?.analysis else { return "the release is not loaded" }
        guard let actor else { return noRole }
        a.events = session.history.events
        return ActionLayer.blocker(.signOff, analysis: a, by: actor)
    }

    /// Keys while the help is open: it scrolls, closes, or quits; every other key is held back (nothing moves
    /// behind the overlay).
    mutating func handleHelp(_ action: AppAction, now: Double) -> Bool {
        let lines = HelpOverlay.lineCount(helpSections(now: now), width: 60)
        switch action {
        case .help, .back: showingHelp = false; helpScroll = 0
        case .quit: shouldQuit = true
        case .moveDown: helpScroll = min(helpScroll + 1, lines)
        case .moveUp: helpScroll = max(0, helpScroll - 1)
        case .pageDown: helpScroll = min(helpScroll + 10, lines)
        case .pageUp: helpScroll = max(0, helpScroll - 10)
        case .top: helpScroll = 0
        case .bottom: helpScroll = lines
        default:
            message = "the help is open: \(KeyHints.key(.back, in: keys) ?? "esc") closes it"
        }
        return true
    }
}

extension AppAction {
    /// An action on the release or the review that is written to the audit log, refusals included.
    var isOperatorAction: Bool {
        switch self {
        case .promote, .overridePromote, .rollback, .pauseResume, .holdRollback, .acknowledge, .note, .signOff: return true
        default: return false
        }
    }
}
