import ArgumentParser
import Foundation
import GatewatchStores

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

    func load() throws -> Scenario {
        do {
            return try ScenarioLoader.load(scenario, root: try root())
        } catch let error as InputError {
            throw ValidationError(error.description)
        }
    }

    /// Every release of the scenario: one, or each member of a fleet.
    func loadAll() throws -> [Scenario] {
        do {
            return try ScenarioLoader.loadAll(scenario, root: try root())
        } catch let error as InputError {
            throw ValidationError(error.description)
        }
    }
}
