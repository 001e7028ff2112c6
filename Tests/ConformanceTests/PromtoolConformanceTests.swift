import Foundation
import Testing
import GatewatchTestSupport
import GatewatchCore

/// Stop-rule semantics checked against Prometheus itself: Gatewatch's `RuleEvaluator` and `promtool test rules`
/// (Prometheus 2.42, which evaluates alerting rules with `for:` exactly as the server does) must agree on the state of
/// every rule at every minute.
///
/// Seeded random walks of `gatewatch_review_queue_depth` cross the thresholds many times and have gaps (1–7 minutes, so
/// both sides of the 5-minute staleness lookback are hit), and evaluation runs 7 minutes past the last sample. For each
/// minute the test asks promtool for `ALERTS{alertname=…,alertstate="pending"|"firing"}` and expects exactly what
/// Gatewatch says (nothing when Gatewatch says the rule is in the other state or ok).
///
/// promtool is `$PROMTOOL`, else the one `.ci/fetch-prometheus` installs at first use; one that cannot be had fails.
@Suite struct PromtoolConformanceTests {
    static let environment = ProcessInfo.processInfo.environment
    /// `$PROMTOOL`, else the one `.ci/fetch-prometheus` installs (fetched at first use).
    static var promtool: String? { PrometheusServer.promtool }
    /// Always: the README's one test command runs every test; a promtool that cannot be had fails the test.
    static var runs: Bool { true }

    /// SplitMix64 (the simulator's generator), so the series are the same on every run.
    struct Random {
        var generator: SeededRandom
        init(state: UInt64) { generator = SeededRandom(seed: state) }
        mutating func next() -> UInt64 { generator.next() }
        /// Uniform in `range`.
        mutating func int(_ range: ClosedRange<Int>) -> Int {
            range.lowerBound + Int(next() % UInt64(range.count))
        }
    }

    /// One gauge series: a value per minute from minute 0, nil where there is no sample.
    struct Series {
        var release: String
        var values: [Int?]
    }

    /// Mean-reverting random walks around 10 with occasional gaps.
    static func series(seed: UInt64, count: Int, minutes: Int) -> [Series] {
        var rng = Random(state: seed)
        return (0..<count).map { index in
            var values: [Int?] = []
            var level = rng.int(4...16)
            var gap = 0
            for minute in 0..<minutes {
                level = max(0, min(20, level + rng.int(-3...3) + (level < 10 ? 1 : level > 12 ? -1 : 0)))
                if gap == 0, minute > 0, rng.int(0...19) == 0 { gap = rng.int(1...7) }
                if gap > 0 { gap -= 1; values.append(nil) } else { values.append(level) }
            }
            values[values.count - 1] = level // the series ends with a sample, so the tail tests staleness
            return Series(release: "r\(index)", values: values)
        }
    }

    /// The rules: every `for` with several comparators and thresholds (integer thresholds hit `>` vs `>=`).
    static let rules: [StopRule] = {
        let conditions: [(GatewatchCore.Comparator, Double)] = [(.greaterThan, 10), (.greaterOrEqual, 12), (.lessThan, 7.5), (.lessOrEqual, 9)]
        var out: [StopRule] = []
        for forSeconds: Int64 in [0, 60, 180, 300] {
            for (comparator, threshold) in conditions {
                out.append(StopRule(name: "Queue\(out.count)", metric: .reviewQueueDepth, comparator: comparator, threshold: threshold,
                                    forSeconds: forSeconds, severity: .block, noData: .ok))
            }
        }
        return out
    }()

    /// Gatewatch's state of `rule` on `series` at every minute in `0..<minutes` (origin at minute 0, interval 60 s).
    static func gatewatchStates(_ rule: StopRule, _ series: Series, minutes: Int) -> [RuleStatus] {
        var set = MetricSeriesSet()
        for (minute, value) in series.values.enumerated() {
            if let value { set.append(SeriesKey(.reviewQueueDepth), time: Int64(minute) * 60, value: Double(value)) }
        }
        let metrics = DerivedMetrics(set)
        // The lookback cap must not cut evaluations off: it is far longer than the series.
        let evaluator = RuleEvaluator(interval: 60, maximumLookback: Int64(minutes + 10) * 60 * 10)
        return (0..<minutes).map { minute in
            evaluator.evaluate(rule, segment: nil, metrics: metrics, origin: 0, asOf: Int64(minute) * 60, queueLimit: nil).status
        }
    }

