import GatewatchCore

/// A 20% A/B stage entered at the release start, with error_rate (and, when asked, precision) as primary metrics:
/// per minute the champion makes 100 decisions and 2 errors, the challenger 25 and 0.5, for three hours (or `minutes`).
enum PlannedABFixture {
    static func analysis(at time: Timestamp, effects: [QualityMetric: Double] = [.errorRate: 0.005], minutes: Int = 180) -> ReleaseAnalysis {
        var data = MetricSeriesSet()
        for arm in Arm.allCases {
            let perMinute = arm == .champion ? 100.0 : 25.0
            let times = (0...minutes).map { Timestamp($0 * 60) }
            data.append(times.map { Sample(time: $0, value: perMinute * Double($0 / 60)) }, to: SeriesKey(.decisions, arm: arm, segment: "s", extra: "allow"))
            data.append(times.map { Sample(time: $0, value: 0.02 * perMinute * Double($0 / 60)) }, to: SeriesKey(.errors, arm: arm, segment: "s"))
        }
        var release = Release(slug: "fraud-ab", title: "fraud A/B", model: "m", championVersion: "1", challengerVersion: "2", owner: "ana",
                              changes: [], stages: [Stage(name: "ab-20", kind: .ab, trafficPercent: 20, bakeSeconds: 600),
                                                    Stage(name: "full", kind: .full, trafficPercent: 100, bakeSeconds: 0)],
                              rules: [], segments: [Segment("s")], gates: GatePolicy(minimumLabelMaturity: 0))
        release.minimumDetectableEffects = effects
        return ReleaseAnalyzer().analyze(release: release, state: RolloutState(stageIndex: 0, stageEnteredAt: 0, startedAt: 0, status: .running),
                                         metrics: data, asOf: time)
    }
}
