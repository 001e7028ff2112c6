import GatewatchCore

/// The operator actions on the release in view (release and segment screens), each with what blocks it now: the
/// role, a read-only session, a gate. A blocked action is still tried when its key is pressed, so the refusal is
/// audited (`AppModel.open`).
struct ReleaseActionsController: KeyController {
    var now: Double

    func title(_ model: AppModel) -> String { "Actions on \(model.snapshot?.analysis.release.slug ?? "the release")" }

    func offered(_ model: AppModel) -> [OfferedKey] {
        let paused = model.snapshot?.analysis.state.status == .paused
        let held = model.snapshot.flatMap { $0.analysis.state.activeRollbackHold(at: $0.analysis.asOf) } != nil
        let hold: OperatorAction = held ? .endRollbackHold : .holdRollback(seconds: RollbackHold.defaultSeconds)
        return [
            offer(.promote, "promote to the next stage (gates must pass)", disabled: model.blocker(.promote, now: now), in: model),
            offer(.overridePromote, "override the gates and promote (reason needed)", disabled: model.blocker(.overridePromote, now: now), in: model),
            offer(.rollback, "roll back (reason needed)", disabled: model.blocker(.rollback, now: now), in: model),
            offer(.pauseResume, paused ? "resume progression" : "pause progression (automatic rollback stays on)",
                  disabled: model.blocker(paused ? .resume : .pause, now: now), in: model),
            offer(.holdRollback, held ? "end the hold of automatic rollback" : "hold automatic rollback for 30m (reason needed)",
                  disabled: model.blocker(hold, now: now), in: model),
        ].compactMap { $0 }
    }

    func handle(_ action: AppAction, in model: inout AppModel) -> Bool {
        let a = model.snapshot?.analysis
        switch action {
        case .promote: model.open(.promote)
        case .overridePromote: model.open(.overridePromote)
        case .rollback: model.open(.rollback)
        case .pauseResume: model.open(a?.state.status == .paused ? .resume : .pause)
        case .holdRollback:
            let held = a.flatMap { $0.state.activeRollbackHold(at: $0.asOf) } != nil
            model.open(held ? .endRollbackHold : .holdRollback(seconds: RollbackHold.defaultSeconds))
        case .acknowledge:
            // The Stop rules panel acknowledges its selected rule; from anywhere else `a` would act on a row not in view.
            model.message = "acknowledge works on the selected stop rule: \(model.screen == .release ? "tab to the Stop rules panel" : "esc, then the Stop rules panel")"
        default: return false
        }
        return true
    }
}
