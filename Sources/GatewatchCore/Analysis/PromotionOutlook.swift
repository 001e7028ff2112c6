/// When the next promotion can happen, from the gates' own estimates: the answer to "when?" on the next-promotion
/// line, the overview and `check`.
public enum PromotionOutlook: Equatable, Sendable {
    /// Every gate passes.
    case promotable
    /// Every gate that holds it says when it passes at the current traffic: the latest of those, in seconds.
    case waiting(seconds: Int64)
    /// Only an owner's approval is missing once the other gates pass, in `seconds` (0: they pass now).
    case awaitingApproval(seconds: Int64)
    /// A gate that holds it has no time estimate (a blocking rule, stale data, a failed guardrail, a sample ratio
    /// mismatch, labels, an inconclusive wait that cannot be told): these gates, in the order shown.
    case held([GateKind])
    /// Nothing to promote to (the last stage, or rolled back).
    case none

    public static func of(_ a: ReleaseAnalysis) -> PromotionOutlook {
        guard a.nextStage != nil, a.state.status != .rolledBack, a.state.status != .complete else { return .none }
        let holding = a.gates.filter { !$0.passed }
        if holding.isEmpty { return .promotable }
        let timed = holding.filter { $0.gate != .approval }
        let untimed = timed.filter { $0.etaSeconds == nil }
        if !untimed.isEmpty { return .held(untimed.map(\.gate)) }
        let wait = timed.compactMap(\.etaSeconds).max() ?? 0
        return holding.contains { $0.gate == .approval } ? .awaitingApproval(seconds: wait) : .waiting(seconds: wait)
    }

    /// The earliest time of the promotion, when there is one to tell.
    public func earliest(asOf: Timestamp) -> Timestamp? {
        switch self {
        case .promotable: return asOf
        case .waiting(let s), .awaitingApproval(let s): return asOf + s
        case .held, .none: return nil
        }
    }

    /// "promotable in ~32m (11:32Z)", "promotable now", "awaiting approval; the other gates pass in ~32m (11:32Z)", "awaiting approval by an owner",
    /// or nil when there is no time to tell.
    public func text(asOf: Timestamp) -> String? {
        func at(_ s: Int64) -> String { "~\(DurationText.format(s)) (\(TimeText.minute(asOf + s).suffix(5))Z)" }
        switch self {
        case .promotable: return "promotable now"
        case .waiting(let s): return "promotable in \(at(s))"
        case .awaitingApproval(let s): return s > 0 ? "awaiting approval; the other gates pass in \(at(s))" : "awaiting approval by an owner"
        case .held, .none: return nil
        }
    }
}
