import Foundation

/// The one-sided Kolmogorov–Smirnov statistic Dₙ⁺ (scipy's `smirnov`).
enum Smirnov {
    /// P(Dₙ⁺ ≥ d) by the Birnbaum–Tingey sum d·Σ_{v < n(1−d)} C(n,v)(d + v/n)^(v−1)(1 − d − v/n)^(n−v), whose terms are
    /// all positive. Each term is a binomial probability at p = d + v/n divided by p, computed with Loader's method;
    /// the sum stops once the remaining terms cannot change it (as cephes does). The special cases follow cephes'
    /// `_smirnov`: d ≤ 1/n and d ≥ 1 − 1/n in closed form, 0 where −2nd² underflows, and its approximation above n = 10⁶.
    static func survival(_ d: Double, n: Int) -> Double {
        guard n >= 1, !d.isNaN else { return 1 }
        if n == 1 { return min(1, max(0, 1 - d)) }
        if d <= 0 { return 1 }
        if d >= 1 { return 0 }
        let nn = Double(n), nx = nn * d
        let floorNX = nx.rounded(.down), alpha = nx - floorNX
        if floorNX == 0 || (floorNX == 1 && alpha == 0) { return clamp(1 - d * pow(1 + d, nn - 1)) }
        if -2 * nn * d * d < -708.3964185322641 { return 0 }  // cephes MINLOG
        if floorNX >= nn - 1 { return clamp(pow(1 - d, nn)) }
        if n > 1_000_000 { return clamp(exp(-pow(6 * nx + 1, 2) / 18 / nn)) }
        let terms = n - Int(floorNX)
        var sum = 0.0
        for v in 0..<terms {
            let vv = Double(v)
            let np = nx + vv, nq = nn - vv - nx
            let p = np / nn, q = nq / nn
            let term = BinomialDensity.probability(vv, n: nn, p: p, q: q, np: np, nq: nq) / p
            sum += term
            if v == 0 { continue }
            if term != 0 {
                if 4 * Double(terms - v) * term < Double.ulpOfOne * sum, v != terms - 1 { break }
            } else if v > n / 2 {
                break
            }
        }
        return clamp(d * sum)
    }

    private static func clamp(_ p: Double) -> Double { p.isNaN ? 1 : min(1, max(0, p)) }
}
