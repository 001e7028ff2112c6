import Testing
@testable import GatewatchCore

/// Benjamini–Hochberg and Holm adjustments: FACTS.md §4 values and properties.
@Suite struct MultipleTestingTests {
    static let facts: [Double] = [0.001, 0.008, 0.039, 0.041, 0.042, 0.060, 0.074, 0.205]

    @Test func benjaminiHochbergFacts() {
        let expected: [Double] = [0.008, 0.032, 0.0672, 0.0672, 0.0672, 0.08, 0.084571, 0.205]
        let q = MultipleTesting.benjaminiHochberg(Self.facts)
        #expect(q.count == expected.count)
        for (a, b) in zip(q, expected) { #expect(abs(a - b) < 1e-6, "\(a) vs \(b)") }
    }

    @Test func holmFacts() {
        let expected: [Double] = [0.008, 0.056, 0.234, 0.234, 0.234, 0.234, 0.234, 0.234]
        let h = MultipleTesting.holm(Self.facts)
        #expect(h.count == expected.count)
        for (a, b) in zip(h, expected) { #expect(abs(a - b) < 1e-6, "\(a) vs \(b)") }
    }

    @Test func nanStaysNaNAndIsNotCounted() {
        let q = MultipleTesting.benjaminiHochberg([0.01, .nan, 0.04])
        #expect(q[1].isNaN)
        #expect(abs(q[0] - 0.02) < 1e-12)   // m = 2
        #expect(abs(q[2] - 0.04) < 1e-12)
        let h = MultipleTesting.holm([.nan, 0.01, 0.04])
        #expect(h[0].isNaN)
        #expect(abs(h[1] - 0.02) < 1e-12)
        #expect(abs(h[2] - 0.04) < 1e-12)
        #expect(MultipleTesting.benjaminiHochberg([]).isEmpty)
        #expect(MultipleTesting.holm([0.7, 0.9]) == [1, 1])
    }

    @Test func propertiesOverRandomInputs() {
        var rng = LCG(seed: 42)
        for trial in 0..<200 {
            let m = 1 + trial % 17
            let p = (0..<m).map { _ in pow3(rng.next()) }   // skewed towards 0, some ties are unlikely but allowed
            for adjusted in [MultipleTesting.benjaminiHochberg(p), MultipleTesting.holm(p)] {
                #expect(adjusted.count == m)
                for i in 0..<m {
                    #expect(adjusted[i] >= p[i] && adjusted[i] <= 1)
                    for j in 0..<m where p[i] <= p[j] { #expect(adjusted[i] <= adjusted[j]) }
                }
            }
            // Reordering the inputs permutes the outputs the same way.
            let perm = (0..<m).reversed().map { $0 }.shuffledDeterministically(&rng)
            let permuted = perm.map { p[$0] }
            let bh = MultipleTesting.benjaminiHochberg(p), bhPermuted = MultipleTesting.benjaminiHochberg(permuted)
            let holm = MultipleTesting.holm(p), holmPermuted = MultipleTesting.holm(permuted)
            for (k, source) in perm.enumerated() {
                #expect(bhPermuted[k] == bh[source])
                #expect(holmPermuted[k] == holm[source])
            }
        }
    }

    private func pow3(_ x: Double) -> Double { x * x * x }
}

/// A 64-bit linear congruential generator (Knuth's MMIX constants) for reproducible test data.
struct LCG {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    /// Uniform in [0, 1).
    mutating func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / 9007199254740992.0
    }
}

extension Array {
    /// Fisher–Yates with the test LCG.
    func shuffledDeterministically(_ rng: inout LCG) -> [Element] {
        var a = self
        guard a.count > 1 else { return a }
        for i in stride(from: a.count - 1, to: 0, by: -1) {
            let j = Int(rng.next() * Double(i + 1))
            a.swapAt(i, j)
        }
        return a
    }
}
