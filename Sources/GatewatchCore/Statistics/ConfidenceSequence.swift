import Foundation

/// Always-valid inference on one delta θ (challenger − champion) that may be looked at as often as anyone likes.
///
/// The estimate d of θ at a look is taken as normal with variance s² (its squared standard error). Mixing the
/// likelihood ratio of θ against θ₀ over a normal prior N(θ₀, τ²) gives the mixture SPRT statistic
///
///     Λ(θ₀) = √(s²/(s²+τ²)) · exp(τ²(d−θ₀)² / (2s²(s²+τ²)))
///
/// (`MixtureSPRT.likelihoodRatio` with V/n = s²), a nonnegative martingale under θ = θ₀. By Ville's inequality
/// P(Λₜ ≥ 1/α at any look t) ≤ α, so
/// - the always-valid p-value pₜ = min over looks so far of min(1, 1/Λ(0)) is below α at some look with probability
///   at most α when θ = 0, however often it is read;
/// - the confidence sequence {θ₀ : Λ(θ₀) < 1/α} = d ± r, r = √(s²(s²+τ²)/τ² · (ln((s²+τ²)/s²) − 2 ln α)), holds θ
///   at every look at once with probability at least 1 − α; intersected over the looks it only narrows.
/// The interval excludes 0 exactly when p < α: the test and the interval are one statement.
///
/// τ is the size of effect the test is tuned to (the spec's `max_worsening` or minimum detectable effect): the
/// interval is narrowest for a look whose s is near τ. Reference values: Tests/Reference/statistics.py (numerical
/// integration of the mixture with scipy, and the boundary found by root finding).
public enum ConfidenceSequence {
    /// Λ(θ₀) of the delta `d` with variance `variance` under a N(θ₀, τ²) mixture; 1 (no evidence) when the
    /// variance is not positive and finite, τ ≤ 0 or an input is NaN.
    public static func likelihoodRatio(delta d: Double, variance: Double, tau: Double, theta0: Double = 0) -> Double {
        guard d.isFinite, theta0.isFinite, variance.isFinite, variance > 0, tau.isFinite, tau > 0 else { return 1 }
        let t2 = tau * tau, diff = d - theta0
        let log = 0.5 * (Foundation.log(variance) - Foundation.log(variance + t2)) + t2 * diff * diff / (2 * variance * (variance + t2))
        return log.isNaN ? 1 : exp(log)
    }

    /// The half-width r of the interval d ± r at level α (nil when the inputs cannot give one).
    public static func radius(variance: Double, tau: Double, alpha: Double) -> Double? {
        guard variance.isFinite, variance > 0, tau.isFinite, tau > 0, alpha > 0, alpha < 1 else { return nil }
        let t2 = tau * tau
        let r2 = variance * (variance + t2) / t2 * (Foundation.log((variance + t2) / variance) - 2 * Foundation.log(alpha))
        return r2.isFinite ? r2.squareRoot() : nil
    }

    /// One look: the estimate and its variance.
    public struct Look: Sendable, Hashable {
        public var delta: Double
        public var variance: Double
        public init(delta: Double, variance: Double) {
            self.delta = delta
            self.variance = variance
        }
    }

    /// The always-valid p-value and interval after `looks` (oldest first) at level `alpha`: the running minimum of
    /// 1/Λ(0) and the running intersection of the intervals. Looks whose variance is unusable are passed over; nil
    /// when none is usable. Should the intersection come out empty (the normal model fits the counts badly at some
    /// look), the newest look's interval is given instead: p is then below α, as the empty set excludes 0 too.
    public static func run(_ looks: [Look], tau: Double, alpha: Double) -> (pValue: Double, low: Double, high: Double)? {
        var running = Running(tau: tau, alpha: alpha)
        for look in looks { running.add(look) }
        return running.result
    }

    /// The same as `run`, one look at a time (for a simulation that watches many looks).
    public struct Running: Sendable {
        public let tau: Double
        public let alpha: Double
        private var p = 1.0, low = -Double.infinity, high = Double.infinity
        private var newest: (low: Double, high: Double)?
        /// Usable looks so far.
        public private(set) var count = 0

        public init(tau: Double, alpha: Double) {
            self.tau = tau
            self.alpha = alpha
        }

        public mutating func add(_ look: Look) {
            guard let r = ConfidenceSequence.radius(variance: look.variance, tau: tau, alpha: alpha), look.delta.isFinite else { return }
            let lambda = ConfidenceSequence.likelihoodRatio(delta: look.delta, variance: look.variance, tau: tau)
            if lambda > 1 { p = min(p, 1 / lambda) }
            newest = (look.delta - r, look.delta + r)
            low = max(low, look.delta - r)
            high = min(high, look.delta + r)
            count += 1
        }

        /// The p-value and interval so far; nil before a usable look.
        public var result: (pValue: Double, low: Double, high: Double)? {
            guard let newest else { return nil }
            return low <= high ? (p, low, high) : (p, newest.low, newest.high)
        }
    }

    /// The delta pB − pA of two rates and its variance. The variance uses Agresti–Caffo's adjusted rates (one
    /// success and one failure added to each arm), so it is never 0: 0/11691 against 0/2805 is "no evidence yet",
    /// not a certain 0. Successes are clamped into [0, total]; nil when a total is not positive or an input is not finite.
    public static func proportionLook(successesA: Double, totalA: Double, successesB: Double, totalB: Double) -> Look? {
        guard [successesA, totalA, successesB, totalB].allSatisfy(\.isFinite), totalA > 0, totalB > 0 else { return nil }
        let sA = min(max(successesA, 0), totalA), sB = min(max(successesB, 0), totalB)
        let aA = (sA + 1) / (totalA + 2), aB = (sB + 1) / (totalB + 2)
        return Look(delta: sB / totalB - sA / totalA, variance: aA * (1 - aA) / (totalA + 2) + aB * (1 - aB) / (totalB + 2))
    }
}

/// The always-valid result of one delta as the live screen, the gates and `check` use it.
public struct SequentialEstimate: Codable, Sendable, Hashable {
    /// The mixing standard deviation (on the delta's scale) the test was tuned with, and where it came from.
    public var tau: Double
    public var tauSource: TauSource
    /// Always-valid p-value (running minimum over the looks), before the multiplicity correction.
    public var pValue: Double
    /// `pValue` × the number of tests of the release (Bonferroni), at most 1: below α at some look for any of the
    /// release's deltas with probability at most α when no delta moved, however often the screen is read.
    public var adjustedP: Double
    /// How many segment × metric deltas the release tests (the Bonferroni factor).
    public var tests: Int
    /// The confidence sequence at level 1 − α/tests, intersected over the looks.
    public var ciLow: Double
    public var ciHigh: Double
    /// Looks taken.
    public var looks: Int

    public init(tau: Double, tauSource: TauSource, pValue: Double, adjustedP: Double, tests: Int, ciLow: Double, ciHigh: Double, looks: Int) {
        self.tau = tau
        self.tauSource = tauSource
        self.pValue = pValue
        self.adjustedP = adjustedP
        self.tests = tests
        self.ciLow = ciLow
        self.ciHigh = ciHigh
        self.looks = looks
    }

    /// Where τ came from.
    public enum TauSource: String, Codable, Sendable, Hashable {
        /// The guardrail's `max_worsening`.
        case guardrail
        /// The spec's `minimum_detectable_effects` for the metric.
        case minimumDetectableEffect = "minimum_detectable_effect"
        /// Gatewatch's default for the metric (`QualityMetric.defaultTau`).
        case `default`
    }
}
