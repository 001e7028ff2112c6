/// How far one primary metric of an A/B stage is from its planned fixed-horizon decision: the samples each arm needs
/// to detect the spec's minimum detectable effect at the spec's power and α, the samples so far, the current traffic
/// and the time left at that traffic.
public struct PlannedSample: Codable, Sendable, Hashable {
    public var metric: QualityMetric
    public var minimumDetectableEffect: Double
    public var power: Double
    public var alpha: Double
    /// The champion's rate (or mean score) since the release started, which the size is planned from; nil before
    /// the champion has data.
    public var baseline: Double?
    /// Samples (the metric's denominators: decisions, or labelled decisions for label metrics) each arm needs at the
    /// stage's split, the design effect included; nil when there is no baseline to plan from.
    public var neededChampion: Double?
    public var neededChallenger: Double?
    /// Samples so far, since the release started (what the fixed-horizon test reads).
    public var champion: Double
    public var challenger: Double
    /// Samples per hour of each arm over the last hour of the stage (or the whole stage when it is younger); nil
    /// before the stage has run `PlannedSample.minimumRateWindow`.
    public var championPerHour: Double?
    public var challengerPerHour: Double?
    /// Seconds until both arms have their samples at the current traffic: 0 once they have, nil when it cannot be
    /// told (`unknownReason` says why).
    public var secondsLeft: Int64?
    public var unknownReason: String?

    /// The planned horizon, once both arms have their samples: the first moment they had (samples counted since the
    /// release started, as the test reads them).
    public var horizonTime: Timestamp?
    /// The fixed-horizon test of the overall delta on the data through `horizonTime`: read once, at the look it was
    /// planned for, so later polls show the same result (nil before the horizon, or when an arm has no data).
    public var horizon: DeltaEstimate?
    /// What the test at the horizon decided (two-sided at the plan's α).
    public var verdict: Verdict?

    /// The planned decision of one primary metric.
    public enum Verdict: String, Codable, Sendable, Hashable {
        /// Significantly worse: the A/B stage fails.
        case worse
        /// Significantly better.
        case better
        /// No significant difference: a worsening of the minimum detectable effect would have been found with the
        /// plan's power.
        case noDifference = "no_difference"
    }

    /// Whether both arms have the samples the plan needs.
    public var reached: Bool {
        guard let a = neededChampion, let b = neededChallenger else { return false }
        return champion >= a && challenger >= b
    }

    /// The shortest stretch of stage the traffic rate is measured over.
    public static let minimumRateWindow: Int64 = 300
    /// The longest: the rate is the last hour's.
    public static let rateWindow: Int64 = 3600
    /// Waits longer than this are shown as "more than a year" (and `secondsLeft` is capped there).
    public static let longestWait: Int64 = 366 * 86400

    /// "decision in ~3d4h", "decided: no difference", or why there is no estimate.
    public var etaText: String {
        if reached { return verdict.map { "decided: \($0.text)" } ?? "samples in" }
        guard let s = secondsLeft else { return "no estimate: " + (unknownReason ?? "unknown") }
        return s >= Self.longestWait ? "decision in more than a year at current traffic" : "decision in ~\(DurationText.format(s))"
    }

    /// The result at the horizon, verdict first: "challenger worse: +0.62pt, p=0.003 at the planned samples (11-02 14:10Z)";
    /// nil before.
    public var horizonText: String? {
        guard let e = horizon, let verdict, let t = horizonTime else { return nil }
        let delta = metric.isProportion ? "\(e.delta >= 0 ? "+" : "")\(NumberText.fixed(e.delta * 100, decimals: 2))pt"
            : "\(e.delta >= 0 ? "+" : "")\(NumberText.fixed(e.delta, decimals: 4))"
        return "\(verdict.text): \(delta), p=\(NumberText.compact(e.pValue, digits: 3)) at the planned samples (\(TimeText.minute(t).suffix(11))Z)"
    }

    /// "12.4k/48.0k champion, 3.1k/12.0k challenger" (the samples so far alone, without a plan).
    public var samplesText: String {
        guard let na = neededChampion, let nb = neededChallenger else {
            return "\(NumberText.count(champion)) champion, \(NumberText.count(challenger)) challenger"
        }
        return "\(NumberText.count(champion))/\(NumberText.count(na.rounded(.up))) champion, "
            + "\(NumberText.count(challenger))/\(NumberText.count(nb.rounded(.up))) challenger"
    }
}

extension PlannedSample.Verdict {
    /// "challenger worse", "challenger better", "no difference".
    public var text: String {
        switch self {
        case .worse: return "challenger worse"
        case .better: return "challenger better"
        case .noDifference: return "no difference"
        }
    }
}
