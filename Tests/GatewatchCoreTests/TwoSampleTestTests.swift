import Foundation
import Testing
@testable import GatewatchCore

/// Two-proportion z and Welch t tests: FACTS.md §4 values and extra cases from scipy 1.17.1.
@Suite struct TwoSampleTestTests {
    @Test func twoProportionFacts() throws {
        let e = try #require(ProportionTest.twoProportion(successesA: 120, totalA: 1000, successesB: 150, totalB: 1000))
        #expect(abs(e.statistic - 1.963050) < 1e-6)
        #expect(abs(e.pValue - 0.0496404) < 1e-6)
        #expect(abs(e.champion - 0.12) < 1e-12)
        #expect(abs(e.challenger - 0.15) < 1e-12)
        #expect(abs(e.delta - 0.03) < 1e-12)
        // The score interval (Tests/Reference/proportion_score.json).
        #expect(abs(e.ciLow - 4.736608284932214e-05) < 1e-9)
        #expect(abs(e.ciHigh - 0.06009584483996414) < 1e-9)
        // Wald, kept for the earlier judgement: pb−pa ± norm.ppf(0.975)·√(Σp(1−p)/n) evaluated with scipy 1.17.1.
        let w = try #require(ProportionTest.twoProportion(successesA: 120, totalA: 1000, successesB: 150, totalB: 1000, interval: .wald))
        #expect(abs(w.ciLow - 7.602882129778554e-05) < 1e-9)
        #expect(abs(w.ciHigh - 0.05992397117870221) < 1e-9)
    }

    @Test func twoProportionUnequalArms() throws {
        // scipy 1.17.1 (norm.sf, norm.ppf): 30/250 vs 18/310, with the Wald interval.
        let e = try #require(ProportionTest.twoProportion(successesA: 30, totalA: 250, successesB: 18, totalB: 310, interval: .wald))
        #expect(abs(e.statistic - -2.6027280972831366) < 1e-9)
        #expect(abs(e.pValue - 0.00924852703338017) < 1e-9)
        #expect(abs(e.ciLow - -0.10989773377870513) < 1e-9)
        #expect(abs(e.ciHigh - -0.013973233963230344) < 1e-9)
    }

    @Test func twoProportionEdges() throws {
        #expect(ProportionTest.twoProportion(successesA: 0, totalA: 0, successesB: 3, totalB: 10) == nil)
        #expect(ProportionTest.twoProportion(successesA: 1, totalA: 10, successesB: 0, totalB: 0) == nil)
        #expect(ProportionTest.twoProportion(successesA: .nan, totalA: 10, successesB: 1, totalB: 10) == nil)
        let none = try #require(ProportionTest.twoProportion(successesA: 0, totalA: 50, successesB: 0, totalB: 80))
        #expect(none.statistic == 0)
        #expect(none.pValue == 1)
        let all = try #require(ProportionTest.twoProportion(successesA: 50, totalA: 50, successesB: 80, totalB: 80))
        #expect(all.statistic == 0)
        #expect(all.pValue == 1)
        #expect(!all.ciLow.isNaN && !all.ciHigh.isNaN)
    }

    @Test func welchFacts() throws {
        let r = try #require(WelchTest.test(meanA: 0.50, sdA: 0.10, nA: 400, meanB: 0.52, sdB: 0.12, nB: 300))
        #expect(abs(r.estimate.statistic - 2.340823) < 1e-6)
        #expect(abs(r.degreesOfFreedom - 574.7349) < 1e-4)
        #expect(abs(r.estimate.pValue - 0.0195822) < 1e-6)
        #expect(abs(r.estimate.delta - 0.02) < 1e-12)
        // scipy 1.17.1: delta ± t.ppf(0.975, df)·se
        #expect(abs(r.estimate.ciLow - 0.0032187210888918252) < 1e-9)
        #expect(abs(r.estimate.ciHigh - 0.03678127891110821) < 1e-9)
    }

    @Test func welchSmallSamples() throws {
        // scipy 1.17.1: ttest_ind_from_stats(12.5, 4, 4, 10, 2, 5, equal_var=False) and t.ppf at its df.
        let r = try #require(WelchTest.test(meanA: 10, sdA: 2, nA: 5, meanB: 12.5, sdB: 4, nB: 4))
        #expect(abs(r.estimate.statistic - 1.141088661469096) < 1e-9)
        #expect(abs(r.estimate.pValue - 0.31476782625454425) < 1e-9)
        #expect(abs(r.degreesOfFreedom - 4.194174757281553) < 1e-9)
        #expect(abs(r.estimate.ciLow - -3.473416569357452) < 1e-8)
        #expect(abs(r.estimate.ciHigh - 8.473416569357452) < 1e-8)
        let ninety = try #require(WelchTest.test(meanA: 10, sdA: 2, nA: 5, meanB: 12.5, sdB: 4, nB: 4, confidence: 0.9))
        #expect(abs(ninety.estimate.ciLow - -2.109201121728982) < 1e-8)
        #expect(abs(ninety.estimate.ciHigh - 7.109201121728982) < 1e-8)
    }

    @Test func welchEdges() throws {
        #expect(WelchTest.test(meanA: 1, sdA: 1, nA: 1, meanB: 1, sdB: 1, nB: 10) == nil)
        #expect(WelchTest.test(meanA: 1, sdA: 1, nA: 10, meanB: 1, sdB: 1, nB: 1.5) == nil)
        #expect(WelchTest.test(meanA: .nan, sdA: 1, nA: 10, meanB: 1, sdB: 1, nB: 10) == nil)
        let flat = try #require(WelchTest.test(meanA: 3, sdA: 0, nA: 10, meanB: 3, sdB: 0, nB: 10))
        #expect(flat.estimate.statistic == 0)
        #expect(flat.estimate.pValue == 1)
        #expect(flat.degreesOfFreedom == 18)
    }
}
