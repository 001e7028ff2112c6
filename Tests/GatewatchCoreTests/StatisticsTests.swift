import Foundation
import Testing
@testable import GatewatchCore

/// Reference values from FACTS.md §4 (scipy 1.17.1).
@Suite struct StatisticsTests {
    @Test func sampleRatioFiftyFifty() throws {
        let r = try #require(SampleRatio.chiSquared(observed: [5100, 4900], expectedShares: [0.5, 0.5]))
        #expect(abs(r.chi2 - 4.0) < 1e-9)
        #expect(abs(r.pValue - 0.0455003) < 1e-6)
    }

    @Test func sampleRatioOnePercentCanary() throws {
        let r = try #require(SampleRatio.chiSquared(observed: [1180, 98820], expectedShares: [0.01, 0.99]))
        #expect(abs(r.chi2 - 32.727) < 1e-3)
        #expect(abs(r.pValue - 1.06e-8) / 1.06e-8 < 1e-2)
        #expect(r.pValue < 0.001)  // an SRM alert
    }

    @Test func sampleRatioNothingToTest() {
        #expect(SampleRatio.chiSquared(observed: [0, 0], expectedShares: [0.5, 0.5]) == nil)
        #expect(SampleRatio.chiSquared(observed: [10, 10], expectedShares: [0.5, 0.25, 0.25]) == nil)
        #expect(SampleRatio.chiSquared(observed: [10], expectedShares: [1]) == nil)
        #expect(SampleRatio.chiSquared(observed: [10, 0], expectedShares: [1, 0]) == nil)
        let perfect = SampleRatio.chiSquared(observed: [950, 50], expectedShares: [0.95, 0.05])
        #expect(perfect?.chi2 == 0)
        #expect(perfect?.pValue == 1)
    }

    @Test func twoSidedNormalP() {
        #expect(abs(Distributions.normalTwoSidedP(1.963050) - 0.0496404) < 1e-6)
        #expect(abs(Distributions.normalTwoSidedP(-1.963050) - 0.0496404) < 1e-6)
        #expect(Distributions.normalTwoSidedP(0) == 1)
        #expect(abs(Distributions.normalCDF(0) - 0.5) < 1e-15)
        #expect(abs(Distributions.normalCDF(1.959963984540054) - 0.975) < 1e-12)
        #expect(abs(Distributions.normalCDF(-1.959963984540054) - 0.025) < 1e-12)
    }

    /// Closed forms: df=1 → erfc(√(x/2)); df=2 → e^(−x/2); df=4 → e^(−x/2)(1 + x/2). Both branches (series for
    /// x < a+1, continued fraction otherwise) are crossed by the range of x.
    @Test func chiSquaredSurvivalAgreesWithClosedForms() {
        for i in 1...400 {
            let x = Double(i) * 0.125
            let df1 = Distributions.chiSquaredSurvival(x, degreesOfFreedom: 1)
            let df2 = Distributions.chiSquaredSurvival(x, degreesOfFreedom: 2)
            let df4 = Distributions.chiSquaredSurvival(x, degreesOfFreedom: 4)
            let e1 = erfc((x / 2).squareRoot()), e2 = exp(-x / 2), e4 = exp(-x / 2) * (1 + x / 2)
            #expect(abs(df1 - e1) <= 1e-9 * max(e1, 1e-300) + 1e-15, "df1 x=\(x)")
            #expect(abs(df2 - e2) <= 1e-9 * e2 + 1e-15, "df2 x=\(x)")
            #expect(abs(df4 - e4) <= 1e-9 * e4 + 1e-15, "df4 x=\(x)")
        }
        #expect(Distributions.chiSquaredSurvival(0, degreesOfFreedom: 1) == 1)
        #expect(Distributions.chiSquaredSurvival(-3, degreesOfFreedom: 2) == 1)
    }
}
