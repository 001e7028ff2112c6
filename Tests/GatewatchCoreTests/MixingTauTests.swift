import Foundation
import Testing
@testable import GatewatchCore

/// Each metric's always-valid test is tuned to the effect the spec cares about, not one constant.
@Suite struct MixingTauTests {
    static func release(_ extra: String) throws -> Release {
        let json = """
        {"slug": "r", "model": "m", "champion": "1", "challenger": "2",
         "stages": [{"name": "canary", "kind": "canary", "traffic": 5, "bake": "10m"}]\(extra)}
        """
        return try JSONDecoder().decode(Release.self, from: Data(json.utf8))
    }

    @Test func theGuardrailThenTheMinimumDetectableEffectThenTheDefault() throws {
        let r = try Self.release(#", "guardrails": [{"metric": "false_positive_rate", "max_worsening": 0.004}], "#
                                 + #""minimum_detectable_effects": {"false_positive_rate": 0.02, "recall": 0.05}"#)
        #expect(r.tau(for: .falsePositiveRate) == (0.004, .guardrail))
        #expect(r.tau(for: .recall) == (0.05, .minimumDetectableEffect))
        #expect(r.tau(for: .errorRate) == (0.01, .default))
        #expect(r.tau(for: .meanScore) == (0.02, .default))
        #expect(r.problems().isEmpty)
    }

    @Test func aMinimumDetectableEffectOutsideTheUnitIntervalIsAProblemAtItsKey() throws {
        let r = try Self.release(#", "minimum_detectable_effects": {"precision": 0, "recall": 1.5}"#)
        let at = r.problems().map(\.path.dotted)
        #expect(at.contains("minimum_detectable_effects.precision") && at.contains("minimum_detectable_effects.recall"), "\(at)")
        // A bad value is not used: the default stands in.
        #expect(r.tau(for: .precision) == (0.01, .default))
    }

    @Test func anUnknownMetricIsADecodingError() {
        #expect(throws: DecodingError.self) { _ = try Self.release(#", "minimum_detectable_effects": {"precison": 0.01}"#) }
    }

    /// The tuned τ reaches the comparison: a segment's always-valid result carries it and its source.
    @Test func theComparatorUsesTheSpecsTau() {
        var data = MetricSeriesSet()
        for arm in Arm.allCases {
            for (outcome, count) in [("fp", 30.0), ("tn", 970.0)] {
                data.append([Sample(time: 60, value: 0), Sample(time: 3600, value: count * (arm == .champion ? 4 : 1))],
                            to: SeriesKey(.labels, arm: arm, segment: "s", extra: outcome))
            }
        }
        let r = SegmentComparator().compare(metrics: DerivedMetrics(data), segments: ["s"], from: 0, to: 3600) { metric in
            metric == .falsePositiveRate ? (0.004, .guardrail) : (metric.defaultTau, .default)
        }
        let fpr = r.segments.first?.metrics[.falsePositiveRate]?.sequential
        #expect(fpr?.tau == 0.004 && fpr?.tauSource == .guardrail && fpr?.tests == 14, "\(String(describing: fpr))")
    }
}
