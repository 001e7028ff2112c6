import Foundation

/// Sample sizes of a planned comparison of two arms.
///
/// The fixed-horizon sizes are statsmodels' normal approximations that count only the tail the effect is in
/// (`samplesize_proportions_2indep_onetail`, `normal_sample_size_one_tail`); reference values:
/// Tests/Reference/sample_size.py.
public enum SampleSize {
    /// Observations of arm 1 (rate p₂ + diff) for the pooled two-proportion z test to detect `diff` against arm 2
    /// (rate `baseline` = p₂) with probability `power`, arm 2 having `ratio` times as many observations:
    ///
    ///     n₁ = (max(z(1 − a)·σ₀ + z(power)·σ₁, 0) / diff)²,  σ₀ = √(p̄(1−p̄)(1 + 1/ratio)), σ₁ = √(p₁q₁ + p₂q₂/ratio)
    ///
    /// with z the standard normal quantile, p̄ = (p₁ + p₂·ratio)/(1 + ratio) and a = α/2 for a two-sided test (α for
    /// one side). Nil when diff is 0, a rate falls
    /// outside [0, 1], or power, α or the ratio are out of range.
    public static func twoProportions(diff: Double, baseline p2: Double, power: Double, ratio: Double = 1,
                                      alpha: Double = 0.05, twoSided: Bool = true) -> Double? {
        let p1 = p2 + diff
        guard diff != 0, diff.isFinite, p2 >= 0, p2 <= 1, p1 >= 0, p1 <= 1, valid(power: power, alpha: alpha), ratio > 0, ratio.isFinite else { return nil }
        let pooled = (p1 + p2 * ratio) / (1 + ratio)
        let sdNull = (pooled * (1 - pooled) * (1 + 1 / ratio)).squareRoot()
        let sdAlternative = (p1 * (1 - p1) + p2 * (1 - p2) / ratio).squareRoot()
        return oneTail(diff: diff, power: power, alpha: twoSided ? alpha / 2 : alpha, sdNull: sdNull, sdAlternative: sdAlternative)
    }

    /// Observations of arm 1 for the two-sample z test of means to detect `diff` when both arms have standard
    /// deviation `sd` and arm 2 has `ratio` times as many: `oneTail` with σ₀ = σ₁ = sd·√(1 + 1/ratio).
    public static func twoMeans(diff: Double, sd: Double, power: Double, ratio: Double = 1, alpha: Double = 0.05,
                                twoSided: Bool = true) -> Double? {
        guard diff != 0, diff.isFinite, sd > 0, sd.isFinite, valid(power: power, alpha: alpha), ratio > 0, ratio.isFinite else { return nil }
        let s = sd * (1 + 1 / ratio).squareRoot()
        return oneTail(diff: diff, power: power, alpha: twoSided ? alpha / 2 : alpha, sdNull: s, sdAlternative: s)
    }

    /// statsmodels' `normal_sample_size_one_tail`: (max(z(1 − alpha)·σ₀ + z(power)·σ₁, 0) / diff)², σ per observation.
    public static func oneTail(diff: Double, power: Double, alpha: Double, sdNull: Double, sdAlternative: Double) -> Double? {
        guard diff != 0, diff.isFinite, sdNull.isFinite, sdAlternative.isFinite else { return nil }
        let critical = Distributions.normalQuantile(1 - alpha)
        let criticalPower = Distributions.normalQuantile(1 - power)
        let n = max(critical * sdNull - criticalPower * sdAlternative, 0) / diff
        return n * n
    }

    static func valid(power: Double, alpha: Double) -> Bool {
        power > 0 && power < 1 && alpha > 0 && alpha < 1 && power.isFinite && alpha.isFinite
    }
}
