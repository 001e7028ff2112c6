import Foundation
import Testing
import GatewatchApp
import GatewatchCore
import GatewatchSQLite
import GatewatchScenario

/// `gatewatch check` verdicts, exit statuses and the JSON contract, on the sample scenario and variants of it.
@Suite struct CheckTests {
    static func analyze(_ scenario: Scenario, after seconds: Int64) throws -> ReleaseAnalysis {
        let source = try DemoSource(scenario: scenario, store: try SQLiteStore(), description: "test", speed: 0)
        return try source.poll(simulatedTime: scenario.simulation.start + seconds)
    }

    @Test func healthyCanaryInBakeIsBlockedWithTheBakeReason() throws {
        let a = try Self.analyze(SnapshotSupport.scenario(), after: 2 * 3600)
        #expect(CheckVerdict(a) == .blocked)
        #expect(CheckVerdict(a).exitStatus == 10)
        let bake = try #require(a.gates.first { $0.gate == .bakeTime })
        #expect(!bake.passed)
        #expect(bake.reason.hasPrefix("bake "))
        #expect(CheckText.render(a).contains("verdict: BLOCKED: bake_time failed"))
    }

    @Test func completedReleaseIsClear() throws {
        var scenario = try SnapshotSupport.scenario()
        for i in scenario.release.stages.indices { scenario.release.stages[i].requiresApproval = false }
        let a = try Self.analyze(scenario, after: 8 * 3600)
        #expect(a.state.status == .complete, "stage \(a.stage.name), gates \(a.gates)")
        #expect(CheckVerdict(a) == .clear)
        #expect(CheckVerdict(a).exitStatus == 0)
    }

    @Test func firingRollbackRuleExits20() throws {
        var scenario = try SnapshotSupport.scenario()
        scenario.simulation.challenger.latencyMedianMs = 250
        scenario.simulation.challenger.latencyP99Ms = 1500
        scenario.simulation.autoRollback = false
        let a = try Self.analyze(scenario, after: 40 * 60)
        #expect(CheckVerdict(a) == .rollback)
        #expect(CheckVerdict(a).exitStatus == 20)
        let report = try JSONSerialization.jsonObject(with: Data(CheckReport(a).json().utf8)) as! [String: Any]
        #expect(report["exit_status"] as? Int == 20)
        let rules = report["rules"] as! [[String: Any]]
        let latency = try #require(rules.first { $0["name"] as? String == "challenger-p99-latency" })
        #expect(latency["state"] as? String == "firing")
        #expect((latency["value"] as? Double ?? 0) > 0.3)
        #expect(latency["threshold"] as? Double == 0.3)
        #expect(latency["since"] is String)
    }

