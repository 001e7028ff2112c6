/// Rebuilds the rollout state a release had at a past moment from its audit log: the log records every state
/// change (start, promote, override, rollback, pause, resume) with the stage it led to, so replaying it up to `t`
/// gives the state the operators saw at `t`.
public enum StateReplay {
    /// The state of `release` as of `time`, replaying `events` (in log order); nil before the release started.
    public static func state(of release: Release, events: [AuditEvent], asOf time: Timestamp) -> RolloutState? {
        var state: RolloutState?
        for e in events where e.release == release.slug && e.time <= time {
            switch e.kind {
            case .start:
                let index = release.stages.firstIndex { $0.name == e.toState } ?? 0
                // A release created at its last stage (an import of a finished release) starts complete.
                state = RolloutState(stageIndex: index, stageEnteredAt: e.time, startedAt: e.time,
                                     status: index == release.stages.count - 1 ? .complete : .running)
            case .promote, .override:
                guard var s = state else { continue }
                let index = release.stages.firstIndex { $0.name == e.toState } ?? min(s.stageIndex + 1, release.stages.count - 1)
                let wasChampion = s.champion(of: release)
                s.stageIndex = index
                s.stageEnteredAt = e.time
                s.status = index == release.stages.count - 1 ? .complete : .running
                if s.status == .complete {
                    s.rollbackTarget = wasChampion
                    s.servingChampion = release.challengerVersion
                }
                s.version += 1
                state = s
            case .rollback:
                guard var s = state else { continue }
                s.status = .rolledBack
                s.stageEnteredAt = e.time
                if let target = s.rollbackTarget {
                    s.servingChampion = target == release.championVersion ? nil : target
                    s.rollbackTarget = nil
                }
                s.version += 1
                state = s
            case .pause:
                state?.status = .paused
                state?.version += 1
            case .resume:
                guard var s = state else { continue }
                s.status = s.stageIndex == release.stages.count - 1 ? .complete : .running
                s.version += 1
                state = s
            case .holdRollback:
                guard var s = state, let until = RolloutState.holdEnd(fromEventState: e.toState) else { continue }
                s.rollbackHold = RollbackHold(until: until, since: e.time, by: e.actor, reason: e.reason)
                s.version += 1
                state = s
            case .endHold:
                state?.rollbackHold = nil
                state?.version += 1
            case .acknowledge, .note, .refusal, .review, .signOff, .grant, .revoke:
                continue
            }
        }
        return state
    }
}
