import Foundation
import Testing
@testable import GatewatchCore

/// mSPRT likelihood ratio and always-valid p-values.
@Suite struct MixtureSPRTTests {
    @Test func likelihoodRatioFacts() {
        let lambda = MixtureSPRT.likelihoodRatio(n: 2000, meanDifference: 0.08, sigma: 1, tau: 0.1)
        #expect(abs(lambda - 5.529754) < 1e-6)
        let shifted = MixtureSPRT.likelihoodRatio(n: 2000, meanDifference: 0.58, theta0: 0.5, sigma: 1, tau: 0.1)
        #expect(abs(shifted - 5.529754) < 1e-6)
    }

    /// Reference values from the closed form evaluated with numpy (scipy 1.17.1 environment).
    @Test func alwaysValidPTwoProportions() throws {
        let small = try #require(MixtureSPRT.alwaysValidP(successesA: 120, totalA: 1000, successesB: 150, totalB: 1000))
        #expect(abs(small - 0.6706815079704433) < 1e-9)
        let large = try #require(MixtureSPRT.alwaysValidP(successesA: 1200, totalA: 10000, successesB: 1500, totalB: 10000))
        #expect(abs(large - 3.782587650221439e-07) / 3.782587650221439e-07 < 1e-6)
        let weak = try #require(MixtureSPRT.alwaysValidP(successesA: 300, totalA: 2000, successesB: 420, totalB: 3000, tau: 0.02))
        #expect(weak == 1)   // Λ = 0.6658 < 1
    }

    @Test func edges() throws {
        #expect(MixtureSPRT.alwaysValidP(successesA: 0, totalA: 0, successesB: 1, totalB: 10) == nil)
        let flat = try #require(MixtureSPRT.alwaysValidP(successesA: 0, totalA: 100, successesB: 0, totalB: 100))
        #expect(flat == 1)
        #expect(MixtureSPRT.likelihoodRatio(n: 0, meanDifference: 1, sigma: 1, tau: 0.1) == 1)
        #expect(MixtureSPRT.likelihoodRatio(n: .nan, meanDifference: 1, sigma: 1, tau: 0.1) == 1)
        #expect(MixtureSPRT.likelihoodRatio(n: 1e9, meanDifference: 1, sigma: 1, tau: 0.1) == .infinity)
        #expect(MixtureSPRT.alwaysValidPSequence([], tau: 0.01).isEmpty)
    }

    @Test func sequenceNeverIncreases() {
        var rng = LCG(seed: 7)
        var sA = 0.0, nA = 0.0, sB = 0.0, nB = 0.0
        var looks: [(successesA: Double, totalA: Double, successesB: Double, totalB: Double)] = []
        for _ in 0..<300 {
            for _ in 0..<50 {
                nA += 1; if rng.next() < 0.10 { sA += 1 }
                nB += 1; if rng.next() < 0.11 { sB += 1 }
            }
            looks.append((sA, nA, sB, nB))
        }
        looks.insert((0, 0, 0, 0), at: 0)   // a look without data keeps p = 1
        let p = MixtureSPRT.alwaysValidPSequence(looks)
        #expect(p.count == looks.count)
        #expect(p[0] == 1)
        for i in 1..<p.count { #expect(p[i] <= p[i - 1]) }
        for (value, look) in zip(p, looks) {
            #expect(value >= 0 && value <= 1)
            if let single = MixtureSPRT.alwaysValidP(successesA: look.successesA, totalA: look.totalA,
                                                     successesB: look.successesB, totalB: look.totalB) {
                #expect(value <= single)
            }
        }
    }
}
