/// What an audit event records.
public enum AuditKind: String, Codable, Sendable, CaseIterable {
    case start
    case promote
    case rollback
    case acknowledge
    case pause
    case resume
    case note
    case override
    case refusal
    /// A reviewer ticked or unticked an item of the post-release checklist.
    case review
    /// A reviewer signed the post-release review off.
    case signOff = "sign_off"
    /// Automatic rollback held until a time (`RollbackHold`).
    case holdRollback = "hold_rollback"
    /// A hold of automatic rollback ended early.
    case endHold = "end_hold"
}

/// One entry of the append-only audit log: who did what, when, why, from which state to which.
public struct AuditEvent: Codable, Sendable, Hashable {
    /// Position in the log; nil until stored.
    public var id: Int64?
    public var release: String
    public var time: Timestamp
    public var actor: String
    public var role: Role
    public var kind: AuditKind
    public var reason: String
    public var fromState: String
    public var toState: String

    public init(id: Int64? = nil, release: String, time: Timestamp, actor: String, role: Role, kind: AuditKind,
                reason: String, fromState: String, toState: String) {
        self.id = id
        self.release = release
        self.time = time
        self.actor = actor
        self.role = role
        self.kind = kind
        self.reason = reason
        self.fromState = fromState
        self.toState = toState
    }
}
