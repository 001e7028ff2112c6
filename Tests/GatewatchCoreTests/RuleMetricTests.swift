import Foundation
import Testing
@testable import GatewatchCore

/// The stop-rule metrics beyond quality and latency — action mix, traffic, mean score, score drift — and rules
/// relative to the champion as a ratio. Drift values are Evidently's and scipy's (the references of `DriftTests`);
/// the counter-based ones are also checked against promtool in `CounterConformanceTests`.
@Suite struct RuleMetricTests {
    static let bounds = ["0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "+Inf"]

    /// Both arms' score buckets (per-bucket counts, made cumulative) and decisions by action, counted evenly over
    /// minutes 0…20; one segment.
    static func metrics(champion: [Double], challenger: [Double], actions: [Arm: [DecisionAction: Double]] = [:],
                        errors: [Arm: Double] = [:]) -> DerivedMetrics {
        var set = MetricSeriesSet()
        for (arm, counts) in [(Arm.champion, champion), (.challenger, challenger)] {
            var cumulative = 0.0
            for (bound, count) in zip(bounds, counts) {
                cumulative += count
                let total = cumulative
                set.append((0...20).map { Sample(time: Int64($0) * 60, value: total * Double($0) / 20) },
                           to: SeriesKey(.scoreBucket, arm: arm, segment: "market=BR", extra: bound))
            }
            for (action, perMinute) in actions[arm] ?? [:] {
                set.append((0...20).map { Sample(time: Int64($0) * 60, value: perMinute * Double($0)) },
                           to: SeriesKey(.decisions, arm: arm, segment: "market=BR", extra: action.rawValue))
            }
            if let perMinute = errors[arm] {
                set.append((0...20).map { Sample(time: Int64($0) * 60, value: perMinute * Double($0)) },
                           to: SeriesKey(.errors, arm: arm, segment: "market=BR"))
            }
        }
        return DerivedMetrics(set)
    }

    static func rule(_ metric: RuleMetric, arm: Arm = .challenger, relative: Bool = false, relation: ChampionRelation = .difference,
                     window: Int64 = 600) -> StopRule {
        StopRule(name: "r", metric: metric, arm: arm, relativeToChampion: relative, relation: relation, comparator: .greaterThan,
                 threshold: 0.1, windowSeconds: window)
    }

    @Test func driftRulesReadTheArmsScoreHistogramsAsEvidentlyAndScipy() throws {
        // The counts of DriftTests: PSI 0.0276905 (Evidently), KS D 0.059, Jensen–Shannon 0.0586155 (scipy).
        let m = Self.metrics(champion: DriftTests.refCounts, challenger: DriftTests.curCounts)
        let psi = try #require(m.value(of: Self.rule(.scorePSI), segment: nil, at: 1200, queueLimit: nil))
        let ks = try #require(m.value(of: Self.rule(.scoreKS), segment: "market=BR", at: 1200, queueLimit: nil))
        let js = try #require(m.value(of: Self.rule(.scoreJS), segment: nil, at: 1200, queueLimit: nil))
        #expect(abs(psi - 0.0276905) < 1e-6, "\(psi)")
        #expect(abs(ks - 0.059) < 1e-3, "\(ks)")
        #expect(abs(js - 0.0586155) < 1e-6, "\(js)")
        // The arm named by the rule does not matter: drift compares the two.
        #expect(m.value(of: Self.rule(.scorePSI, arm: .champion), segment: nil, at: 1200, queueLimit: nil) == psi)
        // Nothing to compare (no challenger scores yet, or everything in one bucket): no value, as the panel shows none.
        let empty = Self.metrics(champion: DriftTests.refCounts, challenger: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(empty.value(of: Self.rule(.scorePSI), segment: nil, at: 1200, queueLimit: nil) == nil)
        let oneBucket = Self.metrics(champion: [0, 0, 0, 0, 50, 0, 0, 0, 0, 0], challenger: [0, 0, 0, 0, 70, 0, 0, 0, 0, 0])
        #expect(oneBucket.value(of: Self.rule(.scoreJS), segment: nil, at: 1200, queueLimit: nil) == nil)
    }

    @Test func meanScoreIsTheBucketMidpointMean() throws {
        let counts: [Double] = [10, 0, 30, 0, 0, 20, 0, 0, 0, 40]
        let m = Self.metrics(champion: counts, challenger: counts)
        // Midpoints 0.05, 0.25, 0.55 and 0.95 (the last bucket ends at 1).
        let expected = (10 * 0.05 + 30 * 0.25 + 20 * 0.55 + 40 * 0.95) / 100
        let mean = try #require(m.value(of: Self.rule(.meanScore), segment: nil, at: 1200, queueLimit: nil))
        #expect(abs(mean - expected) < 1e-12, "\(mean) vs \(expected)")
    }

    @Test func actionMixAndTrafficAreSharesAndRatesOfTheDecisions() throws {
        let actions: [Arm: [DecisionAction: Double]] = [.challenger: [.allow: 90, .review: 6, .block: 4], .champion: [.allow: 95, .review: 5]]
        let m = Self.metrics(champion: DriftTests.refCounts, challenger: DriftTests.curCounts, actions: actions)
        let value = { (rule: StopRule) in m.value(of: rule, segment: nil, at: 1200, queueLimit: nil) }
        #expect(try abs(#require(value(Self.rule(.blockRate))) - 0.04) < 1e-12)
        #expect(try abs(#require(value(Self.rule(.reviewRate))) - 0.06) < 1e-12)
        #expect(try abs(#require(value(Self.rule(.decisionsPerMinute))) - 100) < 1e-9)
        // The champion never blocks: its block rate is 0, not "no data" (its decisions are there).
        #expect(value(Self.rule(.blockRate, arm: .champion)) == 0)
        #expect(try abs(#require(value(Self.rule(.reviewRate, relative: true))) - 0.01) < 1e-12)
        // A window with no decisions at all: no value.
        #expect(m.value(of: Self.rule(.blockRate), segment: nil, at: 2400, queueLimit: nil) == nil)
        #expect(m.value(of: Self.rule(.decisionsPerMinute), segment: nil, at: 2400, queueLimit: nil) == nil)
    }

    @Test func aRatioToTheChampionDividesAndNeverHidesAZeroChampion() throws {
        let actions: [Arm: [DecisionAction: Double]] = [.challenger: [.allow: 100], .champion: [.allow: 100]]
        let ratio = Self.rule(.errorRate, relative: true, relation: .ratio)
        let twice = Self.metrics(champion: [], challenger: [], actions: actions, errors: [.champion: 1, .challenger: 2])
        #expect(try abs(#require(twice.value(of: ratio, segment: nil, at: 1200, queueLimit: nil)) - 2) < 1e-12)
        #expect(try abs(#require(twice.value(of: Self.rule(.errorRate, relative: true), segment: nil, at: 1200, queueLimit: nil)) - 0.01) < 1e-12)
        // A champion without errors: the ratio is +∞ (a `>` rule fires), not a quiet "no data".
        let fromZero = Self.metrics(champion: [], challenger: [], actions: actions, errors: [.champion: 0, .challenger: 2])
        #expect(fromZero.value(of: ratio, segment: nil, at: 1200, queueLimit: nil) == .infinity)
        // Neither has errors: 0 ÷ 0 is no value, and the rule's no_data decides.
        let none = Self.metrics(champion: [], challenger: [], actions: actions, errors: [.champion: 0, .challenger: 0])
        #expect(none.value(of: ratio, segment: nil, at: 1200, queueLimit: nil) == nil)
    }

    @Test func ratioRulesDecodeEncodeAndReadAsRatios() throws {
        let json = #"{"name":"p99","metric":"latency_p99","relative_to_champion":"ratio","op":">","threshold":2,"window":"10m","for":"10m"}"#
        let rule = try JSONDecoder().decode(StopRule.self, from: Data(json.utf8))
        #expect(rule.relativeToChampion && rule.relation == .ratio && rule.threshold == 2)
        #expect(rule.expressionText == "latency_p99{challenger/champion}[10m] > 2 for 10m")
        #expect(RuleValueText.threshold(rule) == "> ×2.00")
        #expect(RuleValueText.value(2.134, rule: rule) == "×2.13")
        let again = try JSONDecoder().decode(StopRule.self, from: JSONEncoder().encode(rule))
        #expect(again == rule)
        #expect(String(decoding: try JSONEncoder().encode(rule), as: UTF8.self).contains(#""relative_to_champion":"ratio""#))
        // `true` is still a difference, and is written as it always was.
        let old = try JSONDecoder().decode(StopRule.self, from: Data(json.replacingOccurrences(of: #""ratio""#, with: "true").utf8))
        #expect(old.relativeToChampion && old.relation == .difference)
        #expect(String(decoding: try JSONEncoder().encode(old), as: UTF8.self).contains(#""relative_to_champion":true"#))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(StopRule.self, from: Data(json.replacingOccurrences(of: #""ratio""#, with: #""quotient""#).utf8))
        }
        #expect(Self.rule(.scorePSI, window: 3600).expressionText == "score_psi[1h] > 0.1")
    }

    @Test func specProblemsOfTheNewRules() {
        func problems(_ rule: StopRule) -> [String] { rule.problems(releaseHasSegments: true).map(\.message) }
        var drift = Self.rule(.scoreKS, relative: true)
        #expect(problems(drift) == ["score_ks already compares the challenger's scores with the champion's"])
        drift.relativeToChampion = false
        drift.threshold = 1.5
        #expect(problems(drift) == ["threshold 1.5 is out of range for score_ks (0–1)"])
        var ratio = Self.rule(.latencyP99, relative: true, relation: .ratio)
        ratio.threshold = -1
        #expect(problems(ratio) == ["threshold -1 is out of range for a challenger ÷ champion ratio of latency_p99 (0 or more)"])
        ratio.threshold = 2
        #expect(problems(ratio).isEmpty)
        var segmentDrift = Self.rule(.scorePSI)
        segmentDrift.scope = .eachSegment
        #expect(problems(segmentDrift).isEmpty, "drift exists per segment")
        #expect(FreshnessStream.read(by: segmentDrift) == [FreshnessStream(.scoreBucket, arm: .champion), FreshnessStream(.scoreBucket, arm: .challenger)])
        #expect(FreshnessStream.read(by: Self.rule(.blockRate)) == [FreshnessStream(.decisions, arm: .challenger)])
    }
}
