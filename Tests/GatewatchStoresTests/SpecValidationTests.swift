import Foundation
import Testing
import GatewatchCore
@testable import GatewatchScenario

/// Release specs, simulations and fleets: every meaning problem at its line and column, all of them at once, in
/// file order; unknown keys as warnings with "did you mean"; enum values with the known ones as a hint.
@Suite struct SpecValidationTests {
    static let segments = ["market=BR,surface=app", "market=BR,surface=web", "market=MX,surface=app",
                           "market=MX,surface=web", "market=EU,surface=app", "market=EU,surface=web"]

    /// A scenario folder `x` under a fresh root: `release` as release.yaml, `simulation` (default: the healthy
    /// sample's) as simulation.yaml.
    static func scenario(release: String, simulation: String? = nil) throws -> (root: URL, dir: String) {
        let root = try TestSupport.temporaryDirectory()
        let dir = root.appendingPathComponent("x").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try release.write(toFile: dir + "/release.yaml", atomically: true, encoding: .utf8)
        let sim = try simulation ?? String(contentsOfFile: TestSupport.sampleDataRoot + "/fraud-canary-healthy/simulation.yaml", encoding: .utf8)
        try sim.write(toFile: dir + "/simulation.yaml", atomically: true, encoding: .utf8)
        return (root, dir)
    }

    static func lines(_ error: InputError, dir: String) -> [String] {
        error.all.map { $0.text.replacingOccurrences(of: dir + "/", with: "") }
    }

    static let broken = """
        slug: broken-v2
        model: scorer
        champion: "1"
        challenger: "2"
        bogus_key: 1
        thresholds: { review: 0.9, block: 0.8 }
        segments:
          - market=BR,surface=app
          - market=BR,surface=web
          - market=MX,surface=app
          - market=MX,surface=web
          - market=EU,surface=app
          - market=EU,surface=web
        stages:
          - { name: shadow, kind: shadow, traffic: 0 }
          - { name: canary-5, kind: canary, traffic: 5, colour: red }
          - { name: canary-1, kind: canary, traffic: 1 }
          - { name: full, kind: full, traffic: 100 }
        stop_rules:
          - name: errors
            metric: error_rate
            op: ">"
            threshold: 2
            window: 5m
            severity: rollback
            min_events: -1
          - name: latency
            metric: latency_p99
            op: ">"
            threshold: 0
            sevrity: block

        """

