/// Whether a stored rollout state is one the audit log explains: replaying the log's transitions (`StateReplay`)
/// must give the stored stage, status, serving champion and rollback target. A state written without its event (an
/// UPDATE of the store, a tag edited in MLflow) is then found by `gatewatch audit verify`, although the hash chain
/// of the events themselves is intact.
public enum StateCheck {
    /// Why `stored` is not what `events` explain, in words; nil when it is.
    public static func problem(release: Release, stored: RolloutState, events: [AuditEvent]) -> String? {
        let mine = events.filter { $0.release == release.slug }
        guard let replayed = StateReplay.state(of: release, events: mine, asOf: .max) else {
            return "a state is stored but the audit log has no start event that explains it"
        }
        var differences: [String] = []
        if stored.stageIndex != replayed.stageIndex {
            differences.append("stage \(stageName(release, stored.stageIndex)) where the log leads to \(stageName(release, replayed.stageIndex))")
        }
        if stored.status != replayed.status {
            differences.append("status \(stored.status.label) where the log leads to \(replayed.status.label)")
        }
        if stored.champion(of: release) != replayed.champion(of: release) {
            differences.append("champion v\(stored.champion(of: release)) where the log leads to v\(replayed.champion(of: release))")
        }
        if stored.rollbackTarget != replayed.rollbackTarget {
            differences.append("rollback target \(stored.rollbackTarget.map { "v\($0)" } ?? "none") where the log leads to \(replayed.rollbackTarget.map { "v\($0)" } ?? "none")")
        }
        guard !differences.isEmpty else { return nil }
        let last = mine.last { [.start, .promote, .override, .rollback, .pause, .resume].contains($0.kind) }
        let after = last.map { " (last transition: \($0.kind.rawValue) to \($0.toState) at \(TimeText.minute($0.time))Z by \($0.actorText))" } ?? ""
        return "the stored state is not what the audit log explains: " + differences.joined(separator: "; ") + after
    }

    static func stageName(_ release: Release, _ index: Int) -> String {
        release.stages.indices.contains(index) ? release.stages[index].name : "#\(index)"
    }
}
