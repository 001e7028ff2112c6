import Testing
@testable import GatewatchApp
import GatewatchCore
import GatewatchUI

/// The segment table's `✗` is the segment-guardrails gate's verdict for the row: it reads the always-valid
/// interval, not the fixed-horizon one, and not below the gate's minimum samples.
@Suite struct GuardrailMarkTests {
    static let guardrail = Guardrail(metric: .falsePositiveRate, maxWorsening: 0.005)

    /// A +0.8 pt false-positive delta with the given fixed-horizon and always-valid intervals (in points).
    static func comparison(fixed: (Double, Double), alwaysValid: (Double, Double)?, samples: Double = 5000) -> MetricComparison {
        let estimate = DeltaEstimate(champion: 0.010, challenger: 0.018, delta: 0.008, ciLow: fixed.0 / 100, ciHigh: fixed.1 / 100,
                                     statistic: 3, pValue: 0.003)
        let sequential = alwaysValid.map {
            SequentialEstimate(tau: 0.005, tauSource: .guardrail, pValue: 0.2, adjustedP: 1, tests: 14, ciLow: $0.0 / 100, ciHigh: $0.1 / 100, looks: 20)
        }
        return MetricComparison(metric: .falsePositiveRate, estimate: estimate, qValue: 0.01, sequential: sequential,
                                championCount: samples, challengerCount: samples, hiddenRegression: false)
    }

    static func marked(_ c: MetricComparison, minimumSamples: Int = 30) -> Bool {
        SegmentsPanel.deltaCell(c, guardrail: guardrail, minimumSamples: minimumSamples, compact: false, glyphs: .unicode).text.contains("✗")
    }

    /// The defect: the fixed-horizon interval lies past the half-point limit, the always-valid one straddles it; the
    /// gate is inconclusive there, so the table must not say breached.
    @Test func aFixedHorizonBreachIsNotMarked() {
        #expect(!Self.marked(Self.comparison(fixed: (0.6, 1.0), alwaysValid: (-0.2, 1.8))))
    }

    @Test func anAlwaysValidBreachIsMarked() {
        #expect(Self.marked(Self.comparison(fixed: (0.6, 1.0), alwaysValid: (0.55, 1.05))))
        // … but not below the gate's minimum samples, nor without an interval.
        #expect(!Self.marked(Self.comparison(fixed: (0.6, 1.0), alwaysValid: (0.55, 1.05), samples: 20)))
        #expect(!Self.marked(Self.comparison(fixed: (0.6, 1.0), alwaysValid: nil)))
    }
}
