import Foundation
import Testing
@testable import GatewatchCore

/// PSI, KS on histograms and Jensen–Shannon: FACTS.md §4 values, scipy 1.17.1 extras, properties and edges.
@Suite struct DriftTests {
    static let refCounts: [Double] = [120, 340, 810, 1500, 2200, 2400, 1700, 600, 250, 80]
    static let curCounts: [Double] = [60, 200, 640, 1380, 2100, 2500, 1900, 800, 310, 110]

    @Test func psiFacts() {
        let shares = Drift.psi(reference: [0.1, 0.2, 0.4, 0.2, 0.1, 0], current: [0.05, 0.15, 0.4, 0.25, 0.1, 0.05])
        #expect(abs(shares - 0.3703076) < 1e-6)
        #expect(abs(Drift.psi(reference: Self.refCounts, current: Self.curCounts) - 0.0276905) < 1e-6)
    }

    @Test func psiPadsShorterHistogram() {
        // Evidently's rule evaluated with numpy (scipy 1.17.1 environment): [1,2,3,0] vs [2,2,2,2].
        #expect(abs(Drift.psi(reference: [1, 2, 3], current: [2, 2, 2, 2]) - 2.186278158299636) < 1e-9)
    }

    struct PSIReference: Decodable {
        struct Case: Decodable { var reference: [Double]; var current: [Double]; var psi: String }
        var evidently: String
        var cases: [Case]
    }

