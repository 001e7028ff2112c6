import Foundation

/// Student's t distribution: two-sided p-values and quantiles through the regularised incomplete beta function
/// (continued fraction, Numerical Recipes `betacf`). Beyond 10⁷ degrees of freedom the normal distribution is used.
public enum StudentT {
    /// Degrees of freedom above which the t distribution is replaced by the standard normal (error < 1e-7).
    static let normalCutoff = 1e7

    /// P(|T| ≥ |t|) for T ~ t(degreesOfFreedom). NaN when t or the degrees of freedom are NaN or df ≤ 0.
    public static func twoSidedP(t: Double, degreesOfFreedom df: Double) -> Double {
        if t.isNaN || df.isNaN || df <= 0 { return .nan }
        if t.isInfinite { return 0 }
        if df > normalCutoff { return Distributions.normalTwoSidedP(t) }
        let t2 = t * t
        // x = df/(df+t²) and 1−x = t²/(df+t²), both computed directly to avoid cancellation.
        let x = df / (df + t2), y = t2 / (df + t2)
        return min(1, max(0, regularizedIncompleteBeta(x: x, y: y, a: df / 2, b: 0.5)))
    }

    /// The p-quantile of t(degreesOfFreedom), e.g. `quantile(0.975, degreesOfFreedom: 12.5)` ≈ 2.169186.
    /// −∞ for p ≤ 0, +∞ for p ≥ 1; NaN when p or the degrees of freedom are NaN or df ≤ 0.
    public static func quantile(_ p: Double, degreesOfFreedom df: Double) -> Double {
        if p.isNaN || df.isNaN || df <= 0 { return .nan }
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        if p == 0.5 { return 0 }
        if df > normalCutoff { return Distributions.normalQuantile(p) }
        let tail = min(p, 1 - p)          // one-sided upper tail beyond the positive root
        let target = 2 * tail             // two-sided p at the root
        // Bracket the root of twoSidedP(t) = target on t > 0 (twoSidedP decreases in t).
        var lo = 0.0, hi = 1.0
        while twoSidedP(t: hi, degreesOfFreedom: df) > target && hi < 1e300 { lo = hi; hi *= 2 }
        // Start from the Cornish–Fisher expansion around the normal quantile (Abramowitz & Stegun 26.7.5): for the
        // large degrees of freedom of segment comparisons Newton then needs one or two steps instead of several.
        let z = abs(Distributions.normalQuantile(tail))
        let start = df >= 4 ? z + (z * z * z + z) / (4 * df) + (5 * pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * df * df)
            + (3 * pow(z, 7) + 19 * pow(z, 5) + 17 * z * z * z - 15 * z) / (384 * df * df * df) : z
        var t = max(lo, min(hi, start))
        if !(t > lo && t < hi) { t = (lo + hi) / 2 }
        for _ in 0..<300 {
            let f = twoSidedP(t: t, degreesOfFreedom: df) - target
            if f == 0 { break }
            if f > 0 { lo = t } else { hi = t }   // f > 0: t too small
            let slope = -2 * density(t, df)
            var next = t - f / slope
            if !(next > lo && next < hi) || !next.isFinite {
                next = (lo > 0 && hi / lo > 4) ? (lo * hi).squareRoot() : (lo + hi) / 2
            }
            if abs(next - t) <= 1e-15 * t { t = next; break }
            t = next
            if hi - lo <= 1e-15 * hi { break }
        }
        return p < 0.5 ? -t : t
    }

    /// Probability density of t(df) at t.
    static func density(_ t: Double, _ df: Double) -> Double {
        let lnC = lgamma((df + 1) / 2) - lgamma(df / 2) - 0.5 * log(df * Double.pi)
        return exp(lnC - (df + 1) / 2 * log1p(t * t / df))
    }

    /// Regularised incomplete beta Iₓ(a, b) with y = 1 − x supplied separately for precision.
    static func regularizedIncompleteBeta(x: Double, y: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if y <= 0 { return 1 }
        let lnFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(y)
        let front = exp(lnFront)
        if x < (a + 1) / (a + b + 2) {
            return front * betaContinuedFraction(x: x, a: a, b: b) / a
        }
        return 1 - front * betaContinuedFraction(x: y, a: b, b: a) / b
    }

    /// Continued fraction for the incomplete beta function by the modified Lentz method (Numerical Recipes `betacf`).
    static func betaContinuedFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300, eps = 1e-15
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...20_000 {
            let m = Double(m), m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let del = d * c
            h *= del
            if abs(del - 1) < eps { break }
        }
        return h
    }
}
