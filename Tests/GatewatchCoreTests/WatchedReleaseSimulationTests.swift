import Testing
@testable import GatewatchCore

/// The live screen's judgement under continuous watching: on identical arms, the share of releases that ever show
/// a star, a hidden regression or a failed guardrail stays at or below α; the fixed-horizon judgement it replaced,
/// read at the same looks, does not. (`gatewatch-bench aa` runs the full 14-day version.)
@Suite struct WatchedReleaseSimulationTests {
    static func settings(regression: Double = 0) -> WatchedReleaseSimulation.Settings {
        var s = WatchedReleaseSimulation.Settings()
        s.releases = 200
        s.days = 2
        s.lookMinutes = 15
        s.regression = regression
        return s
    }

    @Test func identicalArmsRaiseAtMostAlphaFalseAlarmsWhileWatched() {
        let s = Self.settings()
        let o = WatchedReleaseSimulation.run(s)
        let alpha = SegmentComparator.alpha
        let anyMark = o.everStar
        let ci = WatchedReleaseSimulation.interval(anyMark, of: o.releases)
        print("A/A, \(o.releases) releases × \(o.looks) looks, \(o.tests) tests each: ever a star \(anyMark) [\(ci.low), \(ci.high)],"
              + " hidden \(o.everHidden), guardrail failed \(o.everGuardrailFailed); fixed horizon: star \(o.fixedEverStar),"
              + " hidden \(o.fixedEverHidden), guardrail \(o.fixedEverGuardrailFailed); stars by metric \(o.starsByMetric), first at looks \(o.firstStarLooks)")
        // Not significantly above α (the binomial interval's lower end at or below it).
        #expect(ci.low <= alpha, "always-valid stars in \(anyMark) of \(o.releases)")
        #expect(WatchedReleaseSimulation.interval(o.everHidden, of: o.releases).low <= alpha)
        #expect(WatchedReleaseSimulation.interval(o.everGuardrailFailed, of: o.releases).low <= alpha)
        // The judgement it replaced fails the same check: stars in most releases.
        #expect(WatchedReleaseSimulation.interval(o.fixedEverStar, of: o.releases).low > alpha, "fixed horizon: \(o.fixedEverStar)")
    }

    @Test func aRealRegressionIsFoundAndTimed() throws {
        let o = WatchedReleaseSimulation.run(Self.settings(regression: 0.01))
        print("regression +1pt FPR in one segment: detected in \(o.detected) of \(o.releases), median \(o.medianHoursToDetect ?? .nan) h")
        #expect(o.detected >= o.releases * 8 / 10)
        let median = try #require(o.medianHoursToDetect)
        #expect(median > 0 && median < 48)
    }
}
