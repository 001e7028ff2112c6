import Foundation

extension Distributions {
    /// Standard normal quantile (inverse of `normalCDF`): Acklam's rational approximation polished by one Halley step.
    /// Returns −∞ for p ≤ 0, +∞ for p ≥ 1 and NaN for NaN.
    static func normalQuantile(_ p: Double) -> Double {
        if p.isNaN { return .nan }
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let pLow = 0.02425
        var x: Double
        if p < pLow || p > 1 - pLow {
            let q = (-2 * log(p < pLow ? p : 1 - p)).squareRoot()
            let num = ((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]
            let den = (((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1
            x = p < pLow ? num / den : -num / den
        } else {
            let q = p - 0.5, r = q * q
            let num = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
            let den = ((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1
            x = num / den
        }
        // Halley refinement against the erfc-based CDF (tail-accurate on the side p is given on).
        let e = p < 0.5 ? normalCDF(x) - p : (1 - p) - normalCDF(-x)
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        if u.isFinite { x -= u / (1 + x * u / 2) }
        return x
    }
}

extension Distributions {
    /// The p-quantile of the Beta(a, b) distribution, by bisection on the regularized incomplete beta function
    /// (to 1e-12; for Clopper–Pearson intervals). NaN when p is outside [0, 1] or a, b are not positive.
    public static func betaQuantile(_ p: Double, _ a: Double, _ b: Double) -> Double {
        guard p >= 0, p <= 1, a > 0, b > 0 else { return .nan }
        var low = 0.0, high = 1.0
        for _ in 0..<200 where high - low > 1e-12 {
            let mid = (low + high) / 2
            if StudentT.regularizedIncompleteBeta(x: mid, y: 1 - mid, a: a, b: b) < p { low = mid } else { high = mid }
        }
        return (low + high) / 2
    }
}
