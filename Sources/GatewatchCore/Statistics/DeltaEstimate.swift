/// A difference challenger − champion with its confidence interval and a two-sided p-value.
public struct DeltaEstimate: Sendable, Hashable, Codable {
    /// The champion's value (a rate or a mean).
    public var champion: Double
    /// The challenger's value (a rate or a mean).
    public var challenger: Double
    /// challenger − champion.
    public var delta: Double
    /// Lower bound of the confidence interval of `delta`.
    public var ciLow: Double
    /// Upper bound of the confidence interval of `delta`.
    public var ciHigh: Double
    /// The test statistic (z or t).
    public var statistic: Double
    /// Two-sided p-value of `statistic`.
    public var pValue: Double

    /// Creates an estimate from its parts.
    public init(champion: Double, challenger: Double, delta: Double, ciLow: Double, ciHigh: Double, statistic: Double, pValue: Double) {
        self.champion = champion
        self.challenger = challenger
        self.delta = delta
        self.ciLow = ciLow
        self.ciHigh = ciHigh
        self.statistic = statistic
        self.pValue = pValue
    }
}
