/// A Kolmogorov–Smirnov statistic and the effective sample size its p-value is read at.
///
/// The p-value is computed when it is read, not when the result is made: the exact distribution sums up to n terms
/// (about 10⁵ for a busy segment), and an analysis makes a result for every segment at every poll while only the
/// screens, `check` and the review ever show one.
public struct KSResult: Sendable, Hashable, Codable {
    /// The largest absolute difference between the two cumulative distributions.
    public var d: Double
    /// The effective sample size n of the Kolmogorov distribution; 0 when there was nothing to compare (p = 1).
    public var n: Int

    /// Creates a result; `n` = 0 means there was nothing to compare.
    public init(d: Double, n: Int) {
        self.d = d
        self.n = n
    }

    /// The two-sided p-value P(Dₙ ≥ d) (scipy's `kstwo.sf`); 1 when n is 0.
    public var pValue: Double { n > 0 ? KolmogorovDistribution.survival(d, n: n) : 1 }
}
