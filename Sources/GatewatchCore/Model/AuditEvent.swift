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
    /// An owner gave a user a role on the store (store log, `AuditEvent.storeLog`).
    case grant
    /// An owner took a user's role away (store log).
    case revoke
}

/// One entry of the append-only audit log: who did what, when, why, from which state to which.
public struct AuditEvent: Codable, Sendable, Hashable {
    /// Position in the log; nil until stored.
    public var id: Int64?
    public var release: String
    public var time: Timestamp
    /// Who acted, as the source authenticated them (the OS user, the MLflow user).
    public var actor: String
    /// The name the actor gave (`--operator`, the config's `operator.name`), recorded beside `actor`, never instead.
    public var actorDisplay: String?
    public var role: Role
    public var kind: AuditKind
    public var reason: String
    public var fromState: String
    public var toState: String

    /// The log of the store itself (role grants), kept beside the releases' logs; no release slug can be it.
    public static let storeLog = "@store"

    public init(id: Int64? = nil, release: String, time: Timestamp, actor: String, actorDisplay: String? = nil, role: Role,
                kind: AuditKind, reason: String, fromState: String, toState: String) {
        self.id = id
        self.release = release
        self.time = time
        self.actor = actor
        self.actorDisplay = actorDisplay.flatMap { $0.isEmpty || $0 == actor ? nil : $0 }
        self.role = role
        self.kind = kind
        self.reason = reason
        self.fromState = fromState
        self.toState = toState
    }
}

extension AuditEvent {
    /// The actor for people to read: "root", or "root (as “ana”)" when a display name was given.
    public var actorText: String {
        actorDisplay.map { "\(actor) (as “\($0)”)" } ?? actor
    }
}
