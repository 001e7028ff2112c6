import Foundation
import GatewatchCore

/// The one place actions are checked and executed: role, read-only mode, gates, reasons, and a compare-and-swap
/// on the rollout state's version so two operators cannot both act on the same state. Every outcome — done or
/// refused — is written to the audit log.
public struct ActionLayer: Sendable {
    public let registry: any Registry
    /// Commands run after successful actions.
    public var hooks: HookRunner
    /// Where on-call's alerts live: a new acknowledgement also silences the rule's alerts there for the episode.
    public var alerts: (any AlertSource)?

    public init(registry: any Registry, hooks: HookRunner = HookRunner(commands: [:]), alerts: (any AlertSource)? = nil) {
        self.registry = registry
        self.hooks = hooks
        self.alerts = alerts
    }

    /// Silences the acknowledged rule's alerts for its episode (`EpisodeSilence`); a failure is audited as a note and
    /// said, never undoes the acknowledgement.
    func silence(_ e: RuleEvaluation, event: AuditEvent, outcome: Outcome) -> Outcome {
        guard let alerts, case .done(let message) = outcome else { return outcome }
        do {
            // A silence lives in the real world: it starts now on the wall clock, whatever clock the release runs on
            // (the demo's is its own). The episode in its comment stays on the release's clock, as the rules are.
            let wall = Timestamp(Date().timeIntervalSince1970)
            let id = try alerts.createSilence(EpisodeSilence.request(release: event.release, evaluation: e, actor: event.actor, at: wall))
            return .done("\(message) · Alertmanager silence \(id.prefix(8)) until the episode ends")
        } catch {
            try? registry.append(AuditEvent(release: event.release, time: event.time, actor: event.actor, actorDisplay: event.actorDisplay, role: event.role,
                                            kind: .note, reason: "acknowledge done, but the Alertmanager silence failed: \(error)",
                                            fromState: event.toState, toState: event.toState))
            return .done("\(message) — but the Alertmanager silence failed: \(error)")
        }
    }

    /// Runs the hook of a done action; a failure is audited as a note and added to the message, never undone.
    func afterSuccess(_ event: AuditEvent, message: String) -> Outcome {
        guard let failure = hooks.run(for: event) else { return .done(message) }
        try? registry.append(AuditEvent(release: event.release, time: event.time, actor: event.actor, actorDisplay: event.actorDisplay, role: event.role, kind: .note,
                                        reason: "\(event.kind.rawValue) done, but \(failure)", fromState: event.toState, toState: event.toState))
        return .done("\(message) — but \(failure)")
    }

    /// The result of an action, with words for the screen.
    public enum Outcome: Equatable, Sendable {
        case done(String)
        case refused(String)

        public var message: String {
            switch self {
            case .done(let m), .refused(let m): return m
            }
        }
        public var succeeded: Bool { if case .done = self { return true } else { return false } }
    }

    static func pastTense(_ kind: AuditKind) -> String {
        switch kind {
        case .start: return "started"
        case .promote: return "promoted"
        case .rollback: return "rolled back"
        case .acknowledge: return "acknowledged"
        case .pause: return "paused"
        case .resume: return "resumed"
        case .note: return "noted"
        case .override: return "promoted with an override"
        case .refusal: return "refused"
        case .review: return "reviewed"
        case .signOff: return "signed off"
        case .holdRollback: return "held automatic rollback"
        case .endHold: return "ended the rollback hold"
        case .grant: return "granted a role"
        case .revoke: return "revoked a role"
        }
    }

