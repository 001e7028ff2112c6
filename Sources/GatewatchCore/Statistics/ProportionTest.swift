import Foundation

/// Tests on the difference of two rates (champion A, challenger B).
public enum ProportionTest {
    /// How the interval of the difference is made.
    public enum Interval: Sendable {
        /// The score test inverted (below): consistent with the p-value, sound at small and empty counts.
        case score
        /// Unpooled Wald, kept only to reproduce the judgement of earlier versions (`WatchedReleaseSimulation`).
        case wald
    }

    /// Two-proportion z test with the pooled standard error (FACTS: 120/1000 vs 150/1000 → z 1.963050, p 0.0496404)
    /// and, by default, the interval that inverts the same score test: the differences δ whose score statistic
    /// (pB − pA − δ)/√(p̃B(1−p̃B)/nB + p̃A(1−p̃A)/nA), with p̃ the rates' maximum likelihood under pB − pA = δ
    /// (Farrington–Manning), lies within ±z. At δ = 0 that statistic is the pooled z, so the interval excludes 0
    /// exactly when p < 1 − confidence; 0/11691 against 0/2805 is an interval around 0, not [0, 0]. B is the
    /// challenger: delta = pB − pA. Reference: statsmodels' score statistic, inverted with scipy
    /// (Tests/Reference/proportion_score.py).
    ///
    /// Negative successes count as 0 and successes above the total are capped at the total. Returns nil when either
    /// total is 0 (or negative), when any input is NaN or infinite, or when `confidence` is not inside (0, 1).
    /// Degenerate pooled variance (all successes or none) → z 0, p 1.
    public static func twoProportion(successesA: Double, totalA: Double, successesB: Double, totalB: Double,
                                     confidence: Double = 0.95, interval: Interval = .score) -> DeltaEstimate? {
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
        let critical = Distributions.normalQuantile(1 - (1 - confidence) / 2)
        let low: Double, high: Double
        switch interval {
        case .wald:
            let se = (pA * (1 - pA) / totalA + pB * (1 - pB) / totalB).squareRoot()
            (low, high) = (delta - critical * se, delta + critical * se)
        case .score:
            let score = ScoreStatistic(pA: pA, nA: totalA, pB: pB, nB: totalB)
            (low, high) = score.interval(critical: critical)
        }
        return DeltaEstimate(champion: pA, challenger: pB, delta: delta, ciLow: low, ciHigh: high, statistic: z, pValue: p)
    }
}

/// The score statistic of a difference of two rates and its inversion.
struct ScoreStatistic {
    var pA: Double, nA: Double, pB: Double, nB: Double

    /// The rates' maximum likelihood (challenger, champion) under pB − pA = δ: Farrington & Manning's (1990)
    /// closed-form root of the likelihood equation's cubic, kept inside the rates δ allows.
    func restricted(_ delta: Double) -> (b: Double, a: Double) {
        let theta = nA / nB
        let a = 1 + theta
        let b = -(1 + theta + pB + theta * pA + delta * (theta + 2))
        let c = delta * delta + delta * (2 * pB + theta + 1) + pB + theta * pA
        let d = -pB * delta * (1 + delta)
        let v = b * b * b / (27 * a * a * a) - b * c / (6 * a * a) + d / (2 * a)
        let radicand = max(0, b * b / (9 * a * a) - c / (3 * a))
        let u = (v < 0 ? -1.0 : 1.0) * radicand.squareRoot()
        var restrictedB: Double
        if u == 0 {
            restrictedB = -b / (3 * a)
        } else {
            let w = (Double.pi + acos(min(1, max(-1, v / (u * u * u))))) / 3
            restrictedB = 2 * u * cos(w) - b / (3 * a)
        }
        restrictedB = min(min(1, 1 + delta), max(max(0, delta), restrictedB))
        return (restrictedB, min(1, max(0, restrictedB - delta)))
    }

    /// (pB − pA − δ) / its standard error under δ; ±infinity where that error is 0 and the rates differ from δ.
    func z(_ delta: Double) -> Double {
        let numerator = pB - pA - delta
        let r = restricted(delta)
        let variance = r.b * (1 - r.b) / nB + r.a * (1 - r.a) / nA
        if variance <= 0 { return numerator == 0 ? 0 : (numerator > 0 ? .infinity : -.infinity) }
        return numerator / variance.squareRoot()
    }

    /// The δ with |z(δ)| ≤ critical, by a bracketed root search on each side of the observed difference (z falls
    /// as δ grows); the ends are −1 and 1 where no δ that far reaches the critical value.
    func interval(critical: Double) -> (Double, Double) {
        let observed = pB - pA
        let low = observed <= -1 ? -1 : root(target: critical, from: -1, to: observed)
        let high = observed >= 1 ? 1 : root(target: -critical, from: observed, to: 1)
        return (max(-1, min(low, observed)), min(1, max(high, observed)))
    }

    /// The δ in [lo, hi] where z(δ) = target, z falling from above the target at lo to below it at hi: Illinois
    /// false position, falling back to bisection where z is infinite, to 1e-14.
    private func root(target: Double, from lo: Double, to hi: Double) -> Double {
        var a = lo, b = hi
        var fa = z(a) - target, fb = z(b) - target
        if fa <= 0 { return a }
        if fb >= 0 { return b }
        var side = 0
        for _ in 0..<200 {
            if b - a <= 1e-14 { break }
            var m: Double
            if fa.isFinite && fb.isFinite {
                m = (a * fb - b * fa) / (fb - fa)
                if !(m > a && m < b) { m = (a + b) / 2 }
            } else {
                m = (a + b) / 2
            }
            let fm = z(m) - target
            if fm == 0 { return m }
            if fm > 0 {
                a = m; fa = fm
                if side == 1, fb.isFinite { fb /= 2 }
                side = 1
            } else {
                b = m; fb = fm
                if side == -1, fa.isFinite { fa /= 2 }
                side = -1
            }
        }
        return (a + b) / 2
    }
}
