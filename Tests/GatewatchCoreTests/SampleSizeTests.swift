import Foundation
import Testing
@testable import GatewatchCore

/// The planned sample sizes are statsmodels' (Tests/Reference/sample_size.py).
@Suite struct SampleSizeTests {
    struct Reference: Decodable {
        struct Proportions: Decodable {
            var diff: Double; var baseline: Double; var power: Double; var ratio: Double; var alpha: Double
            var two_sided: Bool; var n1: String
        }
        struct Means: Decodable { var diff: Double; var sd: Double; var power: Double; var ratio: Double; var alpha: Double; var n1: String }
        var proportions: [Proportions]
        var means: [Means]
    }

    static let reference = Result { try ReferenceFile.decode(Reference.self, "sample_size.json") }

    static func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool { abs(a - b) <= tolerance * abs(b) }

    @Test func twoProportionsMatchStatsmodels() throws {
        let ref = try Self.reference.get()
        #expect(ref.proportions.count == 7)
        for c in ref.proportions {
            let expected = try #require(Double(c.n1))
            let n = try #require(SampleSize.twoProportions(diff: c.diff, baseline: c.baseline, power: c.power, ratio: c.ratio,
                                                           alpha: c.alpha, twoSided: c.two_sided))
            #expect(Self.close(n, expected), "\(c): \(n) vs statsmodels \(expected)")
        }
    }

    @Test func twoMeansMatchStatsmodels() throws {
        let ref = try Self.reference.get()
        #expect(ref.means.count == 3)
        for c in ref.means {
            let expected = try #require(Double(c.n1))
            let n = try #require(SampleSize.twoMeans(diff: c.diff, sd: c.sd, power: c.power, ratio: c.ratio, alpha: c.alpha))
            #expect(Self.close(n, expected), "\(c): \(n) vs statsmodels \(expected)")
        }
    }

    /// Inputs that cannot give a size give nil, never a number made of them.
    @Test func impossibleInputsGiveNil() {
        #expect(SampleSize.twoProportions(diff: 0, baseline: 0.1, power: 0.8) == nil)
        #expect(SampleSize.twoProportions(diff: 0.2, baseline: 0.9, power: 0.8) == nil)   // p1 = 1.1
        #expect(SampleSize.twoProportions(diff: 0.01, baseline: 0.1, power: 1) == nil)
        #expect(SampleSize.twoProportions(diff: 0.01, baseline: 0.1, power: 0.8, ratio: 0) == nil)
        #expect(SampleSize.twoProportions(diff: .nan, baseline: 0.1, power: 0.8) == nil)
        #expect(SampleSize.twoMeans(diff: 0.01, sd: 0, power: 0.8) == nil)
    }
}