    /// Why an action is not possible right now (nil: it is). Used for the footer and the refusal.
    public static func blocker(_ action: OperatorAction, analysis a: ReleaseAnalysis, by op: Operator) -> String? {
        if op.readOnly { return "read-only session" }
        if !action.allowedRoles.contains(op.role) {
            return "\(op.role.rawValue) may not \(action.verb) (needs \(action.allowedRoles.map(\.rawValue).sorted().joined(separator: " or ")))"
        }
        switch action {
        case .promote:
            if a.state.status == .rolledBack { return "rolled back" }
            if a.state.status == .paused { return "paused" }
            guard a.nextStage != nil else { return "already at the last stage" }
            if let held = a.gates.first(where: { !$0.passed && $0.gate != .approval }) {
                return "\(held.gate.label): \(held.reason)"
            }
            return nil
        case .overridePromote:
            if a.state.status == .rolledBack { return "rolled back" }
            return a.nextStage == nil ? "already at the last stage" : nil
        case .rollback:
            return a.state.status == .rolledBack ? "already rolled back" : nil
        case .acknowledge(let rule, let segment):
            guard let e = a.rules.first(where: { $0.rule.name == rule && $0.segment == segment }) else { return "no rule \(rule)" }
            // A rule held on stale or unread metrics may be firing now: acknowledging it is allowed.
            return e.status == .ok && e.heldAt == nil ? "rule is ok" : nil
        case .pause:
            return a.state.status == .running ? nil : "not running (\(a.state.status.label))"
        case .holdRollback(let seconds):
            if a.state.status == .rolledBack { return "already rolled back" }
            if seconds < 60 || seconds > RollbackHold.maximumSeconds {
                return "a hold lasts from 1m to \(DurationText.format(RollbackHold.maximumSeconds)) (asked: \(DurationText.format(max(0, seconds))))"
            }
            return nil
        case .endRollbackHold:
            return a.state.activeRollbackHold(at: a.asOf) == nil ? "automatic rollback is not held" : nil
        case .resume:
            return a.state.status == .paused ? nil : "not paused"
        case .note, .reviewCheck:
            return nil
        case .signOff:
            let checklist = ReviewChecklist(events: a.events)
            if checklist.signOff != nil { return "already signed off by \(checklist.signOff!.actorText)" }
            return checklist.complete ? nil : "not ticked yet: \(checklist.missing.joined(separator: ", "))"
        }
    }

    /// Records a refusal in the audit log (kind `refusal`, with the reason) and says so; when the log cannot be
    /// written the words say that too, so a refusal is never silently lost.
    public func refuse(_ action: OperatorAction, why: String, analysis a: ReleaseAnalysis, by op: Operator, reason: String = "",
                       at time: Timestamp) -> Outcome {
        let time = Self.eventTime(time, analysis: a)
        let reasonText = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        let event = AuditEvent(release: a.release.slug, time: time, actor: op.name, actorDisplay: op.displayName, role: op.role, kind: .refusal,
                               reason: "\(action.verb) refused: \(why)\(reasonText.isEmpty ? "" : " — \(reasonText)")",
                               fromState: a.stage.name, toState: a.stage.name)
        do {
            try registry.append(event)
        } catch {
            return .refused("\(action.verb) refused: \(why) (the refusal could not be written to the audit log: \(error))")
        }
        return .refused("\(action.verb) refused: \(why)")
    }

    /// The time an event is dated: `time`, but never before the release started nor before the newest event known
    /// (a system clock stepped back must not date an action before what it acts on).
    static func eventTime(_ time: Timestamp, analysis a: ReleaseAnalysis) -> Timestamp {
        max(time, a.state.startedAt, a.events.map(\.time).max() ?? .min)
    }

