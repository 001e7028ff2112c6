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
    /// A reviewer's note attached to a timeline event (`reference`); the text is the reason.
    case note(reference: String)
    /// Tick or untick an item of the review checklist.
    case reviewCheck(item: String, checked: Bool)
    /// Sign the review off (every checklist item ticked).
    case signOff
    /// Hold automatic rollback (the guard's and the controller's) for `seconds`; reason required. Pause never does.
    case holdRollback(seconds: Int64)
    /// End a hold of automatic rollback before it expires.
    case endRollbackHold

    /// True for actions that change no rollout state (recorded in the log only; no compare-and-swap needed).
    public var onlyRecords: Bool {
        switch self {
        case .acknowledge, .note, .reviewCheck, .signOff: return true
        default: return false
        }
    }

    public var kind: AuditKind {
        switch self {
        case .promote: return .promote
        case .overridePromote: return .override
        case .rollback: return .rollback
        case .acknowledge: return .acknowledge
        case .pause: return .pause
        case .resume: return .resume
        case .note: return .note
        case .reviewCheck: return .review
        case .signOff: return .signOff
        case .holdRollback: return .holdRollback
        case .endRollbackHold: return .endHold
        }
    }

    /// Who may do it.
    public var allowedRoles: Set<Role> {
        switch self {
        case .promote, .overridePromote: return [.owner]
        case .rollback: return [.owner, .oncall, .controller]
        case .pause, .resume, .holdRollback, .endRollbackHold: return [.owner, .oncall]
        case .acknowledge: return [.owner, .oncall]
        case .note: return [.owner, .oncall, .reviewer]
        case .reviewCheck, .signOff: return [.reviewer]
        }
    }

    /// Whether the action needs the analysis (the metrics): only promotion does. Rollback, pause, resume,
    /// acknowledge and the hold need the registry alone, so they work while the metrics are down.
    public var needsAnalysis: Bool {
        switch self {
        case .promote, .overridePromote: return true
        default: return false
        }
    }

    /// Whether a reason must be given.
    public var needsReason: Bool {
        switch self {
        case .overridePromote, .rollback, .note, .holdRollback: return true
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
        case .note: return "add a note"
        case .reviewCheck(_, let checked): return checked ? "tick" : "untick"
        case .signOff: return "sign off"
        case .holdRollback: return "hold automatic rollback"
        case .endRollbackHold: return "end the rollback hold"
        }
    }
}

/// Who is acting: the name the registry authenticated (`Identity.name`), the role of this session (the granted one
/// or one `--as` lowered it to) and the name the person gave, recorded beside theirs (`--operator`).
public struct Operator: Equatable, Sendable {
    public var name: String
    public var role: Role
    /// `--read-only`: every write is refused.
    public var readOnly: Bool
    /// The name given with `--operator` or the config's `operator.name`; never the actor.
    public var displayName: String?

    public init(name: String, role: Role, readOnly: Bool = false, displayName: String? = nil) {
        self.name = name
        self.role = role
        self.readOnly = readOnly
        self.displayName = displayName.flatMap { $0.isEmpty || $0 == name ? nil : $0 }
    }

    /// "root", or "root (as “ana”)".
    public var text: String { displayName.map { "\(name) (as “\($0)”)" } ?? name }
}
