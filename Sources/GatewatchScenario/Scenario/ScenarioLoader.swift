import Foundation
import GatewatchCore

/// Finds and reads `sample-data/<scenario>/` folders: `release.yaml` (the release spec) and `simulation.yaml`.
public enum ScenarioLoader {
    /// The scenario `gatewatch` opens when given none.
    public static let defaultScenario = "fraud-canary-healthy"

    /// Where sample data is looked for, in order: `$GATEWATCH_SAMPLE_DATA`, `./sample-data`, the folder beside the
    /// executable's build folder, and the source checkout the binary was built from.
    public static func candidateRoots(environment: [String: String] = ProcessInfo.processInfo.environment,
                                      executable: String = CommandLine.arguments.first ?? "") -> [String] {
        var roots: [String] = []
        if let env = environment["GATEWATCH_SAMPLE_DATA"], !env.isEmpty { roots.append(env) }
        roots.append(FileManager.default.currentDirectoryPath + "/sample-data")
        let exe = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        // .build/<config>/gatewatch → <package>/sample-data
        roots.append(exe.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("sample-data").path)
        roots.append(exe.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("sample-data").path)
        // Sources/GatewatchScenario/Scenario/ScenarioLoader.swift → <package>/sample-data
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("sample-data")
        roots.append(source.path)
        return roots
    }

