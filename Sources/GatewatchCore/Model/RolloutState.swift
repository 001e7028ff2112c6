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

    public init(stageIndex: Int, stageEnteredAt: Timestamp, startedAt: Timestamp, status: RolloutStatus, version: Int64 = 1) {
        self.stageIndex = stageIndex
        self.stageEnteredAt = stageEnteredAt
        self.startedAt = startedAt
        self.status = status
        self.version = version
    }
}
