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
        // Sources/GatewatchStores/Scenario/ScenarioLoader.swift → <package>/sample-data
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
        let spec = try YAMLFile.decode(FleetSpec.self, path: fleetPath)
        guard !spec.members.isEmpty else {
            throw InputError(file: fleetPath, message: "the fleet has no members", hint: "add 'members:' with '- { scenario: NAME, start_offset: 1h }'")
        }
        var scenarios: [Scenario] = []
        var seen: [String: String] = [:]
        for (i, member) in spec.members.enumerated() {
            guard member.scenario != name, !isFleet(member.scenario, root: root) else {
                throw InputError(file: fleetPath, message: "members[\(i)]: '\(member.scenario)' is a fleet; members must be ordinary scenarios")
            }
            var scenario: Scenario
            do {
                scenario = try load(member.scenario, root: root)
            } catch let error as InputError {
                throw InputError(file: fleetPath, message: "members[\(i)] (\(member.scenario)): \(error.description)", hint: error.hint)
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
            if let slug = member.slug, !slug.isEmpty { scenario.release.slug = slug }
            if let seed = member.seed { scenario.simulation.seed = seed }
            let slug = scenario.release.slug
            if let other = seen[slug] {
                throw InputError(file: fleetPath, message: "members[\(i)] (\(member.scenario)) has the release slug '\(slug)' of \(other)",
                                 hint: "give one of them its own 'slug:'")
            }
            seen[slug] = member.scenario
            scenario.fleet = name
            scenario.clockKey = name + "/" + slug
            scenarios.append(scenario)
        }
        if let review = spec.opensReview {
            guard let start = spec.start else {
                throw InputError(file: fleetPath, message: "opens_review needs the fleet's `start` (the time the demo opens at)")
            }
            guard scenarios.contains(where: { $0.release.slug == review }) else {
                throw InputError(file: fleetPath, message: "opens_review: no member has the release '\(review)'",
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
        let release = try YAMLFile.decode(Release.self, path: releasePath)
        let problems = release.validationProblems()
        if let first = problems.first {
            throw InputError(file: releasePath, message: first, hint: problems.count > 1 ? "\(problems.count - 1) more problem(s)" : nil)
        }
        let simulationPath = dir + "/simulation.yaml"
        let simulation = try YAMLFile.decode(SimulationModel.self, path: simulationPath)
        let shares = simulation.segments.map(\.share).reduce(0, +)
        if simulation.segments.isEmpty || abs(shares - 1) > 0.01 {
            throw InputError(file: simulationPath, message: "segment shares add up to \(NumberText.compact(shares)), not 1")
        }
        let known = Set(release.segments.map(\.key))
        if !known.isEmpty, let stray = simulation.segments.first(where: { !known.contains($0.segment) }) {
            throw InputError(file: simulationPath, message: "segment '\(stray.segment)' is not in release.yaml's segments")
        }
        return Scenario(name: name, directory: dir, release: release, simulation: simulation)
    }
}
