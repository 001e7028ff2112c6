import GatewatchCore

/// The headless verdict of `gatewatch check` and its exit status (a public contract: pipelines branch on it).
public enum CheckVerdict: String, Codable, Sendable {
    /// No rollback rule firing and, if a next stage exists, every gate passes.
    case clear
    /// Promotion is held: a gate failed or cannot decide (inconclusive needs a human).
    case blocked
    /// A rollback-severity rule (not a dry run) is firing.
    case rollback

    public var exitStatus: Int32 {
        switch self {
        case .clear: return 0
        case .blocked: return 10
        case .rollback: return 20
        }
    }

    /// A rolled-back release is `blocked`: nothing may be promoted and the rollback has already happened. Stale or
    /// future-dated metrics are never `clear` (also at the last stage, where no gate applies); a rollback rule held
    /// firing on stale data is still `rollback`: the last evidence said so.
    public init(_ a: ReleaseAnalysis) {
        if a.state.status == .rolledBack { self = .blocked }
        else if !a.firingRollbackRules.isEmpty { self = .rollback }
        else if a.gates.contains(where: { !$0.passed }) { self = .blocked }
        else if let f = a.freshness, !f.isCurrent { self = .blocked }
        else if a.metricsThrough != nil { self = .blocked }
        else { self = .clear }
    }
}
