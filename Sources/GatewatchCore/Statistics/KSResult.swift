/// A Kolmogorov–Smirnov statistic and its p-value.
public struct KSResult: Sendable, Hashable, Codable {
    /// The largest absolute difference between the two cumulative distributions.
    public var d: Double
    /// The two-sided p-value of `d`.
    public var pValue: Double

    /// Creates a result.
    public init(d: Double, pValue: Double) {
        self.d = d
        self.pValue = pValue
    }
}
