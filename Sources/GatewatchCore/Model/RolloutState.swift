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

    public init(stageIndex: Int, stageEnteredAt: Timestamp, startedAt: Timestamp, status: RolloutStatus, version: Int64 = 1) {
        self.stageIndex = stageIndex
        self.stageEnteredAt = stageEnteredAt
        self.startedAt = startedAt
        self.status = status
        self.version = version
    }

    /// The version currently serving as champion for `release`.
    public func champion(of release: Release) -> String { servingChampion ?? release.championVersion }
}
