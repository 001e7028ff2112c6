import Foundation

/// SplitMix64: small, fast and fully deterministic, so the same seed and step always give the same traffic.
public struct SeededRandom: Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A generator for one (seed, stream) pair, independent of the order in which streams are used.
    public init(seed: UInt64, streams: UInt64...) {
        var s = seed &* 0x9E37_79B9_7F4A_7C15
        for v in streams { s = (s ^ v) &* 0xBF58_476D_1CE4_E5B9 &+ 0x94D0_49BB_1331_11EB }
        state = s
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in (0, 1).
    public mutating func uniform() -> Double {
        (Double(next() >> 11) + 0.5) / Double(1 << 53)
    }

    /// Standard normal (Box–Muller).
    public mutating func normal() -> Double {
        let u1 = uniform(), u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    /// A binomial draw: exact for small n, normal approximation otherwise.
    public mutating func binomial(_ n: Int, _ p: Double) -> Int {
        guard n > 0, p > 0 else { return 0 }
        if p >= 1 { return n }
        if n <= 40 {
            var k = 0
            for _ in 0..<n where uniform() < p { k += 1 }
            return k
        }
        let mean = Double(n) * p, sd = (Double(n) * p * (1 - p)).squareRoot()
        return min(n, max(0, Int((mean + sd * normal()).rounded())))
    }

    /// Splits `n` items over categories with probabilities `p` (sums to 1) by sequential binomials.
    public mutating func multinomial(_ n: Int, _ p: [Double]) -> [Int] {
        var remaining = n, mass = 1.0
        var result = [Int](repeating: 0, count: p.count)
        for i in p.indices {
            if i == p.count - 1 || remaining == 0 { result[i] = remaining; remaining = 0; break }
            let q = mass > 0 ? min(1, max(0, p[i] / mass)) : 0
            let k = binomial(remaining, q)
            result[i] = k
            remaining -= k
            mass -= p[i]
        }
        return result
    }
}
