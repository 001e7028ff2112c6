import Foundation

/// Tests on the difference of two rates (champion A, challenger B).
public enum ProportionTest {
    /// Two-proportion z test, pooled standard error for the statistic (FACTS: 120/1000 vs 150/1000 → z 1.963050,
    /// p 0.0496404), unpooled (Wald) standard error for the interval of the difference. B is the challenger:
    /// delta = pB − pA.
    ///
    /// Negative successes count as 0 and successes above the total are capped at the total. Returns nil when either
    /// total is 0 (or negative), when any input is NaN or infinite, or when `confidence` is not inside (0, 1).
    /// Degenerate pooled variance (all successes or none) → z 0, p 1. When the unpooled variance is 0 (each arm all
    /// or nothing) the interval collapses to the point delta, a known limit of the Wald interval.
    public static func twoProportion(successesA: Double, totalA: Double, successesB: Double, totalB: Double,
                                     confidence: Double = 0.95) -> DeltaEstimate? {
        guard [successesA, totalA, successesB, totalB].allSatisfy(\.isFinite),
              totalA > 0, totalB > 0, confidence > 0, confidence < 1 else { return nil }
        let sA = min(max(successesA, 0), totalA), sB = min(max(successesB, 0), totalB)
        let pA = sA / totalA, pB = sB / totalB
        let delta = pB - pA
        let pooled = (sA + sB) / (totalA + totalB)
        let pooledVariance = pooled * (1 - pooled) * (1 / totalA + 1 / totalB)
        var z = 0.0, p = 1.0
        if pooledVariance > 0 {
            z = delta / pooledVariance.squareRoot()
            p = Distributions.normalTwoSidedP(z)
        }
        let se = (pA * (1 - pA) / totalA + pB * (1 - pB) / totalB).squareRoot()
        let critical = Distributions.normalQuantile(1 - (1 - confidence) / 2)
        return DeltaEstimate(champion: pA, challenger: pB, delta: delta,
                             ciLow: delta - critical * se, ciHigh: delta + critical * se,
                             statistic: z, pValue: p)
    }
}
