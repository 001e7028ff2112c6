import GatewatchCore
import GatewatchUI

/// What happened to the watched releases while this session watched them, by someone else: automatic promotions,
/// rollbacks by the guard, other operators' actions. A poll that brings such events gives a transient notice (the
/// footer message) and the events pane (`E`) marks them new until it has been opened.
public struct NoticeLog: Equatable, Sendable {
    /// Events that arrived during the session, newest last.
    public private(set) var arrived: [AuditScreen.RowID] = []
    /// How many of them the events pane has not shown yet.
    public private(set) var unseen = 0
    static let kept = 200

    public init() {}

    /// Kinds worth a notice: what changes where traffic goes or who is answering for it.
    static func isNotable(_ e: AuditEvent) -> Bool {
        switch e.kind {
        case .start, .promote, .rollback, .pause, .resume, .override, .acknowledge, .holdRollback, .endHold, .signOff: return true
        case .refusal: return e.role == .controller // the guard could not act
        case .note, .review, .grant, .revoke: return false
        }
    }

    /// Whether this session's own operator wrote the event (its outcome is already said in the footer).
    static func isOwn(_ e: AuditEvent, actor: Operator?) -> Bool {
        guard let actor else { return false }
        return e.actor == actor.name && e.role == actor.role && e.actorDisplay == actor.displayName
    }

    /// What the event did, in a few words: `promoted canary-5 → canary-25`.
    static func summary(_ e: AuditEvent) -> String {
        let move = e.fromState == e.toState || e.toState.isEmpty ? "" : " \(e.fromState) → \(e.toState)"
        switch e.kind {
        case .start: return "started at \(e.toState)"
        case .promote: return "promoted" + move
        case .override: return "promoted over the gates" + move
        case .rollback: return "rolled back" + move
        case .pause: return "paused"
        case .resume: return "resumed"
        case .acknowledge: return "acknowledged"
        case .holdRollback: return "automatic rollback held"
        case .endHold: return "rollback hold ended"
        case .signOff: return "review signed off"
        case .refusal: return "refused"
        case .note: return "note"
        case .review: return "checklist"
        case .grant: return "role granted"
        case .revoke: return "role revoked"
        }
    }

    /// The notice line of an event: `● 10:12 checkout-risk-v6 promoted canary-5 → canary-25 by rollout-controller
    /// (controller): bake and gates passed`.
    static func text(_ e: AuditEvent) -> String {
        let who = e.role == .controller ? "\(e.actorText) (automatic)" : "\(e.actorText) (\(e.role.rawValue))"
        return "● \(TimeText.minute(e.time).suffix(5)) \(e.release) \(summary(e)) by \(who)" + (e.reason.isEmpty ? "" : ": \(TextSanitizer.clean(e.reason))")
    }

    /// Records the notable events of `new` that `old` did not have (a release read for the first time brings its
    /// history, not news); returns the notice to show, or nil.
    public mutating func record(old: [ReleaseSnapshot], new: [ReleaseSnapshot], actor: Operator?) -> String? {
        var before: [String: Set<AuditScreen.RowID>] = [:]
        for s in old { before[s.analysis.release.slug] = Set(s.analysis.events.map(AuditScreen.RowID.init)) }
        var fresh: [AuditEvent] = []
        for s in new {
            guard let known = before[s.analysis.release.slug] else { continue }
            fresh += s.analysis.events.filter { !known.contains(AuditScreen.RowID($0)) && Self.isNotable($0) && !Self.isOwn($0, actor: actor) }
        }
        guard !fresh.isEmpty else { return nil }
        fresh.sort { ($0.time, $0.id ?? 0) < ($1.time, $1.id ?? 0) }
        arrived += fresh.map(AuditScreen.RowID.init)
        if arrived.count > Self.kept { arrived.removeFirst(arrived.count - Self.kept) }
        unseen = min(arrived.count, unseen + fresh.count)
        let newest = fresh.last!
        return Self.text(newest) + (fresh.count > 1 ? " (+\(fresh.count - 1) more: :events lists them)" : "")
    }

    /// The events pane has shown every notice.
    public mutating func markSeen() { unseen = 0 }

    /// Whether the event arrived while this session watched.
    public func isNew(_ e: AuditEvent) -> Bool { arrived.contains(AuditScreen.RowID(e)) }
}
