import Foundation

/// Mixture sequential probability ratio test (Johari, Pekelis & Walsh): always-valid inference that allows peeking.
public enum MixtureSPRT {
    /// Λₙ of FACTS.md §4: √(V/(V+nτ²))·exp(n²τ²(Z̄−θ₀)²/(2V(V+nτ²))), V = 2σ², a normal mixing prior N(θ₀, τ²) over
    /// the mean of n paired differences (σ=1, τ=0.1, n=2000, Z̄−θ₀=0.08 → 5.529754). Reject H₀ when Λ ≥ 1/α.
    ///
    /// Computed in log space; it may be +∞ for overwhelming evidence. Returns 1 (no evidence) for NaN inputs, n ≤ 0 or
    /// τ = 0. With σ = 0 it returns +∞ when Z̄ ≠ θ₀ and 0 otherwise.
    public static func likelihoodRatio(n: Double, meanDifference: Double, theta0: Double = 0, sigma: Double,
                                       tau: Double) -> Double {
        guard !n.isNaN, !meanDifference.isNaN, !theta0.isNaN, !sigma.isNaN, !tau.isNaN,
              n > 0, tau != 0 else { return 1 }
        let v = 2 * sigma * sigma
        let diff = meanDifference - theta0
        guard v > 0 else { return diff == 0 ? 0 : .infinity }
        let nt2 = n * tau * tau
        guard nt2.isFinite, v.isFinite else { return 1 }
        let logLambda = 0.5 * (log(v) - log(v + nt2)) + n * nt2 * diff * diff / (2 * v * (v + nt2))
        return logLambda.isNaN ? 1 : exp(logLambda)
    }

    /// Always-valid p-value min(1, 1/Λ) for a two-proportion delta (challenger B − champion A), treating the arms as
    /// n paired observations with n = the harmonic-mean effective size 2/(1/nA + 1/nB) and σ² the pooled Bernoulli
    /// variance p̄(1 − p̄), so that V/n = 2σ²/n matches the variance of pB − pA.
    ///
    /// `tau` is the standard deviation of the normal prior over the true difference, on the rate scale. The default
    /// 0.01 (one percentage point) matches the size of regression a release gate cares about for error or accuracy
    /// rates: the test has most power for differences near τ, and a much larger τ wastes evidence on implausible effects.
    /// Successes are clamped into [0, total]. Nil when a total is 0 (or negative) or any input is NaN or infinite.
    public static func alwaysValidP(successesA: Double, totalA: Double, successesB: Double, totalB: Double,
                                    tau: Double = 0.01) -> Double? {
        guard [successesA, totalA, successesB, totalB, tau].allSatisfy(\.isFinite),
              totalA > 0, totalB > 0 else { return nil }
        let sA = min(max(successesA, 0), totalA), sB = min(max(successesB, 0), totalB)
        let pooled = (sA + sB) / (totalA + totalB)
        let n = 2 / (1 / totalA + 1 / totalB)
        let lambda = likelihoodRatio(n: n, meanDifference: sB / totalB - sA / totalA,
                                     sigma: (pooled * (1 - pooled)).squareRoot(), tau: tau)
        return lambda > 1 ? 1 / lambda : 1
    }

    /// Sequential form: p₀ = 1, pₙ = min(pₙ₋₁, 1/Λₙ) over a series of cumulative
    /// (successesA, totalA, successesB, totalB) looks; a look without data keeps the previous value. Never increases.
    public static func alwaysValidPSequence(
        _ looks: [(successesA: Double, totalA: Double, successesB: Double, totalB: Double)], tau: Double = 0.01
    ) -> [Double] {
        var current = 1.0
        return looks.map { look in
            if let p = alwaysValidP(successesA: look.successesA, totalA: look.totalA,
                                    successesB: look.successesB, totalB: look.totalB, tau: tau) {
                current = min(current, p)
            }
            return current
        }
    }
}
