import Foundation
import Testing
@testable import GatewatchCore

/// The always-valid confidence sequence and p-value against the reference values of
/// Tests/Reference/confidence_sequence.py (numerical integration of the mixture and root finding with scipy 1.17.1).
@Suite struct ConfidenceSequenceTests {
    struct Reference: Decodable {
        struct Normal: Decodable { var delta, variance, tau, alpha, lambda, radius: Double }
        struct Proportion: Decodable {
            var successes_a, total_a, successes_b, total_b, tau, alpha, delta, variance, lambda, p, radius: Double
        }
        struct Beta: Decodable { var p, a, b, quantile: Double }
        var normal: [Normal]
        var proportions: [Proportion]
        var beta_quantiles: [Beta]
    }

    static func reference() throws -> Reference {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Reference/confidence_sequence.json")
        return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }

    static func close(_ a: Double, _ b: Double, _ relative: Double = 1e-9) -> Bool {
        abs(a - b) <= relative * max(abs(a), abs(b), 1e-300)
    }

    @Test func likelihoodRatioAndRadiusMatchTheNumericalMixture() throws {
        let ref = try Self.reference()
        #expect(ref.normal.count >= 6)
        for r in ref.normal {
            let lambda = ConfidenceSequence.likelihoodRatio(delta: r.delta, variance: r.variance, tau: r.tau)
            #expect(Self.close(lambda, r.lambda), "Λ \(lambda) vs \(r.lambda) for \(r)")
            let radius = try #require(ConfidenceSequence.radius(variance: r.variance, tau: r.tau, alpha: r.alpha))
            #expect(Self.close(radius, r.radius), "r \(radius) vs \(r.radius) for \(r)")
        }
    }

    @Test func proportionLooksMatchTheReference() throws {
        let ref = try Self.reference()
        for r in ref.proportions {
            let look = try #require(ConfidenceSequence.proportionLook(successesA: r.successes_a, totalA: r.total_a,
                                                                     successesB: r.successes_b, totalB: r.total_b))
            #expect(Self.close(look.delta, r.delta, 1e-12) || (look.delta == 0 && r.delta == 0))
            #expect(Self.close(look.variance, r.variance, 1e-12))
            let run = try #require(ConfidenceSequence.run([look], tau: r.tau, alpha: r.alpha))
            #expect(Self.close(run.pValue, r.p), "p \(run.pValue) vs \(r.p)")
            #expect(Self.close(run.high - look.delta, r.radius), "radius \(run.high - look.delta) vs \(r.radius)")
            // One statement: the interval excludes 0 exactly when p < α.
            #expect((run.low > 0 || run.high < 0) == (run.pValue < r.alpha), "\(r)")
        }
    }

    /// The defects of the Wald interval the issue names: 0/11691 vs 0/2805 gave [0, 0], and 0/15 vs 3/15 an
    /// interval excluding 0 with p = 0.46.
    @Test func smallCountsAreNotCertainties() throws {
        let none = try #require(ConfidenceSequence.proportionLook(successesA: 0, totalA: 11691, successesB: 0, totalB: 2805))
        let run = try #require(ConfidenceSequence.run([none], tau: 0.005, alpha: 0.05))
        #expect(run.low < 0 && run.high > 0 && run.high - run.low > 0.001, "\(run)")
        let few = try #require(ConfidenceSequence.proportionLook(successesA: 0, totalA: 15, successesB: 3, totalB: 15))
        let small = try #require(ConfidenceSequence.run([few], tau: 0.01, alpha: 0.05))
        #expect(small.low < 0 && small.high > 0 && small.pValue > 0.9, "\(small)")

        let wald = try #require(ProportionTest.twoProportion(successesA: 0, totalA: 11691, successesB: 0, totalB: 2805, interval: .wald))
        #expect(wald.ciLow == 0 && wald.ciHigh == 0, "the fixed-horizon Wald interval this replaces on the screen")
    }

    @Test func theRunningIntervalOnlyNarrowsAndPOnlyFalls() throws {
        var rng = SeededRandom(seed: 11)
        var sA = 0.0, nA = 0.0, sB = 0.0, nB = 0.0
        var running = ConfidenceSequence.Running(tau: 0.01, alpha: 0.05)
        var previous: (pValue: Double, low: Double, high: Double)?
        for _ in 0..<400 {
            nA += 400; sA += Double(rng.binomial(400, 0.10))
            nB += 100; sB += Double(rng.binomial(100, 0.10))
            running.add(try #require(ConfidenceSequence.proportionLook(successesA: sA, totalA: nA, successesB: sB, totalB: nB)))
            let now = try #require(running.result)
            if let previous, now.low <= now.high {
                #expect(now.pValue <= previous.pValue)
                #expect(now.low >= previous.low - 1e-15 && now.high <= previous.high + 1e-15)
            }
            previous = now
        }
        #expect(running.count == 400)
        #expect(ConfidenceSequence.run([], tau: 0.01, alpha: 0.05) == nil)
        #expect(ConfidenceSequence.run([.init(delta: 0.1, variance: 0)], tau: 0.01, alpha: 0.05) == nil)
        #expect(ConfidenceSequence.radius(variance: 1e-4, tau: 0, alpha: 0.05) == nil)
        #expect(ConfidenceSequence.likelihoodRatio(delta: .nan, variance: 1e-4, tau: 0.01) == 1)
    }

    /// Clopper–Pearson bounds from `Distributions.betaQuantile` (scipy 1.17.1: `stats.beta.ppf`).
    @Test func betaQuantilesForBinomialIntervals() throws {
        let ref = try Self.reference()
        #expect(ref.beta_quantiles.count == 5)
        for r in ref.beta_quantiles {
            #expect(abs(Distributions.betaQuantile(r.p, r.a, r.b) - r.quantile) < 1e-10, "\(r)")
        }
        #expect(Distributions.betaQuantile(1.5, 1, 1).isNaN)
    }
}