    @Test func jsonHasTheDocumentedShape() throws {
        let a = try Self.analyze(SnapshotSupport.scenario(), after: 5 * 3600)
        let report = try JSONSerialization.jsonObject(with: Data(CheckReport(a).json().utf8)) as! [String: Any]
        for key in ["release", "as_of", "stage", "rules", "gates", "segments", "overall", "srm", "queue"] {
            #expect(report.keys.contains(key), "missing \(key)")
        }
        #expect(report["release"] as? String == "fraud-scoring-v8")
        #expect(report["as_of"] as? String == "2026-11-02T14:00:00Z")
        for rule in report["rules"] as! [[String: Any]] {
            for key in ["name", "severity", "scope", "segment", "state", "since", "value", "threshold"] {
                #expect(rule.keys.contains(key), "rule lacks \(key): \(rule)")
            }
        }
        for gate in report["gates"] as! [[String: Any]] {
            #expect(gate["name"] is String && gate["passed"] is Bool && gate["reason"] is String)
            #expect(gate["check"] is String, "gate lacks what it checks: \(gate)")
            #expect(gate.keys.contains("observed") && gate.keys.contains("threshold"))
        }
        let bake = try #require((report["gates"] as! [[String: Any]]).first { $0["name"] as? String == "bake_time" })
        #expect((bake["observed"] as? Double ?? -1) < (bake["threshold"] as? Double ?? -1), "bake still running: \(bake)")
        let segments = report["segments"] as! [[String: Any]]
        #expect(segments.count == 6)
        for segment in segments {
            let metrics = segment["metrics"] as! [String: [String: Any]]
            let precision = try #require(metrics["precision"])
            for key in ["champion", "challenger", "delta", "ci_low", "ci_high", "p_value", "q_value", "always_valid_p"] {
                #expect(precision.keys.contains(key), "precision lacks \(key)")
            }
            let q = try #require(precision["q_value"] as? Double), p = try #require(precision["p_value"] as? Double)
            #expect(q >= p - 1e-12)
            // The always-valid result the screen marks with: every key, its interval around the delta, and the
            // corrected p-value m times the raw one (m = (6 segments + 1) × 7 metrics).
            let av = try #require(precision["always_valid"] as? [String: Any], "precision lacks always_valid")
            for key in ["p", "p_adjusted", "ci_low", "ci_high", "tau", "tau_source", "tests", "looks"] {
                #expect(av.keys.contains(key), "always_valid lacks \(key)")
            }
            let delta = try #require(precision["delta"] as? Double)
            let low = try #require(av["ci_low"] as? Double), high = try #require(av["ci_high"] as? Double)
            #expect(low <= delta && delta <= high)
            #expect(av["tests"] as? Int == 49 && av["tau_source"] as? String == "guardrail" && av["tau"] as? Double == 0.08)
            let raw = try #require(av["p"] as? Double), adjusted = try #require(av["p_adjusted"] as? Double)
            #expect(abs(adjusted - min(1, raw * 49)) < 1e-12)
            #expect((av["looks"] as? Int ?? 0) > 1)
            #expect(precision["always_valid_p"] as? Double == raw)
            let drift = segment["drift"] as! [String: Any]
            for key in ["psi", "ks_d", "ks_p", "js"] { #expect(drift[key] is Double, "drift lacks \(key)") }
        }
        let srm = report["srm"] as! [String: Any]
        #expect(srm["chi2"] is Double && srm["p_value"] is Double)
        let queue = report["queue"] as! [String: Any]
        for key in ["depth", "growth_per_hour", "capacity_per_hour", "hours_to_overflow", "draining", "growth_span_seconds"] { #expect(queue.keys.contains(key)) }
    }

    /// The JSON contract holds in every case: every documented key is present, `null` when it does not exist —
    /// before any data (no overall, no drift), in shadow (no `srm`), for a segment whose challenger has no decisions
    /// yet and for metrics whose denominator is 0 (no labels yet). Before: `srm` was left out in shadow, such a
    /// segment had `metrics: {}` and no `drift`, and zero-denominator metrics were missing.
    @Test(arguments: ["fraud-canary-healthy", "eu-segment-regression", "latency-regression", "review-queue-overflow",
                      "threshold-only-update", "srm-broken-assignment", "ads-brand-safety", "hostile-names"])
    func theJSONHasEveryKeyInEveryCase(name: String) throws {
        let scenario = try SnapshotSupport.scenario(name)
        let top = ["release", "as_of", "freshness", "stage", "stage_entered_at", "started_at", "status", "verdict", "exit_status",
                   "rules", "gates", "segments", "overall", "srm", "queue", "calibration_error", "planned_samples", "guardrail_waits"]
        let waitKeys: Set<String> = ["segment", "metric", "limit", "decided", "seconds_left", "rule_out_seconds", "unknown_reason"]
        let gateKeys: Set<String> = ["name", "passed", "outcome", "reason", "check", "observed", "threshold", "eta_seconds"]
        let metricKeys = ["champion", "challenger", "delta", "ci_low", "ci_high", "p_value", "q_value", "always_valid_p", "always_valid",
                          "champion_n", "challenger_n", "hidden_regression"]
        var nulls: Set<String> = []
        let times: [Int64] = [0, 60, 1200, 7200]
        for after in times {
            let a = try Self.analyze(scenario, after: after)
            let report = try #require(try JSONSerialization.jsonObject(with: Data(try CheckReport(a).json().utf8)) as? [String: Any])
            #expect(Set(report.keys) == Set(top), "\(name) at \(after)s: \(Set(report.keys).symmetricDifference(top))")
            for key in top where report[key] is NSNull { nulls.insert(key) }
            for gate in report["gates"] as? [[String: Any]] ?? [] {
                #expect(Set(gate.keys) == gateKeys, "\(name) at \(after)s: \(Set(gate.keys).symmetricDifference(gateKeys))")
            }
            for wait in report["guardrail_waits"] as? [[String: Any]] ?? [] {
                #expect(Set(wait.keys) == waitKeys, "\(name) at \(after)s: \(Set(wait.keys).symmetricDifference(waitKeys))")
                if wait["seconds_left"] is NSNull { nulls.insert("wait") }
            }
            // No scenario here plans an A/B decision: the list is there, and empty.
            #expect((report["planned_samples"] as? [Any])?.isEmpty == true)
            if let queue = report["queue"] as? [String: Any] {
                #expect(Set(queue.keys) == ["depth", "growth_per_hour", "capacity_per_hour", "hours_to_overflow", "draining", "growth_span_seconds"])
                // No fit, no verdict: `draining` is null exactly when the growth is.
                #expect((queue["draining"] is NSNull) == (queue["growth_per_hour"] is NSNull), "\(name) at \(after)s: \(queue)")
                if queue["draining"] is NSNull { nulls.insert("draining") }
            }
            let rows = (report["segments"] as? [[String: Any]] ?? []) + ((report["overall"] as? [String: Any]).map { [$0] } ?? [])
            #expect(rows.count >= (report["segments"] as? [Any])?.count ?? 0)
            for row in rows {
                #expect(Set(row.keys) == ["segment", "metrics", "drift"], "\(name) at \(after)s: \(Array(row.keys))")
                let metrics = try #require(row["metrics"] as? [String: [String: Any]])
                #expect(Set(metrics.keys) == Set(QualityMetric.allCases.map(\.rawValue)), "\(name) at \(after)s: \(Array(metrics.keys))")
                for (metric, entry) in metrics {
                    #expect(Set(entry.keys) == Set(metricKeys), "\(name) at \(after)s, \(metric): \(Set(entry.keys).symmetricDifference(metricKeys))")
                    if entry["delta"] is NSNull { nulls.insert("metric") }
                }
                if row["drift"] is NSNull { nulls.insert("drift") }
            }
        }
        // The cases the contract is about did occur: a report before any data has no overall and no srm.
        #expect(nulls.contains("srm") && nulls.contains("metric"), "\(name): nulls seen \(nulls.sorted())")
        // In the first minute the queue has no hour of depth yet: no growth and no `draining` (it used to say true).
        #expect(nulls.contains("draining") || nulls.contains("queue"), "\(name): nulls seen \(nulls.sorted())")
    }

    /// An A/B stage with a primary metric: `planned_samples` has every key, and the gate that waits on it its ETA.
    @Test func anABStagesPlannedDecisionIsInTheJSON() throws {
        let a = PlannedABFixture.analysis(at: 7200, effects: [.errorRate: 0.005, .precision: 0.02])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(try CheckReport(a).json().utf8)) as? [String: Any])
        let plans = try #require(report["planned_samples"] as? [[String: Any]])
        #expect(plans.map { $0["metric"] as? String } == ["precision", "error_rate"])
        let keys: Set<String> = ["metric", "minimum_detectable_effect", "power", "alpha", "baseline", "needed_champion", "needed_challenger",
                                 "champion_n", "challenger_n", "champion_per_hour", "challenger_per_hour", "seconds_left", "reached", "eta",
                                 "unknown_reason", "horizon"]
        for plan in plans { #expect(Set(plan.keys) == keys, "\(Set(plan.keys).symmetricDifference(keys))") }
        #expect(plans.allSatisfy { $0["horizon"] is NSNull })
        let errors = plans[1], precision = plans[0]
        #expect(errors["seconds_left"] as? Int == 12_955 && errors["eta"] as? String == "decision in ~3h35m" && errors["reached"] as? Bool == false)
        #expect(errors["unknown_reason"] is NSNull && errors["power"] as? Double == 0.8 && errors["alpha"] as? Double == 0.05)
        // Precision has no labels to plan from: nulls and the reason, and so the gate has no ETA.
        #expect(precision["needed_champion"] is NSNull && precision["seconds_left"] is NSNull && precision["baseline"] is NSNull)
        #expect(precision["unknown_reason"] as? String == "the champion has no precision data to plan from yet")
        let gates = try #require(report["gates"] as? [[String: Any]])
        let planned = try #require(gates.first { $0["name"] as? String == "planned_samples" })
        #expect(planned["passed"] as? Bool == false && planned["eta_seconds"] is NSNull)
        #expect(CheckText.render(a).contains("  error_rate (effect 0.005): 12.0k/33.5k champion, 3.0k/8.3k challenger — decision in ~3h35m"), "\(CheckText.render(a))")

        // Past the planned samples: the test at the horizon, every key present.
        let decided = PlannedABFixture.analysis(at: 6 * 3600, effects: [.errorRate: 0.005], minutes: 360)
        let later = try #require(try JSONSerialization.jsonObject(with: Data(try CheckReport(decided).json().utf8)) as? [String: Any])
        let plan = try #require((later["planned_samples"] as? [[String: Any]])?.first)
        let horizon = try #require(plan["horizon"] as? [String: Any])
        #expect(Set(horizon.keys) == ["time", "delta", "ci_low", "ci_high", "p_value", "verdict"])
        #expect(horizon["time"] as? String == TimeText.iso(try #require(decided.plannedSamples.first?.horizonTime)))
        #expect(horizon["verdict"] as? String == "no_difference" && plan["eta"] as? String == "decided: no difference")
        #expect(horizon["p_value"] as? Double == decided.plannedSamples.first?.horizon?.pValue)
        let text = CheckText.render(decided)
        #expect(text.contains("— no difference: +0.00pt, p=1 at the planned samples ("), "\(text)")
    }

    /// A segment too small to judge makes the guardrail gate inconclusive: promotion pauses for a human.
    @Test func tooSmallSegmentIsInconclusiveAndPausesProgression() throws {
        var scenario = try SnapshotSupport.scenario()
        scenario.simulation.segments[5].share = 0.0005
        scenario.simulation.segments[4].share += 0.1195
        scenario.release.gates.minimumSamplesPerSegment = 200
        let a = try Self.analyze(scenario, after: 3 * 3600)
        let guardrail = try #require(a.gates.first { $0.gate == .segmentGuardrails })
        #expect(guardrail.outcome == .inconclusive)
        #expect(guardrail.reason.contains("market=EU,surface=web"), "\(guardrail.reason)")
        #expect(CheckVerdict(a).exitStatus == 10)
        #expect(CheckText.render(a).contains("needs a human decision"))
        // Progression paused: the controller never left the first stage whose bake ended.
        #expect(a.state.stageIndex <= 1, "controller promoted to \(a.stage.name) despite an inconclusive gate")
    }

    /// A dry-run rule that would fire is shown as such and changes nothing.
    @Test func dryRunRuleWouldFireButNeverBlocks() throws {
        var scenario = try SnapshotSupport.scenario()
        scenario.release.rules.append(StopRule(name: "trial-error-rate", metric: .errorRate, comparator: .greaterThan,
                                               threshold: 0, windowSeconds: 600, forSeconds: 120, severity: .rollback, dryRun: true))
        let baseline = try Self.analyze(SnapshotSupport.scenario(), after: 2 * 3600)
        let a = try Self.analyze(scenario, after: 2 * 3600)
        let trial = try #require(a.rules.first { $0.rule.name == "trial-error-rate" })
        #expect(trial.status == .firing)
        #expect(!trial.blocksPromotion)
        #expect(a.firingRollbackRules.isEmpty)
        #expect(CheckVerdict(a) == CheckVerdict(baseline))
        #expect(a.state.stageIndex == baseline.state.stageIndex, "a dry-run rule changed the rollout")
        #expect(a.state.status != .rolledBack)
        let json = try CheckReport(a).json()
        #expect(json.contains("\"would_block\" : true"))
        #expect(CheckText.render(a).contains("dry run, would roll back"))
    }
}