    /// The first candidate root that exists.
    public static func findRoot(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        candidateRoots(environment: environment).first { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
    }

    /// Scenario names under `root` with their one-line descriptions: ordinary scenarios (a folder with
    /// `release.yaml`) and fleets (a folder with `fleet.yaml`; open those with `loadAll`).
    public static func list(root: String) -> [(name: String, description: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.sorted().compactMap { name in
            let dir = root + "/" + name
            if FileManager.default.fileExists(atPath: dir + "/release.yaml") {
                let description = (try? YAMLFile.decode(SimulationModel.self, path: dir + "/simulation.yaml"))?.description ?? "(simulation.yaml unreadable)"
                return (name, description)
            }
            if isFleet(name, root: root) {
                let description = (try? YAMLFile.decode(FleetSpec.self, path: dir + "/fleet.yaml"))?.description ?? "(fleet.yaml unreadable)"
                return (name, description)
            }
            return nil
        }
    }

    /// Whether `root/name` is a fleet folder (holds `fleet.yaml` and no `release.yaml`).
    public static func isFleet(_ name: String, root: String) -> Bool {
        let dir = root + "/" + name
        return FileManager.default.fileExists(atPath: dir + "/fleet.yaml") && !FileManager.default.fileExists(atPath: dir + "/release.yaml")
    }

    /// Every release of a scenario: `[load(name)]` for an ordinary scenario; for a fleet (`fleet.yaml`) each member
    /// scenario, with its simulation start moved `start_offset` earlier, its slug and seed overridden when the member
    /// says so, and its own clock key (`<fleet>/<slug>`), so all members can share one store, each with its own
    /// `DemoDriver`. Slugs must differ across members.
    public static func loadAll(_ name: String, root: String) throws -> [Scenario] {
        try checkName(name, root: root)
        guard isFleet(name, root: root) else { return [try load(name, root: root)] }
        let fleetPath = root + "/" + name + "/fleet.yaml"
        let fleetFile = try YAMLDocument<FleetSpec>.load(path: fleetPath)
        let spec = fleetFile.value
        func fail(_ path: SpecPath, _ message: String, hint: String? = nil) -> InputError {
            fleetFile.error(SpecProblem(path, message, hint: hint))
        }
        guard !spec.members.isEmpty else {
            throw fail(["members"], "the fleet has no members", hint: "add 'members:' with '- { scenario: NAME, start_offset: 1h }'")
        }
        var scenarios: [Scenario] = []
        var seen: [String: String] = [:]
        for (i, member) in spec.members.enumerated() {
            guard member.scenario != name, !isFleet(member.scenario, root: root) else {
                throw fail(["members", .index(i), "scenario"], "members[\(i)]: '\(member.scenario)' is a fleet; members must be ordinary scenarios")
            }
            var scenario: Scenario
            do {
                scenario = try load(member.scenario, root: root)
            } catch let error as InputError {
                // The member's own problems keep their files and positions; the first line says which member.
                var head = fail(["members", .index(i), "scenario"], "members[\(i)] (\(member.scenario)) cannot be loaded", hint: error.more.isEmpty ? error.hint : nil)
                head.more = error.all
                if error.file == root + "/" + member.scenario, error.line == nil {
                    head.message = "members[\(i)] (\(member.scenario)): \(error.message)"
                    head.hint = error.hint
                    head.more = []
                }
                throw head
            }
            let base = spec.start ?? scenario.simulation.start
            // Checked: an offset of millions of years would overflow the subtraction (a crash) or start the
            // simulation before any time in seconds that the rest of Gatewatch reads.
            let (start, overflow) = base.subtractingReportingOverflow(member.startOffset)
            guard !overflow, (-timeLimit...timeLimit).contains(start) else {
                throw InputError(file: fleetPath, message: "members[\(i)] (\(member.scenario)): start_offset \(DurationText.format(member.startOffset)) "
                                 + "puts the start before any time Gatewatch can simulate",
                                 hint: "an offset is how much earlier this member starts than the fleet, e.g. 90m or 2d")
            }
            scenario.simulation.start = start
            if let slug = member.slug, !slug.isEmpty {
                if let problem = Release.slugProblem(slug) {
                    throw InputError(file: fleetPath, message: "members[\(i)] (\(member.scenario)): \(problem)")
                }
                scenario.release.slug = slug
            }
            if let seed = member.seed { scenario.simulation.seed = seed }
            let slug = scenario.release.slug
            if let other = seen[slug] {
                throw fail(["members", .index(i)], "members[\(i)] (\(member.scenario)) has the release slug '\(slug)' of \(other)",
                           hint: "give one of them its own 'slug:'")
            }
            seen[slug] = member.scenario
            scenario.fleet = name
            scenario.clockKey = name + "/" + slug
            scenario.warnings = fleetFile.warnings + scenario.warnings
            scenarios.append(scenario)
        }
        if let review = spec.opensReview {
            guard let start = spec.start else {
                throw fail(["opens_review"], "opens_review needs the fleet's `start` (the time the demo opens at)", hint: "add e.g. `start: 2026-11-02T09:00:00Z`")
            }
            guard scenarios.contains(where: { $0.release.slug == review }) else {
                throw fail(["opens_review"], "opens_review: no member has the release '\(review)'",
                           hint: "members: " + scenarios.map(\.release.slug).joined(separator: ", "))
            }
            for i in scenarios.indices {
                scenarios[i].opensReview = review
                scenarios[i].opensAt = start
            }
        }
        return scenarios
    }

    /// Simulation starts must be within this many seconds of the epoch (about 3,000 years either way).
    static let timeLimit: Int64 = 100_000_000_000

    static func checkName(_ name: String, root: String) throws {
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else {
            throw InputError(file: root, message: "'\(name)' is not a scenario name", hint: "see 'gatewatch scenarios'")
        }
    }

    /// Reads and checks one scenario. A fleet folder is refused with an `InputError` that says to use `loadAll`
    /// (a fleet is several releases; picking one silently would hide the others).
    public static func load(_ name: String, root: String) throws -> Scenario {
        try checkName(name, root: root)
        let dir = root + "/" + name
        if isFleet(name, root: root) {
            let members = (try? YAMLFile.decode(FleetSpec.self, path: dir + "/fleet.yaml"))?.members.map(\.scenario) ?? []
            throw InputError(file: dir + "/fleet.yaml", message: "'\(name)' is a fleet of \(members.count) releases, not one scenario",
                             hint: "open it with ScenarioLoader.loadAll, or pick a member: \(members.joined(separator: ", "))")
        }
        guard FileManager.default.fileExists(atPath: dir + "/release.yaml") else {
            let known = list(root: root).map(\.name).joined(separator: ", ")
            throw InputError(file: dir, message: "no scenario '\(name)'", hint: known.isEmpty ? "no scenarios found in \(root)" : "known scenarios: \(known)")
        }
        let releasePath = dir + "/release.yaml"
        let releaseFile = try YAMLDocument<Release>.load(path: releasePath)
        let release = releaseFile.value
        var errors = releaseFile.errors(release.problems())
        let simulationPath = dir + "/simulation.yaml"
        let simulationFile: YAMLDocument<SimulationModel>
        do {
            simulationFile = try YAMLDocument<SimulationModel>.load(path: simulationPath)
        } catch let error as InputError {
            throw InputError.combined(errors + error.all)!
        }
        let simulation = simulationFile.value
        errors += simulationFile.errors(simulationProblems(simulation, release: release))
        if let error = InputError.combined(errors) { throw error }
        var scenario = Scenario(name: name, directory: dir, release: release, simulation: simulation)
        scenario.warnings = releaseFile.warnings + simulationFile.warnings
        return scenario
    }

    /// Problems of a simulation's meaning given its release: segment shares that do not add up to 1, segments the
    /// release does not list, stages of `assignment_bias` the release does not have.
    static func simulationProblems(_ simulation: SimulationModel, release: Release) -> [SpecProblem] {
        var problems: [SpecProblem] = []
        let shares = simulation.segments.map(\.share).reduce(0, +)
        if simulation.segments.isEmpty || abs(shares - 1) > 0.01 {
            problems.append(SpecProblem(["segments"], "segment shares add up to \(NumberText.compact(shares)), not 1",
                                        hint: "each segment's `share` is its fraction of the decisions"))
        }
        let known = Set(release.segments.map(\.key))
        var seen: Set<String> = []
        for (i, segment) in simulation.segments.enumerated() {
            if !seen.insert(segment.segment).inserted {
                problems.append(SpecProblem(["segments", .index(i), "segment"], "segment '\(segment.segment)' is simulated twice", hint: "list each segment once"))
            } else if !known.isEmpty && !known.contains(segment.segment) {
                let keys = release.segments.map(\.key)
                let near: String = Spelling.closest(to: segment.segment, among: keys).map { "did you mean `\($0)`? " } ?? ""
                problems.append(SpecProblem(["segments", .index(i), "segment"], "segment '\(segment.segment)' is not in release.yaml's segments",
                                            hint: near + "release.yaml lists " + keys.joined(separator: ", ")))
            }
            if !(0...1).contains(segment.share) {
                problems.append(SpecProblem(["segments", .index(i), "share"], "share \(NumberText.compact(segment.share)) is outside 0–1", hint: "a fraction of the decisions"))
            }
            if !(0...1).contains(segment.fraudRate) {
                problems.append(SpecProblem(["segments", .index(i), "fraud_rate"], "fraud_rate \(NumberText.compact(segment.fraudRate)) is outside 0–1", hint: "a fraction of the decisions"))
            }
        }
        let stageNames = release.stages.map(\.name)
        for (i, stage) in (simulation.assignmentBias?.stages ?? []).enumerated() where !stageNames.contains(stage) {
            problems.append(SpecProblem(["assignment_bias", "stages", .index(i)], "assignment_bias names the stage '\(stage)', which release.yaml does not have",
                                        hint: "stages: " + stageNames.joined(separator: ", ")))
        }
        return problems
    }
}
