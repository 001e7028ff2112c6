import Foundation

/// The binomial probability C(n, x)·pˣ·qⁿ⁻ˣ to full double precision for large n, by Loader's saddle-point form
/// (C. Loader, "Fast and accurate computation of binomial probabilities", 2000; the method of R's `dbinom_raw`).
/// A log-gamma difference loses about n·ε in the exponent (3e-9 relative at n = 10⁶); this keeps it near 1e-15.
enum BinomialDensity {
    /// P(X = x) for X ~ Binomial(n, p), with q = 1 − p passed separately so callers keep its precision; `np` and `nq`
    /// are n·p and n·q, also the caller's (they are often exact sums where p is not).
    static func probability(_ x: Double, n: Double, p: Double, q: Double, np: Double, nq: Double) -> Double {
        if p <= 0 { return x == 0 ? 1 : 0 }
        if q <= 0 { return x == n ? 1 : 0 }
        if x == 0 {
            if n == 0 { return 1 }
            return exp(p < 0.1 ? -deviance(n, nq) - np : n * log(q))
        }
        if x == n { return exp(q < 0.1 ? -deviance(n, np) - nq : n * log(p)) }
        if x < 0 || x > n { return 0 }
        let lc = stirlingError(n) - stirlingError(x) - stirlingError(n - x) - deviance(x, np) - deviance(n - x, nq)
        let lf = log(2 * Double.pi) + log(x) + log1p(-x / n)
        return exp(lc - 0.5 * lf)
    }

    /// log(n!) − ((n + ½)·log n − n + log √(2π)), the error of Stirling's formula.
    static func stirlingError(_ n: Double) -> Double {
        if n <= 15 { return lgamma(n + 1) - (n + 0.5) * log(n) + n - 0.5 * log(2 * Double.pi) }
        let s0 = 1.0 / 12, s1 = 1.0 / 360, s2 = 1.0 / 1260, s3 = 1.0 / 1680, s4 = 1.0 / 1188
        let nn = n * n
        if n > 500 { return (s0 - s1 / nn) / n }
        if n > 80 { return (s0 - (s1 - s2 / nn) / nn) / n }
        if n > 35 { return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n }
        return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n
    }

    /// x·log(x/m) + m − x without cancellation when x is near m (Loader's `bd0`).
    static func deviance(_ x: Double, _ m: Double) -> Double {
        // Concrete `magnitude` and a counted loop: this runs for every term of the Smirnov sum, and generic `abs`
        // and range iterators cost several times the arithmetic in a debug build.
        if (x - m).magnitude < 0.1 * (x + m) {
            var v = (x - m) / (x + m)
            var s = (x - m) * v
            if s.magnitude < Double.leastNormalMagnitude { return s }
            var term = 2 * x * v
            v *= v
            var odd = 3.0
            while odd < 2000 {
                term *= v
                let next = s + term / odd
                if next == s { return next }
                s = next
                odd += 2
            }
            return s
        }
        return x * log(x / m) + m - x
    }
}
