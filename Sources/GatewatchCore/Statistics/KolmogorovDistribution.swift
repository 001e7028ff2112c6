import Foundation

/// The two-sided one-sample Kolmogorov–Smirnov statistic Dₙ: scipy's `kstwo`, branch for branch.
///
/// Simard & L'Ecuyer (2011) choose the method from n and n·d², as scipy's `_kolmogn` does: Ruben–Gambino's closed forms
/// near both ends, the exact Durbin matrix (Marsaglia–Tsang–Wang, without their 7-digit right-tail shortcut), twice the
/// one-sided Smirnov sum (exact for d ≥ ½, and where the two one-sided events cannot both happen to double precision),
/// and Pelz–Good for large n. Where scipy uses Pomeranz's recursion (n ≤ 140, 0.754693 < n·d² ≤ 4) this uses the
/// Durbin matrix, which is exact there too. Agreement with `kstwo.sf` is tested to 1e-9 relative for n up to 10⁶.
enum KolmogorovDistribution {
    /// P(Dₙ ≥ d).
    static func survival(_ d: Double, n: Int) -> Double {
        guard n >= 1, !d.isNaN else { return 1 }
        if d >= 1 { return 0 }
        if d <= 0 { return 1 }
        let nn = Double(n), t = nn * d
        if t <= 1 {  // Ruben–Gambino: P(Dₙ < d) = n!/nⁿ·(2t − 1)ⁿ for 1/(2n) ≤ d ≤ 1/n
            if t <= 0.5 { return 1 }
            var cdf = 1.0
            if n <= 140 {
                for i in 1...n { cdf *= Double(i) / nn * (2 * t - 1) }
            } else {
                cdf = exp(logFactorialOverPower(n) + nn * log(2 * t - 1))
            }
            return clamp(1 - cdf)
        }
        if t >= nn - 1 { return clamp(2 * pow(1 - d, nn)) }  // Ruben–Gambino
        if d >= 0.5 { return clamp(2 * Smirnov.survival(d, n: n)) }
        let s = t * d
        if n <= 140 {
            if s <= 4 { return clamp(1 - durbinCDF(d, n: n)) }
            return clamp(2 * Smirnov.survival(d, n: n))
        }
        if s >= 370 { return 0 }
        if s >= 2.2 { return clamp(2 * Smirnov.survival(d, n: n)) }
        if n <= 100_000, nn * pow(d, 1.5) <= 1.4 { return clamp(1 - durbinCDF(d, n: n)) }
        return clamp(1 - pelzGoodCDF(d, n: n))
    }

    /// log(n!/nⁿ) by Stirling's series with n·log n taken out first (scipy's `_log_nfactorial_div_n_pow_n`).
    static func logFactorialOverPower(_ n: Int) -> Double {
        let coefficients = [-2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3,
                            8.4175084175084175084e-4, -5.952380952380952381e-4, 7.9365079365079365079e-4,
                            -2.7777777777777777778e-3, 8.3333333333333333333e-2]
        let nn = Double(n), rn = 1 / nn, x = rn / nn
        let series = coefficients.reduce(0) { $0 * x + $1 }
        return log(nn) / 2 - nn + log(2 * Double.pi) / 2 + rn * series
    }

    /// P(Dₙ < d) by Durbin's matrix, as Marsaglia, Tsang & Wang (2003), "Evaluating Kolmogorov's distribution",
    /// J. Stat. Software 8(18), compute it (their `K(n, d)` without the right-tail shortcut).
    static func durbinCDF(_ d: Double, n: Int) -> Double {
        let nn = Double(n)
        let k = Int(nn * d) + 1, m = 2 * k - 1
        let h = Double(k) - nn * d
        var matrix = [Double](repeating: 0, count: m * m)
        for i in 0..<m {
            for j in 0..<m where i - j + 1 >= 0 { matrix[i * m + j] = 1 }
        }
        for i in 0..<m {
            matrix[i * m] -= pow(h, Double(i + 1))
            matrix[(m - 1) * m + i] -= pow(h, Double(m - i))
        }
        if 2 * h - 1 > 0 { matrix[(m - 1) * m] += pow(2 * h - 1, Double(m)) }
        for i in 0..<m {
            for j in 0..<m where i - j + 1 > 0 {
                for g in 1...(i - j + 1) { matrix[i * m + j] /= Double(g) }
            }
        }
        let (power, exponent) = matrixPower(matrix, m: m, n: n)
        var value = power[(k - 1) * m + k - 1]
        var e = exponent
        for i in 1...n {
            value = value * Double(i) / nn
            if value < 1e-140 { value *= 1e140; e -= 140 }
        }
        return min(1, max(0, value * pow(10, Double(e))))
    }

