import Foundation

/// Mixture sequential probability ratio test (Johari, Pekelis & Walsh): always-valid inference that allows peeking.
/// The live screen's deltas use it through `ConfidenceSequence` (its Λ with V/n = the delta's variance).
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
}
