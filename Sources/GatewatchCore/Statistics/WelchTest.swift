import Foundation

/// Welch's unequal-variance t test on summary statistics (champion A, challenger B).
public enum WelchTest {
    /// Welch's unequal-variance t test of meanB − meanA (FACTS: (.50,.10,400) vs (.52,.12,300) → t 2.340823,
    /// df 574.7349, p 0.0195822), with an interval from the t quantile at the Welch–Satterthwaite df.
    ///
    /// Nil when n < 2 in either arm, when any input is NaN or infinite, when a standard deviation is negative, or when
    /// `confidence` is not inside (0, 1). With both standard deviations 0 the df falls back to nA + nB − 2, the
    /// interval collapses to delta, and t is 0 (p 1) for equal means or ±∞ (p 0) otherwise.
    public static func test(meanA: Double, sdA: Double, nA: Double, meanB: Double, sdB: Double, nB: Double,
                            confidence: Double = 0.95) -> (estimate: DeltaEstimate, degreesOfFreedom: Double)? {
        guard [meanA, sdA, nA, meanB, sdB, nB].allSatisfy(\.isFinite),
              nA >= 2, nB >= 2, sdA >= 0, sdB >= 0, confidence > 0, confidence < 1 else { return nil }
        let vA = sdA * sdA / nA, vB = sdB * sdB / nB
        let delta = meanB - meanA
        let variance = vA + vB
        guard variance > 0 else {
            let t: Double = delta == 0 ? 0 : (delta > 0 ? .infinity : -.infinity)
            let estimate = DeltaEstimate(champion: meanA, challenger: meanB, delta: delta, ciLow: delta, ciHigh: delta,
                                         statistic: t, pValue: delta == 0 ? 1 : 0)
            return (estimate, nA + nB - 2)
        }
        let se = variance.squareRoot()
        let df = variance * variance / (vA * vA / (nA - 1) + vB * vB / (nB - 1))
        let t = delta / se
        let p = StudentT.twoSidedP(t: t, degreesOfFreedom: df)
        let critical = StudentT.quantile(1 - (1 - confidence) / 2, degreesOfFreedom: df)
        let estimate = DeltaEstimate(champion: meanA, challenger: meanB, delta: delta,
                                     ciLow: delta - critical * se, ciHigh: delta + critical * se,
                                     statistic: t, pValue: p)
        return (estimate, df)
    }
}
