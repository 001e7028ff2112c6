import Foundation
import Testing
@testable import GatewatchCore

/// The fixed-horizon interval of a difference of rates is the score test inverted: it agrees with its p-value and
/// behaves at small and empty counts (Tests/Reference/proportion_score.py: the constrained likelihood maximised
/// numerically and each end found with scipy's brentq).
@Suite struct ProportionScoreIntervalTests {
    struct Reference: Decodable {
        struct Case: Decodable {
            var successes_a, total_a, successes_b, total_b: Double
            var z, p, ci_low, ci_high: String
        }
        var cases: [Case]
    }

    static func reference() throws -> Reference {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Reference/proportion_score.json")
        return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }

    static func estimate(_ c: Reference.Case) throws -> DeltaEstimate {
        try #require(ProportionTest.twoProportion(successesA: c.successes_a, totalA: c.total_a, successesB: c.successes_b, totalB: c.total_b))
    }

    @Test func theIntervalAndTestMatchTheReference() throws {
        let ref = try Self.reference()
        #expect(ref.cases.count > 50)
        for c in ref.cases {
            let e = try Self.estimate(c)
            let low = try #require(Double(c.ci_low)), high = try #require(Double(c.ci_high))
            let z = try #require(Double(c.z)), p = try #require(Double(c.p))
            let at = "\(Int(c.successes_a))/\(Int(c.total_a)) vs \(Int(c.successes_b))/\(Int(c.total_b))"
            #expect(abs(e.ciLow - low) <= 1e-9, "\(at): low \(e.ciLow) vs \(low)")
            #expect(abs(e.ciHigh - high) <= 1e-9, "\(at): high \(e.ciHigh) vs \(high)")
            #expect(abs(e.statistic - z) <= 1e-12 * max(1, abs(z)), "\(at): z")
            #expect(abs(e.pValue - p) <= 1e-9 * max(p, 1e-300), "\(at): p \(e.pValue) vs \(p)")
        }
    }

    /// The cases the issue names: Wald's [0, 0] for 0/11691 vs 0/2805, and an interval excluding 0 beside p > 0.05.
    @Test func smallAndEmptyCountsAreNeverACertainty() throws {
        let empty = try #require(ProportionTest.twoProportion(successesA: 0, totalA: 11691, successesB: 0, totalB: 2805))
        #expect(empty.ciLow < -1e-4 && empty.ciHigh > 1e-4, "\(empty)")
        let wald = try #require(ProportionTest.twoProportion(successesA: 0, totalA: 11691, successesB: 0, totalB: 2805, interval: .wald))
        #expect(wald.ciLow == 0 && wald.ciHigh == 0)  // what it was
        let few = try #require(ProportionTest.twoProportion(successesA: 3, totalA: 20, successesB: 9, totalB: 22))
        #expect(few.pValue > 0.05 && few.ciLow < 0)
        let fewWald = try #require(ProportionTest.twoProportion(successesA: 3, totalA: 20, successesB: 9, totalB: 22, interval: .wald))
        #expect(fewWald.ciLow > 0)  // what it was: "significant" by the interval, not by the test
    }

    /// Over many random counts the interval excludes 0 exactly when p < 0.05 (Wald disagreed in about 2%).
    @Test func theIntervalExcludesZeroExactlyWhenTheTestRejects() {
        var random = SeededRandom(seed: 18)
        var disagreements = 0, waldDisagreements = 0, tried = 0
        for _ in 0..<4000 {
            let nA = Double(5 + random.next() % 3000), nB = Double(5 + random.next() % 3000)
            let rate = [0.002, 0.02, 0.1, 0.3][Int(random.next() % 4)]
            let sA = Double(random.binomial(Int(nA), rate)), sB = Double(random.binomial(Int(nB), rate * 1.3))
            guard let e = ProportionTest.twoProportion(successesA: sA, totalA: nA, successesB: sB, totalB: nB),
                  let w = ProportionTest.twoProportion(successesA: sA, totalA: nA, successesB: sB, totalB: nB, interval: .wald),
                  abs(e.pValue - 0.05) > 1e-9 else { continue }
            tried += 1
            if (e.pValue < 0.05) != (e.ciLow > 0 || e.ciHigh < 0) { disagreements += 1 }
            if (w.pValue < 0.05) != (w.ciLow > 0 || w.ciHigh < 0) { waldDisagreements += 1 }
        }
        #expect(tried > 3900)
        #expect(disagreements == 0)
        #expect(waldDisagreements > 0, "the Wald interval should have disagreed somewhere (\(tried) tried)")
    }
}
