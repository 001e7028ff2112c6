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

    /// Scenario names under `root` with their one-line descriptions.
    public static func list(root: String) -> [(name: String, description: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.sorted().compactMap { name in
            let dir = root + "/" + name
            guard FileManager.default.fileExists(atPath: dir + "/release.yaml") else { return nil }
            let description = (try? YAMLFile.decode(SimulationModel.self, path: dir + "/simulation.yaml"))?.description ?? "(simulation.yaml unreadable)"
            return (name, description)
        }
    }

    /// Reads and checks one scenario.
    public static func load(_ name: String, root: String) throws -> Scenario {
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else {
            throw InputError(file: root, message: "'\(name)' is not a scenario name", hint: "see 'gatewatch scenarios'")
        }
        let dir = root + "/" + name
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
