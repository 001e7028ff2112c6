import GatewatchCore

extension ActionLayer {
    /// Rolls back a release whose stored rollout state is damaged (`RegistryError.damagedState`). No analysis can be
    /// made of such a state, but a rollback needs none: challenger traffic to 0 and the spec's champion serving is
    /// a state the spec and the audit log give (the log's replay with this rollback). Role and reason are checked as
    /// for any rollback, refusals are audited, and the rollback event records what was damaged.
    public func rollBackDamaged(_ release: Release, damage: String, by op: Operator, reason: String, at time: Timestamp) -> Outcome {
        let slug = release.slug
        let reasonText = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        let damaged = "damaged state"
        func refuse(_ why: String) -> Outcome {
            let event = AuditEvent(release: slug, time: time, actor: op.name, actorDisplay: op.displayName, role: op.role, kind: .refusal,
                                   reason: "rollback refused: \(why)\(reasonText.isEmpty ? "" : " — \(reasonText)")",
                                   fromState: damaged, toState: damaged)
            do { try registry.append(event) } catch {
                return .refused("rollback refused: \(why) (the refusal could not be written to the audit log: \(error))")
            }
            return .refused("rollback refused: \(why)")
        }
        if let why = registry.readOnlyReason { return .refused("rollback refused: \(why)") }
        if op.readOnly { return refuse("read-only session") }
        let roles = OperatorAction.rollback.allowedRoles
        if !roles.contains(op.role) {
            return refuse("\(op.role.rawValue) may not roll back (needs \(roles.map(\.rawValue).sorted().joined(separator: " or ")))")
        }
        if reasonText.isEmpty { return refuse("a reason is required") }
        let events = (try? registry.auditEvents(release: slug)) ?? []
        let started = events.first { $0.kind == .start }?.time ?? time
        let event = AuditEvent(release: slug, time: time, actor: op.name, actorDisplay: op.displayName, role: op.role, kind: .rollback,
                               reason: "\(reasonText) [the stored state was damaged: \(damage); replaced from the spec]",
                               fromState: damaged, toState: "rolled back")
        // The state the audit log explains, this rollback included (so `audit verify` finds it explained); from the
        // spec alone when the log has no start to replay from.
        var state = StateReplay.state(of: release, events: events + [event], asOf: .max)
            ?? RolloutState(stageIndex: 0, stageEnteredAt: time, startedAt: min(started, time), status: .rolledBack)
        state.servingChampion = nil
        state.rollbackHold = nil
        do {
            try registry.replaceDamagedState(slug, with: state, event: event)
        } catch {
            return .refused("rollback failed: \(error); nothing was changed")
        }
        return afterSuccess(event, message: "rolled back \(slug): challenger traffic 0%, champion v\(release.championVersion) restored "
                                            + "(the damaged state was replaced from the spec)")
    }
}
