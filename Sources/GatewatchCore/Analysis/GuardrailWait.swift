/// How long until the always-valid interval of one guarded delta (a segment's, or the overall one) can rule its
/// guardrail in or out at the current traffic, and how long ruling a worsening out takes at all when the challenger
/// changes nothing: whether the guardrail is feasible at this traffic.
public struct GuardrailWait: Codable, Sendable, Hashable {
    /// nil: the overall row.
    public var segment: String?
    public var metric: QualityMetric
    /// The delta at which the guardrail is crossed (`Guardrail.limit`).
    public var limit: Double
    /// Whether the confidence sequence already lies wholly on one side of the limit.
    public var decided: Bool
    /// Seconds until the interval can clear the limit if the estimate stays where it is (0 once decided); nil when it
    /// cannot be told (`unknownReason`).
    public var secondsLeft: Int64?
    /// Seconds until an unchanged challenger (true delta 0) would have the worsening ruled out, from the samples so
    /// far at the current traffic; nil when it cannot be told.
    public var ruleOutSeconds: Int64?
    public var unknownReason: String?

    /// Waits longer than a year are not waits: the guardrail cannot be decided at this traffic.
    public static let longestWait = PlannedSample.longestWait

    /// Whether an unchanged challenger could have the worsening ruled out within `horizon` seconds at this traffic.
    public func feasible(within horizon: Int64) -> Bool? { ruleOutSeconds.map { $0 <= horizon } }

    /// The confidence sequence of a rate difference after `seconds` more at the current traffic: the samples of each
    /// arm grow by their hourly rate, the rates stay what they are, and the variance is Agresti–Caffo's
    /// (`ConfidenceSequence.proportionLook`) of the counts divided by the design effect. The wait is the first
    /// second at which its radius at level `alpha` (τ = `tau`) is at most `margin`, found by bisection (the radius
    /// falls as the samples grow); nil when that takes more than `longestWait`, or there is no traffic to wait for.
    public static func seconds(margin: Double, tau: Double, alpha: Double, champion: (rate: Double, n: Double, perHour: Double),
                               challenger: (rate: Double, n: Double, perHour: Double), designEffect: Double = 1) -> Int64? {
        guard margin > 0, margin.isFinite else { return nil }
        let deff = designEffect.isFinite && designEffect > 1 ? designEffect : 1
        func radius(_ t: Int64) -> Double {
            let hours = Double(t) / 3600
            let na = (champion.n + max(0, champion.perHour) * hours) / deff, nb = (challenger.n + max(0, challenger.perHour) * hours) / deff
            guard let look = ConfidenceSequence.proportionLook(successesA: champion.rate * na, totalA: na, successesB: challenger.rate * nb, totalB: nb),
                  let r = ConfidenceSequence.radius(variance: look.variance, tau: tau, alpha: alpha) else { return .infinity }
            return r
        }
        if radius(0) <= margin { return 0 }
        guard radius(longestWait) <= margin else { return nil }
        var lo: Int64 = 0, hi = longestWait
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2
            if radius(mid) <= margin { hi = mid } else { lo = mid }
        }
        return hi
    }
}
