/// Where a release stands in its rollout.
public enum RolloutStatus: String, Codable, Sendable {
    case running
    case paused
    case awaitingApproval = "awaiting_approval"
    case rolledBack = "rolled_back"
    case complete

    /// Words for the header.
    public var label: String {
        switch self {
        case .running: return "running"
        case .paused: return "paused"
        case .awaitingApproval: return "awaiting approval"
        case .rolledBack: return "rolled back"
        case .complete: return "complete"
        }
    }
}

/// The mutable state of a release in the registry.
public struct RolloutState: Codable, Sendable, Hashable {
    public var stageIndex: Int
    /// When the current stage was entered.
    public var stageEnteredAt: Timestamp
    /// When the release started (first stage entered).
    public var startedAt: Timestamp
    public var status: RolloutStatus
    /// Incremented by every write; used to detect concurrent writers.
    public var version: Int64
    /// The version the registry serves as champion, once it differs from the release's planned champion: set to the
    /// challenger by the promotion to the last stage, and back by a rollback. Nil means the planned champion.
    public var servingChampion: String?
    /// The version a rollback restores as champion after the challenger took over (the previous champion).
    public var rollbackTarget: String?
    /// An explicit, time-limited hold of automatic rollback (`OperatorAction.holdRollback`): until it expires the
    /// guard and the demo's controller report a firing rollback rule instead of acting on it. Pause never does this.
    public var rollbackHold: RollbackHold?

    public init(stageIndex: Int, stageEnteredAt: Timestamp, startedAt: Timestamp, status: RolloutStatus, version: Int64 = 1) {
        self.stageIndex = stageIndex
        self.stageEnteredAt = stageEnteredAt
        self.startedAt = startedAt
        self.status = status
        self.version = version
    }

    /// The words a hold's audit event records as its new state (`automatic rollback held until <ISO time>`).
    public static func holdEventState(until: Timestamp) -> String { "automatic rollback held until \(TimeText.iso(until))" }

    /// The end time of a hold, read back from its audit event's new state.
    public static func holdEnd(fromEventState text: String) -> Timestamp? {
        let prefix = "automatic rollback held until "
        guard text.hasPrefix(prefix) else { return nil }
        return TimeText.parseISO(String(text.dropFirst(prefix.count)))
    }

    /// The hold of automatic rollback in force at `time`, if any (an expired hold is none).
    public func activeRollbackHold(at time: Timestamp) -> RollbackHold? {
        rollbackHold.flatMap { time < $0.until ? $0 : nil }
    }

    /// The version currently serving as champion for `release`.
    public func champion(of release: Release) -> String { servingChampion ?? release.championVersion }
}

/// Automatic rollback held by a person until `until`: who, when, why.
public struct RollbackHold: Codable, Sendable, Hashable {
    public var until: Timestamp
    public var since: Timestamp
    public var by: String
    public var reason: String

    public init(until: Timestamp, since: Timestamp, by: String, reason: String) {
        self.until = until
        self.since = since
        self.by = by
        self.reason = reason
    }

    /// The longest hold one action may set.
    public static let maximumSeconds: Int64 = 4 * 3600
    /// The hold the dashboard's key sets.
    public static let defaultSeconds: Int64 = 30 * 60
}
