import Foundation
import Testing
import GatewatchCore
@testable import GatewatchOpenMetrics
import GatewatchScenario
import GatewatchSQLite
import GatewatchTestSupport

/// `gatewatch rules export --format prometheus` (`PrometheusAlertRules`) against promtool 2.42: every scenario's
/// file passes `promtool check rules`, and on a scenario's own series `promtool test rules` fires the exported rules
/// at exactly the minutes Gatewatch's rules are pending and firing.
@Suite struct AlertRulesExportTests {
    static func promtool() throws -> String {
        try #require(PrometheusServer.promtool, "no promtool (.ci/fetch-prometheus installs it at first use)")
    }

    static func run(_ arguments: [String], files: [String: String]) throws -> (status: Int32, output: String) {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return try TestProcesses.run(try promtool(), arguments.map { files[$0] != nil ? dir.appendingPathComponent($0).path : $0 })
    }

    @Test func everyScenariosRulesPassPromtoolCheckRules() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: TestSupport.sampleDataRoot).sorted()
        var files: [String: String] = [:]
        var skipped: [String] = []
        for name in names {
            for member in try ScenarioLoader.loadAll(name, root: TestSupport.sampleDataRoot) {
                let export = PrometheusAlertRules.export(member.release)
                files["\(member.release.slug.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || $0 == "-") }.map(String.init).joined())-\(files.count).yml"] = export.yaml
                skipped += export.skipped.map { "\(member.release.slug): \($0.rule)" }
            }
        }
        #expect(files.count >= names.count, "one file per release")
        // The hostile-names scenario's quotes, backslashes and line breaks included.
        let result = try Self.run(["check", "rules"] + files.keys.sorted(), files: files)
        #expect(result.status == 0, "promtool check rules refused an export:\n\(result.output.prefix(4000))")
        #expect(result.output.components(separatedBy: "SUCCESS").count - 1 == files.count, "\(result.output.prefix(2000))")
    }

    /// The segment-regression scenario for two hours: its series as promtool input (minute 0 is the release start),
    /// its exported rules, and at every minute the ALERTS Gatewatch's own evaluation implies.
    @Test func theExportedRulesFireAtTheMinutesGatewatchsRulesDoOnAScenariosSeries() throws {
        let scenario = try ScenarioLoader.load("eu-segment-regression", root: TestSupport.sampleDataRoot)
        let store = try SQLiteStore()
        let driver = try DemoDriver(scenario: scenario, store: store)
        let start = scenario.simulation.start
        let minutes = 120
        try driver.advance(to: start + Int64(minutes) * 60)
        let release = scenario.release
        let samples = try store.samples(release: release.slug, after: nil, through: driver.clock)
        let metrics = DerivedMetrics(MetricSeriesSet(samples))

        var test = "rule_files:\n  - rules.yml\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n"
        for (key, list) in samples.sorted(by: { $0.key < $1.key }) where key.family != .scoreBucket {
            var values = [String](repeating: "_", count: minutes + 1)
            for s in list where s.time >= start && (s.time - start) % 60 == 0 && s.time <= start + Int64(minutes) * 60 {
                values[Int((s.time - start) / 60)] = OpenMetricsWriter.value(s.value)
            }
            let name = OpenMetricsWriter.labelSet(release: release.slug, key: key)
            test += "      - series: '\(key.family.rawValue)\(name)'\n        values: '\(values.joined(separator: " "))'\n"
        }
        let evaluator = RuleEvaluator(interval: 60, maximumLookback: 86_400)
        var expressions = "    promql_expr_test:\n", alerts = "    alert_rule_test:\n"
        var fired = 0, pending = 0
        for rule in release.rules where PrometheusAlertRules.unsupportedReason(rule.metric) == nil {
            let scopes: [String?] = rule.scope == .eachSegment ? release.segments.map { Optional($0.key) } : [nil]
            var states = [[RuleStatus]](repeating: [], count: scopes.count)
            for (i, segment) in scopes.enumerated() {
                var previous: RuleEvaluation?
                for minute in 0...minutes {
                    let e = evaluator.evaluate(rule, segment: segment, metrics: metrics, origin: start, asOf: start + Int64(minute) * 60,
                                               queueLimit: release.reviewQueueLimit, resumingFrom: previous)
                    states[i].append(e.status)
                    previous = e
                }
            }
            func labels(_ i: Int) -> [(String, String)] {
                [("release", release.slug), ("severity", rule.severity.rawValue), ("gatewatch_rule", rule.name)]
                    + (scopes[i].map { [("segment", $0)] } ?? [])
            }
            // ALERTS at every minute, pending and firing: exactly the scopes Gatewatch says are in that state.
            for minute in 0...minutes {
                for state in [RuleStatus.pending, .firing] {
                    let matching = scopes.indices.filter { states[$0][minute] == state }
                    if state == .firing { fired += matching.count } else { pending += matching.count }
                    expressions += "      - expr: 'ALERTS{alertname=\"\(rule.name)\",alertstate=\"\(state.rawValue)\"}'\n"
                    expressions += "        eval_time: \(minute)m\n"
                    expressions += matching.isEmpty ? "        exp_samples: []\n" : "        exp_samples:\n"
                    for i in matching {
                        let text = ([("alertname", rule.name), ("alertstate", state.rawValue)] + labels(i)).map { "\($0.0)=\"\($0.1)\"" }.joined(separator: ",")
                        expressions += "          - labels: 'ALERTS{\(text)}'\n            value: 1\n"
                    }
                }
            }
            // At the end, the firing alerts with their labels and annotations.
            alerts += "      - eval_time: \(minutes)m\n        alertname: '\(rule.name)'\n"
            let firing = scopes.indices.filter { states[$0][minutes] == .firing }
            alerts += firing.isEmpty ? "        exp_alerts: []\n" : "        exp_alerts:\n"
            for i in firing {
                alerts += "          - exp_labels:\n" + labels(i).map { "              \($0.0): '\($0.1)'\n" }.joined()
                alerts += "            exp_annotations:\n"
                alerts += "              summary: '\((rule.summary ?? rule.expressionText).replacingOccurrences(of: "'", with: "''"))'\n"
                alerts += "              description: '\("Gatewatch stop rule \(rule.name) of \(release.slug): \(rule.expressionText)".replacingOccurrences(of: "'", with: "''"))'\n"
            }
        }
        test += alerts + expressions
        #expect(fired > 0, "some rule fires in the scenario's two hours")
        let result = try Self.run(["test", "rules", "test.yml"], files: ["rules.yml": PrometheusAlertRules.export(release).yaml, "test.yml": test])
        #expect(result.status == 0, "promtool disagrees with Gatewatch:\n\(result.output.prefix(8000))")
        #expect(result.output.contains("SUCCESS"), "\(result.output.prefix(2000))")
        #expect(pending > 0, "some rule is pending on the way")
    }
}