    @Test func everyMeaningProblemIsAtItsNodeInFileOrder() throws {
        let (root, dir) = try Self.scenario(release: Self.broken)
        defer { TestSupport.cleanUp(root) }
        let error = try #require(#expect(throws: InputError.self) { try ScenarioLoader.load("x", root: root.path) })
        #expect(Self.lines(error, dir: dir) == [
            "release.yaml:6:23: review threshold 0.9 is above the block threshold 0.8 (hint: scores are in 0–1 and decisions are reviewed at or above `review`, blocked at or above `block`: 0 < review ≤ block ≤ 1)",
            "release.yaml:17:46: stage `canary-1` serves 1% of traffic, less than `canary-5` before it (5%) (hint: traffic must not decrease from one stage to the next; reorder the stages)",
            "release.yaml:23:16: threshold 2 is out of range for error_rate (0–1) (hint: error_rate is a fraction: write 0.02 for 2%)",
            "release.yaml:26:17: min_events cannot be negative (-1) (hint: 0 counts every window as data)",
            "release.yaml:30:16: threshold 0 is out of range for latency_p99 (above 0, at most 60 s) (hint: latency is in seconds: write 0.3 for 300 ms)",
        ])
    }

    @Test func unknownKeysAreWarningsWithTheirPositions() throws {
        let fixed = Self.broken
            .replacingOccurrences(of: "review: 0.9", with: "review: 0.6")
            .replacingOccurrences(of: "traffic: 1 }", with: "traffic: 10 }")
            .replacingOccurrences(of: "threshold: 2\n", with: "threshold: 0.02\n")
            .replacingOccurrences(of: "min_events: -1", with: "min_events: 10")
            .replacingOccurrences(of: "threshold: 0\n", with: "threshold: 0.3\n")
        let (root, dir) = try Self.scenario(release: fixed)
        defer { TestSupport.cleanUp(root) }
        let scenario = try ScenarioLoader.load("x", root: root.path)
        #expect(scenario.warnings.map { $0.text.replacingOccurrences(of: dir + "/", with: "") } == [
            "release.yaml:5:1: unknown key `bogus_key` (ignored) (hint: known keys here: alpha, challenger, champion, changes, design_effect, gates, guardrails, minimum_detectable_effects, model, owner, power, review_queue_limit, segments, slug, stages, stop_rules, thresholds, title)",
            "release.yaml:16:49: unknown key `colour` in stages[1] (ignored) (hint: known keys here: bake, kind, name, requires_approval, traffic)",
            "release.yaml:31:5: unknown key `sevrity` in stop_rules[1] (ignored) (hint: did you mean `severity`?)",
        ])
        // The value is still used as if the unknown keys were not there.
        #expect(scenario.release.rules[1].severity == .block)
    }

    @Test func everySampleScenarioLoadsWithoutWarnings() throws {
        for item in ScenarioLoader.list(root: TestSupport.sampleDataRoot) {
            let members = try ScenarioLoader.loadAll(item.name, root: TestSupport.sampleDataRoot)
            #expect(members.flatMap(\.warnings).isEmpty, "\(item.name): \(members.flatMap(\.warnings))")
        }
    }

    @Test func aKeyThatIsOnlyOptionalOrAnAliasIsNotUnknown() throws {
        // Every key the types accept, optional ones included, in one spec: no warning.
        let spec = """
            slug: all-keys
            title: t
            model: m
            champion: "1"
            challenger: "2"
            owner: o
            review_queue_limit: 100
            changes: [{ kind: model, from: "1", to: "2" }]
            thresholds: { review: 0.6, block: 0.85 }
            segments: [\(Self.segments.map { "\"\($0)\"" }.joined(separator: ", "))]
            gates: { minimum_samples_per_arm: 1, minimum_label_maturity: 0.5, srm_p_value: 0.001, minimum_samples_per_segment: 1 }
            guardrails: [{ metric: precision, max_worsening: 0.05 }]
            stages:
              - { name: shadow, kind: shadow, traffic: 0, bake: 10m, requires_approval: true }
              - { name: full, kind: full, traffic: 100 }
            stop_rules:
              - { name: r, metric: precision, arm: challenger, relative_to_champion: true, op: "<", threshold: -0.1, window: 1h,
                  for: 5m, scope: each_segment, severity: block, no_data: ok, dry_run: true, summary: s, min_events: 5 }

            """
        let (root, _) = try Self.scenario(release: spec)
        defer { TestSupport.cleanUp(root) }
        #expect(try ScenarioLoader.load("x", root: root.path).warnings == [])
    }

    @Test func anUnknownMetricListsTheKnownOnes() throws {
        let (root, dir) = try Self.scenario(release: Self.broken.replacingOccurrences(of: "metric: error_rate", with: "metric: error_rat"))
        defer { TestSupport.cleanUp(root) }
        let error = try #require(#expect(throws: InputError.self) { try ScenarioLoader.load("x", root: root.path) })
        #expect(Self.lines(error, dir: dir) == [
            "release.yaml:21:13: stop_rules[0].metric: unknown metric `error_rat` (hint: did you mean `error_rate`? metrics: error_rate, latency_p50, latency_p99, precision, recall, false_positive_rate, label_maturity, review_queue_depth, review_queue_hours_to_overflow, block_rate, review_rate, decisions_per_minute, mean_score, score_psi, score_ks, score_js)",
        ])
        let kind = try Self.scenario(release: Self.broken.replacingOccurrences(of: "kind: canary, traffic: 1 }", with: "kind: canery, traffic: 1 }"))
        defer { TestSupport.cleanUp(kind.root) }
        let kindError = try #require(#expect(throws: InputError.self) { try ScenarioLoader.load("x", root: kind.root.path) })
        #expect(Self.lines(kindError, dir: kind.dir) == [
            "release.yaml:17:29: stages[2].kind: unknown stage kind `canery` (hint: did you mean `canary`? kinds: replay, shadow, canary, ab, full)",
        ])
    }

    @Test func anUnknownGuardrailMetricListsTheKnownOnes() throws {
        let spec = Self.broken.replacingOccurrences(of: "stages:\n", with: "guardrails:\n  - { metric: fpr, max_worsening: 0.01 }\nstages:\n")
        let (root, dir) = try Self.scenario(release: spec)
        defer { TestSupport.cleanUp(root) }
        let error = try #require(#expect(throws: InputError.self) { try ScenarioLoader.load("x", root: root.path) })
        #expect(Self.lines(error, dir: dir) == [
            "release.yaml:15:15: guardrails[0].metric: unknown guardrail metric `fpr` (hint: guardrail metrics: precision, recall, false_positive_rate, error_rate, block_rate, review_rate, mean_score)",
        ])
    }

    @Test func aMisspeltRequiredKeyIsPointedAt() throws {
        let (root, dir) = try Self.scenario(release: Self.broken.replacingOccurrences(of: "threshold: 2\n", with: "treshold: 2\n"))
        defer { TestSupport.cleanUp(root) }
        let error = try #require(#expect(throws: InputError.self) { try ScenarioLoader.load("x", root: root.path) })
        #expect(Self.lines(error, dir: dir) == [
            "release.yaml:23:5: missing key 'threshold' in stop_rules[0] (hint: `treshold` here looks like a misspelling of `threshold`)",
        ])
    }

    @Test func simulationProblemsAndUnknownKeysAreLocatedToo() throws {
        var simulation = try String(contentsOfFile: TestSupport.sampleDataRoot + "/fraud-canary-healthy/simulation.yaml", encoding: .utf8)
        simulation = simulation
            .replacingOccurrences(of: "segment: \"market=EU,surface=web\"", with: "segment: \"market=EU,surface=wbe\"")
            .replacingOccurrences(of: "auto_rollback: true", with: "auto_rollback: true\nauto_rolback: false")
        let healthy = try String(contentsOfFile: TestSupport.sampleDataRoot + "/fraud-canary-healthy/release.yaml", encoding: .utf8)
        let (root, dir) = try Self.scenario(release: healthy, simulation: simulation)
        defer { TestSupport.cleanUp(root) }
        let error = try #require(#expect(throws: InputError.self) { try ScenarioLoader.load("x", root: root.path) })
        #expect(Self.lines(error, dir: dir) == [
            "simulation.yaml:31:16: segment 'market=EU,surface=wbe' is not in release.yaml's segments (hint: did you mean `market=EU,surface=web`? release.yaml lists market=BR,surface=app, market=BR,surface=web, market=MX,surface=app, market=MX,surface=web, market=EU,surface=app, market=EU,surface=web)",
        ])
        let fixed = simulation.replacingOccurrences(of: "surface=wbe", with: "surface=web")
        try fixed.write(toFile: dir + "/simulation.yaml", atomically: true, encoding: .utf8)
        let scenario = try ScenarioLoader.load("x", root: root.path)
        #expect(scenario.warnings.map { $0.text.replacingOccurrences(of: dir + "/", with: "") } == [
            "simulation.yaml:9:1: unknown key `auto_rolback` (ignored) (hint: did you mean `auto_rollback`?)",
        ])
    }

    @Test func releaseAndSimulationProblemsAreReportedTogether() throws {
        let simulation = try String(contentsOfFile: TestSupport.sampleDataRoot + "/fraud-canary-healthy/simulation.yaml", encoding: .utf8)
            .replacingOccurrences(of: "share: 0.25", with: "share: 0.5")
        let (root, dir) = try Self.scenario(release: Self.broken, simulation: simulation)
        defer { TestSupport.cleanUp(root) }
        let error = try #require(#expect(throws: InputError.self) { try ScenarioLoader.load("x", root: root.path) })
        let lines = Self.lines(error, dir: dir)
        #expect(lines.count == 6)
        #expect(lines.last == "simulation.yaml:25:3: segment shares add up to 1.25, not 1 (hint: each segment's `share` is its fraction of the decisions)")
    }

    @Test func fleetUnknownKeysAndProblemsAreLocated() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(root) }
        let fleet = root.appendingPathComponent("pair").path
        try FileManager.default.createDirectory(atPath: fleet, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: TestSupport.sampleDataRoot + "/fraud-canary-healthy", toPath: root.appendingPathComponent("fraud-canary-healthy").path)
        try """
            description: two
            members:
              - { scenario: fraud-canary-healthy, start_ofset: 1h }
              - { scenario: fraud-canary-healthy, slug: other, seed: 3 }
            """.write(toFile: fleet + "/fleet.yaml", atomically: true, encoding: .utf8)
        let members = try ScenarioLoader.loadAll("pair", root: root.path)
        #expect(Set(members.flatMap(\.warnings).map { $0.text.replacingOccurrences(of: fleet + "/", with: "") }) == [
            "fleet.yaml:3:39: unknown key `start_ofset` in members[0] (ignored) (hint: did you mean `start_offset`?)",
        ])
        try """
            description: two
            start: 2026-11-02T09:00:00Z
            opens_review: nobody
            members:
              - { scenario: fraud-canary-healthy }
            """.write(toFile: fleet + "/fleet.yaml", atomically: true, encoding: .utf8)
        let error = try #require(#expect(throws: InputError.self) { try ScenarioLoader.loadAll("pair", root: root.path) })
        #expect(error.text.replacingOccurrences(of: fleet + "/", with: "")
            == "fleet.yaml:3:15: opens_review: no member has the release 'nobody' (hint: members: fraud-scoring-v8)")
    }

    @Test func importedSpecsUseTheSameChecks() throws {
        let document = try YAMLDocument<Release>.load(yaml: Self.broken, file: "spec.yaml")
        let errors = document.errors(document.value.problems())
        #expect(errors.map { "\($0.line!):\($0.column!)" } == ["6:23", "17:46", "23:16", "26:17", "30:16"])
        #expect(document.warnings.map { "\($0.line!):\($0.column!)" } == ["5:1", "16:49", "31:5"])
    }
}
