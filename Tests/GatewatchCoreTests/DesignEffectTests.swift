import Foundation
import Testing
@testable import GatewatchCore

/// Clustered traffic: the spec's `design_effect` widens every interval by its square root; without it decisions are
/// treated as independent.
@Suite struct DesignEffectTests {
    static func data() -> MetricSeriesSet {
        var data = MetricSeriesSet()
        for arm in Arm.allCases {
            let fp = arm == .champion ? 300.0 : 380.0
            for (outcome, count) in [("fp", fp), ("tn", 10_000 - fp)] {
                data.append([Sample(time: 60, value: 0), Sample(time: 3600, value: count)],
                            to: SeriesKey(.labels, arm: arm, segment: "s", extra: outcome))
            }
        }
        return data
    }

    static func fpr(_ designEffect: Double) throws -> MetricComparison {
        let r = SegmentComparator().compare(metrics: DerivedMetrics(data()), segments: ["s"], from: 0, to: 3600, designEffect: designEffect)
        return try #require(r.segments.first?.metrics[.falsePositiveRate])
    }

    @Test func aDesignEffectOfFourDoublesTheIntervals() throws {
        let plain = try Self.fpr(1), clustered = try Self.fpr(4)
        // The fixed-horizon test is the same test on a quarter of the counts: the pooled z halves exactly.
        #expect(abs(clustered.estimate.statistic - plain.estimate.statistic / 2) < 1e-12)
        let same = try #require(ProportionTest.twoProportion(successesA: 75, totalA: 2500, successesB: 95, totalB: 2500))
        #expect(abs(clustered.estimate.ciLow - same.ciLow) < 1e-12 && abs(clustered.estimate.ciHigh - same.ciHigh) < 1e-12)
        #expect(clustered.estimate.pValue > plain.estimate.pValue)
        // The always-valid interval widens too, and the counts shown stay the real ones.
        let a = try #require(plain.sequential), b = try #require(clustered.sequential)
        #expect(b.ciHigh - b.ciLow > 1.5 * (a.ciHigh - a.ciLow), "\(a) \(b)")
        #expect(b.pValue > a.pValue)
        #expect(clustered.championCount == 10_000 && clustered.challengerCount == 10_000)
    }

    @Test func theSpecKeyIsReadAndCheckedAtItsKey() throws {
        func release(_ extra: String) throws -> Release {
            try JSONDecoder().decode(Release.self, from: Data("""
            {"slug": "r", "model": "m", "champion": "1", "challenger": "2",
             "stages": [{"name": "canary", "kind": "canary", "traffic": 5, "bake": "10m"}]\(extra)}
            """.utf8))
        }
        #expect(try release(#", "design_effect": 1.8"#).effectiveDesignEffect == 1.8)
        #expect(try release("").effectiveDesignEffect == 1)
        for bad in ["0.5", "0", "-2", "1000"] {
            let r = try release(", \"design_effect\": \(bad)")
            #expect(r.effectiveDesignEffect == 1, "a bad design effect is not used: \(bad)")
            #expect(r.problems().contains { $0.path.dotted == "design_effect" }, "\(bad): \(r.problems())")
        }
    }
}