    /// Checks and performs `action` on the release of `analysis` at `time`.
    @discardableResult
    public func perform(_ action: OperatorAction, analysis screen: ReleaseAnalysis, by op: Operator, reason: String, at time: Timestamp) -> Outcome {
        var a = screen
        // A sign-off is checked against the whole stored log, not the events the (possibly past) screen knew.
        if action == .signOff, let stored = try? registry.auditEvents(release: a.release.slug) { a.events = stored }
        let time = Self.eventTime(time, analysis: a)
        let slug = a.release.slug
        let reasonText = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        let stageName = a.stage.name
        func refuse(_ why: String) -> Outcome { self.refuse(action, why: why, analysis: a, by: op, reason: reasonText, at: time) }
        // A registry opened read-only cannot record a refusal either.
        if let why = registry.readOnlyReason { return .refused("\(action.verb) refused: \(why)") }
        if let why = Self.blocker(action, analysis: a, by: op) { return refuse(why) }
        if action.needsReason && reasonText.isEmpty { return refuse("a reason is required") }
        if case .acknowledge(let rule, let segment) = action, let e = a.rules.first(where: { $0.rule.name == rule && $0.segment == segment }) {
            // The stored log, not the screen's: the acknowledgement may have been made since it was drawn.
            let stored = (try? registry.auditEvents(release: slug)) ?? a.events
            if let prior = Acknowledgement.covering(e, in: stored) {
                return .done("\(rule)\(segment.map { " [\($0)]" } ?? "") already acknowledged by \(prior.actorText) at \(TimeText.iso(prior.time))")
            }
        }

        if action.onlyRecords, action.kind != .acknowledge {
            var event = AuditEvent(release: slug, time: time, actor: op.name, actorDisplay: op.displayName, role: op.role, kind: action.kind,
                                   reason: reasonText, fromState: stageName, toState: stageName)
            let message: String
            switch action {
            case .note(let reference):
                event.fromState = reference
                message = "note added"
            case .reviewCheck(let item, let checked):
                event.toState = ReviewChecklist.state(item: item, checked: checked)
                message = "\(checked ? "ticked" : "unticked"): \(item)"
            default:
                event.toState = "signed off"
                message = "review of \(slug) signed off"
            }
            do { try registry.append(event) } catch { return .refused("\(action.verb) failed: \(error); nothing was recorded") }
            return afterSuccess(event, message: message)
        }

        // The state the decision was made on must still be the stored one.
        guard let current = try? registry.state(slug) else { return .refused("registry unavailable; nothing was changed") }
        /// What changed since the screen was drawn, and by whom: "now at canary-25, promoted by alice 4s ago". The
        /// change is the first state-changing event the screen did not know (an older one is not the winner of a
        /// race); when the winner's event is not written yet, the words say so instead of naming anyone.
        func changedSince() -> String {
            let stage = a.release.stages[min(max(current.stageIndex, 0), a.release.stages.count - 1)].name
            let known = Set(a.events.compactMap(\.id))
            let newest = a.events.compactMap(\.id).max() ?? .min
            let stored = (try? registry.auditEvents(release: slug)) ?? []
            let changes = stored.filter { e in
                ![.refusal, .note, .acknowledge, .review, .signOff].contains(e.kind) && e.id.map { !known.contains($0) && $0 > newest } ?? false
            }
            let by = changes.first.map { ", \(Self.pastTense($0.kind)) by \($0.actorText) \(DurationText.format(max(0, time - $0.time))) ago" }
                ?? " (by another writer, whose audit event is not stored yet)"
            return "the release changed since the screen was drawn: now \(current.status == .running ? "at \(stage)" : current.status.label + " at " + stage)\(by)"
        }
        if current.version != a.state.version { return refuse(changedSince()) }
        var next = current
        var event = AuditEvent(release: slug, time: time, actor: op.name, actorDisplay: op.displayName, role: op.role, kind: action.kind,
                               reason: reasonText, fromState: stageName, toState: stageName)
        switch action {
        case .promote, .overridePromote:
            guard let target = a.nextStage else { return refuse("already at the last stage") }
            next.stageIndex += 1
            next.stageEnteredAt = time
            next.status = next.stageIndex == a.release.stages.count - 1 ? .complete : .running
            if next.status == .complete {
                // The last promotion hands the champion role to the challenger and keeps the old champion to roll back to.
                next.rollbackTarget = current.champion(of: a.release)
                next.servingChampion = a.release.challengerVersion
            }
            event.toState = target.name
            if action == .overridePromote {
                let failing = a.gates.filter { !$0.passed }.map { "\($0.gate.rawValue): \($0.reason)" }.joined(separator: "; ")
                event.reason = "\(reasonText) [overrode: \(failing.isEmpty ? "nothing" : failing)]"
            } else if event.reason.isEmpty {
                event.reason = "all gates passed"
            }
        case .rollback:
            next.status = .rolledBack
            next.stageEnteredAt = time
            if let target = current.rollbackTarget {
                next.servingChampion = target == a.release.championVersion ? nil : target
                next.rollbackTarget = nil
            }
            event.toState = "rolled back"
        case .pause:
            next.status = .paused
            event.toState = "paused"
        case .holdRollback(let seconds):
            next.rollbackHold = RollbackHold(until: time + seconds, since: time, by: op.name, reason: reasonText)
            event.toState = RolloutState.holdEventState(until: time + seconds)
        case .endRollbackHold:
            next.rollbackHold = nil
            event.toState = "automatic rollback on"
        case .resume:
            next.status = .running
            event.toState = stageName
        case .note, .reviewCheck, .signOff:
            return refuse("not a state change")
        case .acknowledge(let rule, let segment):
            let e = a.rules.first { $0.rule.name == rule && $0.segment == segment }!
            event.toState = Acknowledgement.key(rule: rule, segment: segment, severity: e.rule.severity, status: e.status, since: e.since)
            // Checked again as part of the append: another operator may be acknowledging the same episode right now.
            let covered: AuditEvent?
            do {
                covered = try registry.append(event) { stored in Acknowledgement.covering(e, in: stored) }
            } catch {
                return .refused("acknowledge failed: \(error); nothing was recorded")
            }
            if let prior = covered {
                return .done("\(rule)\(segment.map { " [\($0)]" } ?? "") already acknowledged by \(prior.actorText) at \(TimeText.iso(prior.time))")
            }
            return silence(e, event: event, outcome: afterSuccess(event, message: "acknowledged \(rule)\(segment.map { " [\($0)]" } ?? "")"))
        }
        do {
            try registry.transition(slug, expectedVersion: current.version, to: next, event: event)
        } catch let error as RegistryError {
            if case .conflict = error, let now = try? registry.state(slug) {
                return refuse("someone else changed the release first (state version \(now.version)); look again")
            }
            if case .partial = error { return .refused("\(action.verb) failed part way: \(error)") }
            return .refused("\(action.verb) failed: \(error); nothing was changed")
        } catch {
            return .refused("\(action.verb) failed: \(error); nothing was changed")
        }
        switch action {
        case .rollback: return afterSuccess(event, message: "rolled back \(slug): challenger traffic 0%, champion v\(next.champion(of: a.release)) restored")
        case .pause: return afterSuccess(event, message: "paused \(slug): no automatic promotion; automatic rollback stays on")
        case .holdRollback(let seconds):
            return afterSuccess(event, message: "automatic rollback of \(slug) held for \(DurationText.format(seconds)), until \(TimeText.minute(time + seconds).suffix(5)) UTC; firing rollback rules are only reported")
        case .endRollbackHold: return afterSuccess(event, message: "rollback hold of \(slug) ended: automatic rollback is on")
        case .resume: return afterSuccess(event, message: "resumed \(slug)")
        default: return afterSuccess(event, message: "promoted \(slug): \(stageName) → \(event.toState)")
        }
    }
}

/// How an acknowledgement names what it acknowledges: the rule, its scope, the severity and the episode (since when
/// it has been pending/firing). A new episode, or a higher severity, is not covered by an older acknowledgement.
public enum Acknowledgement {
    public static func key(rule: String, segment: String?, severity: Severity, status: RuleStatus, since: Timestamp?) -> String {
        "ack \(rule) [\(segment ?? "overall")] \(severity.rawValue)"
    }

    /// The acknowledgement event covering a rule's current episode, if any.
    public static func covering(_ e: RuleEvaluation, in events: [AuditEvent]) -> AuditEvent? {
        guard e.status != .ok else { return nil }
        let key = key(rule: e.rule.name, segment: e.segment, severity: e.rule.severity, status: e.status, since: e.since)
        let episodeStart = e.activeAt ?? e.since ?? .min
        return events.last { $0.kind == .acknowledge && $0.toState == key && $0.time >= episodeStart }
    }
}
