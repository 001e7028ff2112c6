import Foundation
import Testing
@testable import GatewatchCore

/// The mSPRT likelihood ratio (FACTS §4); the always-valid p-values and intervals built on it are tested in
/// ConfidenceSequenceTests.
@Suite struct MixtureSPRTTests {
    @Test func likelihoodRatioFacts() {
        let lambda = MixtureSPRT.likelihoodRatio(n: 2000, meanDifference: 0.08, sigma: 1, tau: 0.1)
        #expect(abs(lambda - 5.529754) < 1e-6)
        let shifted = MixtureSPRT.likelihoodRatio(n: 2000, meanDifference: 0.58, theta0: 0.5, sigma: 1, tau: 0.1)
        #expect(abs(shifted - 5.529754) < 1e-6)
    }

    @Test func edges() {
        #expect(MixtureSPRT.likelihoodRatio(n: 0, meanDifference: 1, sigma: 1, tau: 0.1) == 1)
        #expect(MixtureSPRT.likelihoodRatio(n: .nan, meanDifference: 1, sigma: 1, tau: 0.1) == 1)
        #expect(MixtureSPRT.likelihoodRatio(n: 1e9, meanDifference: 1, sigma: 1, tau: 0.1) == .infinity)
    }
}