    /// Aⁿ with a decimal exponent kept aside to avoid overflow (MTW's `mPower`).
    private static func matrixPower(_ a: [Double], m: Int, n: Int) -> ([Double], Int) {
        if n == 1 { return (a, 0) }
        let (half, halfExponent) = matrixPower(a, m: m, n: n / 2)
        var result = multiply(half, half, m: m)
        var exponent = 2 * halfExponent
        if n % 2 == 1 { result = multiply(a, result, m: m) }
        if result[(m / 2) * m + m / 2] > 1e140 {
            for i in result.indices { result[i] *= 1e-140 }
            exponent += 140
        }
        return (result, exponent)
    }

    private static func multiply(_ a: [Double], _ b: [Double], m: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * m)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    for i in 0..<m {
                        for k in 0..<m {
                            let aik = a[i * m + k]
                            if aik == 0 { continue }
                            for j in 0..<m { c[i * m + j] += aik * b[k * m + j] }
                        }
                    }
                }
            }
        }
        return c
    }

    /// Pelz & Good (1976) approximation of P(Dₙ ≤ d): K₀ + K₁/√n + K₂/n + K₃/n^1.5 in the small-z form, as in
    /// scipy's `_kolmogn_PelzGood`.
    static func pelzGoodCDF(_ x: Double, n: Int) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let nn = Double(n)
        let z = nn.squareRoot() * x
        let pi2 = Double.pi * Double.pi, pi4 = pi2 * pi2, pi6 = pi4 * pi2
        let z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2
        let qlog = -pi2 / 8 / z2
        if qlog < -708 { return 0 }
        var q = exp(qlog)
        let k1a = -z2, k1b = pi2 / 4
        let k2a = 6 * z6 + 2 * z4, k2b = (2 * z4 - 5 * z2) * pi2 / 4, k2c = pi4 * (1 - 2 * z2) / 16
        let k3d = pi6 * (5 - 30 * z2) / 64
        let k3c = pi4 * (-60 * z2 + 212 * z4) / 16
        let k3b = pi2 * (135 * z4 - 96 * z6) / 4
        let k3a = -30 * z6 - 90 * z4 * z4
        var k0 = 0.0, k1 = 0.0, k2 = 0.0, k3 = 0.0
        let maxK = max(1, Int((16 * z / Double.pi).rounded(.up)))
        for k in stride(from: maxK, through: 1, by: -1) {
            let mm = Double(2 * k - 1)
            let m2 = mm * mm, m4 = m2 * m2, m6 = m4 * m2
            let qPower = pow(q, Double(8 * k))
            k0 = k0 * qPower + 1
            k1 = k1 * qPower + (k1a + k1b * m2)
            k2 = k2 * qPower + (k2a + k2b * m2 + k2c * m4)
            k3 = k3 * qPower + (k3a + k3b * m2 + k3c * m4 + k3d * m6)
        }
        let sqrt2pi = (2 * Double.pi).squareRoot()
        k0 *= q * sqrt2pi / z
        k1 *= q * sqrt2pi / (6 * z4)
        k2 *= q * sqrt2pi / (72 * z6 * z)
        k3 *= q * sqrt2pi / (6480 * z6 * z4)
        q = exp(-pi2 / 2 / z2)
        var extra2 = 0.0, extra3 = 0.0
        let sqrt3z = 3.0.squareRoot() * z
        for k in stride(from: maxK, through: 1, by: -1) {
            let kk = Double(k), k2sq = kk * kk
            let qp = pow(q, k2sq)
            let kpi = Double.pi * kk
            extra2 += k2sq * qp
            extra3 += (sqrt3z + kpi) * (sqrt3z - kpi) * k2sq * qp
        }
        k2 += extra2 * pi2 * sqrt2pi / (-36 * z3)
        k3 += extra3 * pi2 * sqrt2pi / (216 * z6)
        let rootN = nn.squareRoot()
        return k0 + k1 / rootN + k2 / nn + k3 / (nn * rootN)
    }

    private static func clamp(_ p: Double) -> Double { p.isNaN ? 1 : min(1, max(0, p)) }
}