    static func duration(_ seconds: Int64) -> String { seconds % 60 == 0 ? "\(seconds / 60)m" : "\(seconds)s" }

    /// The rules file: one alerting rule per stop rule.
    static func rulesYAML() -> String {
        var out = "groups:\n  - name: gatewatch\n    interval: 1m\n    rules:\n"
        for rule in rules {
            out += "      - alert: \(rule.name)\n"
            out += "        expr: gatewatch_review_queue_depth \(rule.comparator.rawValue) \(rule.threshold)\n"
            out += "        for: \(duration(rule.forSeconds))\n"
        }
        return out
    }

    /// The test file: the input series and, per rule, minute and state, what Gatewatch says.
    static func testYAML(series: [Series], minutes: Int) -> (text: String, checks: Int) {
        var out = "rule_files:\n  - rules.yml\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n"
        for s in series {
            out += "      - series: 'gatewatch_review_queue_depth{release=\"\(s.release)\"}'\n"
            out += "        values: '" + s.values.map { $0.map(String.init) ?? "_" }.joined(separator: " ") + "'\n"
        }
        out += "    promql_expr_test:\n"
        var checks = 0
        for rule in rules {
            let states = series.map { gatewatchStates(rule, $0, minutes: minutes) }
            for minute in 0..<minutes {
                for state in [RuleStatus.pending, .firing] {
                    out += "      - expr: 'ALERTS{alertname=\"\(rule.name)\",alertstate=\"\(state.rawValue)\"}'\n"
                    out += "        eval_time: \(minute)m\n"
                    let expected = series.indices.filter { states[$0][minute] == state }
                    if expected.isEmpty {
                        out += "        exp_samples: []\n"
                    } else {
                        out += "        exp_samples:\n"
                        for i in expected {
                            out += "          - labels: 'ALERTS{alertname=\"\(rule.name)\",alertstate=\"\(state.rawValue)\",release=\"\(series[i].release)\"}'\n"
                            out += "            value: 1\n"
                        }
                    }
                    checks += 1
                }
            }
        }
        return (out, checks)
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try TestProcesses.run(executable, arguments)
    }

    @Test func theGeneratedSeriesExerciseEveryState() {
        // Guards the generator: with these seeds every rule goes through pending or firing and back to ok somewhere.
        for seed: UInt64 in [1, 2, 3] {
            let series = Self.series(seed: seed, count: 4, minutes: 60)
            for rule in Self.rules {
                let states = series.flatMap { Self.gatewatchStates(rule, $0, minutes: 67) }
                #expect(states.contains(.firing), "\(rule.name) never fires with seed \(seed)")
                #expect(states.contains(.ok), "\(rule.name) is never ok with seed \(seed)")
                if rule.forSeconds > 0 { #expect(states.contains(.pending), "\(rule.name) is never pending with seed \(seed)") }
            }
            #expect(series.contains { $0.values.contains(nil) }, "no gaps with seed \(seed)")
        }
    }

    @Test(.enabled(if: runs, "PROMTOOL is not set (run .ci/fetch-prometheus and export PROMTOOL=<path>)"), arguments: [1, 2, 3] as [UInt64])
    func ruleStatesMatchPromtool(seed: UInt64) throws {
        let promtool = try #require(Self.promtool, "PROMTOOL must point at promtool when CI=true (see .ci/fetch-prometheus)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gatewatch-promtool-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        let minutes = 60
        let series = Self.series(seed: seed, count: 4, minutes: minutes)
        // Evaluate 7 minutes past the last sample: the gauge stays visible for 5 minutes, then goes stale.
        let test = Self.testYAML(series: series, minutes: minutes + 7)
        try Self.rulesYAML().write(to: dir.appendingPathComponent("rules.yml"), atomically: true, encoding: .utf8)
        let testFile = dir.appendingPathComponent("test.yml")
        try test.text.write(to: testFile, atomically: true, encoding: .utf8)
        #expect(test.checks == Self.rules.count * (minutes + 7) * 2)

        let result = try Self.run(promtool, ["test", "rules", testFile.path])
        #expect(result.status == 0, "promtool disagrees with Gatewatch (seed \(seed)):\n\(String(result.output.prefix(20_000)))")
        #expect(result.output.contains("SUCCESS"), "\(result.output)")
    }
}