    /// Evidently 0.7.23's own PSI (Tests/Reference/psi.py), empty buckets and shares below 10⁻⁴ included.
    @Test func psiMatchesEvidently() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Reference/psi.json")
        let ref = try JSONDecoder().decode(PSIReference.self, from: Data(contentsOf: url))
        #expect(ref.cases.count >= 8)
        for c in ref.cases {
            let expected = try #require(Double(c.psi))
            let value = Drift.psi(reference: c.reference, current: c.current)
            #expect(abs(value - expected) <= 1e-9 * max(expected, 1e-12), "\(c.reference) vs \(c.current): \(value), Evidently \(expected)")
        }
    }

    @Test func ksFacts() {
        let r = Drift.ksHistogram(reference: Self.refCounts, current: Self.curCounts)
        #expect(abs(r.d - 0.059) < 1e-9)
        // scipy 1.17.1: kstwo.sf(0.059, 5000)
        #expect(abs(r.pValue - 1.4292071802749219e-15) <= 1e-9 * 1.4292071802749219e-15)
    }

    /// scipy 1.17.1: D from the cumulative shares and `kstwo.sf(D, round(n·m/(n+m)))`.
    @Test(arguments: [
        ([3.0, 5, 8, 4], [6.0, 4, 2, 3], 0.2666666666666666, 0.46613395175197536),           // n = 9
        ([30.0, 50, 80, 40], [60.0, 40, 20, 30], 0.2666666666666666, 6.875498409590215e-06), // n = 86
        ([400.0, 500, 600, 500], [380.0, 430, 690, 500], 0.044999999999999984, 0.03378304014546085), // n = 1000
        ([4.0, 0, 1], [0.0, 2, 3], 0.8, 0.07999999999999996),                                 // n = round(2.5) = 2 (to even)
    ])
    func ksMatchesScipy(reference: [Double], current: [Double], d: Double, p: Double) {
        let r = Drift.ksHistogram(reference: reference, current: current)
        #expect(abs(r.d - d) < 1e-9)
        #expect(abs(r.pValue - p) <= 1e-9 * p, "p=\(r.pValue) expected \(p)")
    }

    /// scipy 1.17.1 `stats.kstwo.sf(d, n)` (the full grid is KolmogorovReferenceTests).
    @Test(arguments: [
        (0.3, 10, 0.27053557479999946), (0.15, 50, 0.19026366518248072), (0.05, 100, 0.9532159710635725),
        (0.5, 7, 0.03839174153626465), (0.1, 200, 0.03411035080315383), (0.08, 400, 0.011279924749605458),
        (0.06, 480, 0.06056236046668462), (0.9, 5, 1.9999999999999978e-05), (0.2, 20, 0.352720173623415),
        (0.04, 1000, 0.07933956059000224), (0.02, 3000, 0.17889813623188966), (0.03, 700, 0.5442472684022641),
        (0.12, 1, 1.0), (0.7, 1, 0.6000000000000001), (0.35, 3, 0.7328333333333334),
        (0.01, 20000, 0.03638603905248727), (0.4, 2, 0.82), (0.07, 10, 0.9999999619492741),
    ])
    func kolmogorovSurvivalMatchesScipy(d: Double, n: Int, expected: Double) {
        let p = KolmogorovDistribution.survival(d, n: n)
        #expect(abs(p - expected) <= 1e-9 * expected, "d=\(d) n=\(n) p=\(p)")
    }

    @Test func jensenShannonMatchesScipy() {
        #expect(abs(Drift.jensenShannon(Self.refCounts, Self.curCounts) - 0.0586155) < 1e-6)
        // scipy 1.17.1 scipy.spatial.distance.jensenshannon
        #expect(abs(Drift.jensenShannon([1, 2, 3, 4], [4, 3, 2, 1]) - 0.32625164411267443) < 1e-12)
        #expect(abs(Drift.jensenShannon([5, 0, 1], [0, 3, 2]) - 0.722152723277973) < 1e-12)
    }

    @Test func edgesNeverCrashOrNaN() {
        let zero = [0.0, 0, 0]
        #expect(Drift.psi(reference: zero, current: zero) == 0)
        #expect(Drift.jensenShannon(zero, zero) == 0)
        #expect(Drift.ksHistogram(reference: zero, current: zero) == KSResult(d: 0, n: 0))
        #expect(Drift.psi(reference: [], current: []) == 0)
        #expect(Drift.ksHistogram(reference: [], current: [1, 2]) == KSResult(d: 0, n: 0))
        #expect(Drift.ksHistogram(reference: zero, current: zero).pValue == 1)
        // Negative and NaN counts are 0: same as the cleaned histogram.
        let dirty: [Double] = [-5, .nan, 3, .infinity, 4], clean: [Double] = [0, 0, 3, 0, 4]
        let other: [Double] = [1, 2, 3, 4, 5]
        #expect(Drift.psi(reference: dirty, current: other) == Drift.psi(reference: clean, current: other))
        #expect(Drift.jensenShannon(dirty, other) == Drift.jensenShannon(clean, other))
        #expect(Drift.ksHistogram(reference: dirty, current: other) == Drift.ksHistogram(reference: clean, current: other))
        // Mismatched lengths pad with zeros.
        #expect(Drift.jensenShannon([1, 2], [1, 2, 0, 0]) == 0)
        let padded = Drift.ksHistogram(reference: [1, 1], current: [1, 1, 1, 1])
        #expect(abs(padded.d - 0.5) < 1e-12)
        #expect(!padded.pValue.isNaN)
        // Tiny totals: n rounds to 0 → treated as 1.
        let tiny = Drift.ksHistogram(reference: [0.1, 0], current: [0, 0.1])
        #expect(tiny.d == 1 && tiny.pValue == 0)
    }

    @Test func propertiesOverRandomHistograms() {
        var rng = LCG(seed: 2024)
        for trial in 0..<300 {
            let buckets = 1 + trial % 12
            let a = (0..<buckets).map { _ in rng.next() < 0.2 ? 0 : (rng.next() * 1000).rounded() }
            let b = (0..<buckets).map { _ in rng.next() < 0.2 ? 0 : (rng.next() * 1000).rounded() }
            #expect(Drift.psi(reference: a, current: a) == 0)
            #expect(Drift.jensenShannon(a, a) == 0)
            #expect(Drift.ksHistogram(reference: a, current: a).d < 1e-12)
            let psi = Drift.psi(reference: a, current: b), js = Drift.jensenShannon(a, b)
            let ks = Drift.ksHistogram(reference: a, current: b)
            #expect(psi >= 0 && psi.isFinite)
            #expect(js >= 0 && js <= log(2).squareRoot() + 1e-12)
            #expect(abs(js - Drift.jensenShannon(b, a)) < 1e-12)
            #expect(ks.d >= 0 && ks.d <= 1)
            #expect(ks.pValue >= 0 && ks.pValue <= 1)
        }
    }
}
