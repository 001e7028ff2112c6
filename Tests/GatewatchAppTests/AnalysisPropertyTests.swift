import Testing
import GatewatchApp
import GatewatchCore
import GatewatchSQLite
import GatewatchScenario

/// Verdicts do not depend on what segments are called or in which order they are listed.
@Suite struct AnalysisPropertyTests {
    static func data(after seconds: Int64) throws -> (Scenario, RolloutState, MetricSeriesSet, [AuditEvent], Timestamp) {
        let scenario = try SnapshotSupport.scenario()
        let store = try SQLiteStore()
        let driver = try DemoDriver(scenario: scenario, store: store)
        try driver.advance(to: scenario.simulation.start + seconds)
        let state = try #require(try store.state(scenario.release.slug))
        return (scenario, state, driver.metrics.truncated(to: driver.clock), try store.auditEvents(release: scenario.release.slug), driver.clock)
    }

    static func relabel(_ data: MetricSeriesSet, _ names: [String: String]) -> MetricSeriesSet {
        var out = MetricSeriesSet()
        for (key, samples) in data.series {
            var k = key
            k.segment = key.segment.map { names[$0]! }
            out.append(samples, to: k)
        }
        return out
    }

    @Test(arguments: [2 * 3600, 5 * 3600] as [Int64])
    func relabellingAndReorderingSegmentsChangesNoVerdict(after seconds: Int64) throws {
        let (scenario, state, data, events, asOf) = try Self.data(after: seconds)
        let analyzer = ReleaseAnalyzer()
        let original = analyzer.analyze(release: scenario.release, state: state, metrics: data, asOf: asOf, approvals: events)

        let keys = scenario.release.segments.map(\.key)
        var names: [String: String] = [:]
        for (i, key) in keys.enumerated() { names[key] = "zone=\(String(UnicodeScalar(UInt8(90 - i))))" } // reverse alphabetical
        var renamed = scenario.release
        renamed.segments = keys.reversed().map { Segment(names[$0]!) }
        let other = analyzer.analyze(release: renamed, state: state, metrics: Self.relabel(data, names), asOf: asOf, approvals: events)

        #expect(original.gates.map(\.outcome) == other.gates.map(\.outcome))
        #expect(CheckVerdict(original) == CheckVerdict(other))
        func ruleStates(_ a: ReleaseAnalysis, _ map: (String) -> String) -> [String: RuleStatus] {
            Dictionary(uniqueKeysWithValues: a.rules.map { ("\($0.rule.name)|\($0.segment.map(map) ?? "-")", $0.status) })
        }
        #expect(ruleStates(original) { names[$0]! } == ruleStates(other) { $0 })
        for row in original.segments {
            let twin = try #require(other.segments.first { $0.segment == names[row.segment!] })
            for (metric, c) in row.metrics {
                let d = try #require(twin.metrics[metric])
                #expect(abs(c.estimate.pValue - d.estimate.pValue) < 1e-12)
                #expect(abs((c.qValue ?? -1) - (d.qValue ?? -1)) < 1e-12, "\(metric) q-value depends on order")
                #expect(c.hiddenRegression == d.hiddenRegression)
            }
        }
    }
}
