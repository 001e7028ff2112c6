import GatewatchCore

/// What an operator asks for. Every path — keys, command line, the guard — goes through `ActionLayer`.
public enum OperatorAction: Equatable, Sendable {
    /// Promote to the next stage; allowed only when every gate passes.
    case promote
    /// Promote although gates fail (owner only, reason mandatory); recorded as an override.
    case overridePromote
    /// Challenger traffic to 0, champion restored (owner and on-call; never blocked by stale metrics).
    case rollback
    /// Acknowledge a pending or firing rule (scope: its segment, or nil for overall).
    case acknowledge(rule: String, segment: String?)
    /// Stop or restart automatic progression.
    case pause
    case resume

    public var kind: AuditKind {
        switch self {
        case .promote: return .promote
        case .overridePromote: return .override
        case .rollback: return .rollback
        case .acknowledge: return .acknowledge
        case .pause: return .pause
        case .resume: return .resume
        }
    }

    /// Who may do it.
    public var allowedRoles: Set<Role> {
        switch self {
        case .promote, .overridePromote: return [.owner]
        case .rollback: return [.owner, .oncall, .controller]
        case .pause, .resume: return [.owner, .oncall]
        case .acknowledge: return [.owner, .oncall]
        }
    }

    /// Whether a reason must be given.
    public var needsReason: Bool {
        switch self {
        case .overridePromote, .rollback: return true
        default: return false
        }
    }

    public var verb: String {
        switch self {
        case .promote: return "promote"
        case .overridePromote: return "override and promote"
        case .rollback: return "roll back"
        case .acknowledge: return "acknowledge"
        case .pause: return "pause"
        case .resume: return "resume"
        }
    }
}

/// Who is acting.
public struct Operator: Equatable, Sendable {
    public var name: String
    public var role: Role
    /// `--read-only`: every write is refused.
    public var readOnly: Bool

    public init(name: String, role: Role, readOnly: Bool = false) {
        self.name = name
        self.role = role
        self.readOnly = readOnly
    }
}
