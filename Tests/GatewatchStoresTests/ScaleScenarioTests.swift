import Foundation
import Testing
import GatewatchCore
@testable import GatewatchSQLite
@testable import GatewatchScenario

/// The generated scale scenario: deterministic, complete, counters that only grow, and a sound fleet.
@Suite struct ScaleScenarioTests {
    static let end: Timestamp = 1_764_000_000  // not a whole minute: the generator rounds down

    @Test func theSameParametersWriteTheSameSamples() throws {
        let scenario = ScaleScenario(segments: 12, releases: 3, history: 45 * 60, end: Self.end)
        let a = try SQLiteStore(), b = try SQLiteStore()
        try scenario.write(into: a)
        try scenario.write(into: b)
        #expect(try a.releaseSlugs() == ["scale-01", "scale-02", "scale-03"])
        var total = 0
        for slug in try a.releaseSlugs() {
            let samples = try a.samples(release: slug, after: nil, through: .max)
            #expect(samples == (try b.samples(release: slug, after: nil, through: .max)))
            #expect(samples.count == 12 * ScaleScenario.seriesPerSegment + 1)
            total += samples.values.reduce(0) { $0 + $1.count }
            for (key, list) in samples {
                #expect(list.count == 45 && list.last?.time == Self.end - Self.end % 60, "\(key)")
                if key.family != .reviewQueueDepth {
                    #expect(zip(list, list.dropFirst()).allSatisfy { $0.value <= $1.value }, "\(key) must only grow")
                }
            }
        }
        #expect(total == scenario.sampleCount)
        #expect(Set(scenario.segmentKeys()).count == 12)
    }

    @Test func segmentNamesStayUniqueBeyondTheMarketList() {
        let keys = ScaleScenario(segments: 2_000, releases: 1, history: 3600, end: Self.end).segmentKeys()
        #expect(Set(keys).count == 2_000)
        #expect(keys[0] == "market=AR,surface=app,risk=low" && keys[1_999].hasPrefix("market=M199,"))
    }

    @Test func tooMuchIsRefusedWithTheArithmetic() throws {
        let huge = ScaleScenario(segments: 500, releases: 20, history: 14 * 86_400, end: Self.end)
        let problem = try #require(huge.problem)
        #expect(problem.contains("480020 series × 20160 samples = 9677203200 samples"), "\(problem)")
        #expect(ScaleScenario(segments: 500, releases: 20, history: 3600, end: Self.end).problem == nil)
        #expect(ScaleScenario(segments: 0, releases: 1, history: 3600, end: Self.end).problem != nil)
    }

    /// The fleet is healthy apart from what it is built to show: no rule fires in a release at canary-5, and the
    /// challenger's traffic share matches its stage.
    @Test func aGeneratedReleaseAnalysesAsHealthy() throws {
        let scenario = ScaleScenario(segments: 10, releases: 2, history: 2 * 3600, end: Self.end)
        let store = try SQLiteStore()
        try scenario.write(into: store)
        let (release, state) = scenario.release(1)
        let data = MetricSeriesSet(try store.samples(release: release.slug, after: nil, through: .max))
        let analysis = ReleaseAnalyzer().analyze(release: release, state: state, metrics: data, asOf: scenario.end)
        #expect(analysis.rules.allSatisfy { $0.status != .firing }, "\(analysis.rules.filter { $0.status == .firing }.map(\.rule.name))")
        let share = try #require(analysis.observedChallengerShare)
        #expect(abs(share - 0.05) < 0.002, "challenger share \(share) at canary-5")
        #expect(analysis.segments.count == 10)
    }
}
