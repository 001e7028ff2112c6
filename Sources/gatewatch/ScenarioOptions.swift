import ArgumentParser
import Foundation
import GatewatchCore
import GatewatchScenario

/// Options that pick a sample-data scenario.
struct ScenarioOptions: ParsableArguments {
    @Option(help: "Scenario folder under sample-data/ (see 'gatewatch scenarios').")
    var scenario: String = ScenarioLoader.defaultScenario

    @Option(help: ArgumentHelp("Folder holding the scenarios (default: ./sample-data or the one beside the build).", valueName: "dir"))
    var sampleData: String?

    func root() throws -> String {
        if let sampleData { return sampleData }
        guard let root = ScenarioLoader.findRoot() else {
            throw ValidationError("no sample-data folder found; run from the repository or pass --sample-data DIR (or set GATEWATCH_SAMPLE_DATA)")
        }
        return root
    }

    /// The scenario; its warnings (unknown keys) go to stderr, its problems become one `ValidationError` line each.
    func load() throws -> Scenario {
        do {
            let loaded = try ScenarioLoader.load(scenario, root: try root())
            Self.warn(loaded.warnings)
            return loaded
        } catch let error as InputError {
            throw Self.validationError(error)
        }
    }

    /// Every release of the scenario: one, or each member of a fleet.
    func loadAll() throws -> [Scenario] {
        do {
            let members = try ScenarioLoader.loadAll(scenario, root: try root())
            Self.warn(members.flatMap(\.warnings))
            return members
        } catch let error as InputError {
            throw Self.validationError(error)
        }
    }

    /// Prints each warning once, as `gatewatch: warning: file:line:column: message (hint: …)`.
    static func warn(_ warnings: [InputError]) {
        var seen: Set<String> = []
        for warning in warnings.flatMap(\.all) where seen.insert(warning.text).inserted {
            Console.err("gatewatch: warning: \(warning.text)\n")
        }
    }

    /// All problems of an `InputError`, one line each (`Gatewatch.main` prefixes the first with `gatewatch: `).
    static func validationError(_ error: InputError) -> ValidationError {
        ValidationError(error.all.map(\.text).joined(separator: "\ngatewatch: "))
    }
}
