import ArgumentParser
import GatewatchScenario

/// `gatewatch scenarios`: the sample scenarios, one line each.
struct ScenariosCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scenarios", abstract: "List the sample scenarios.")

    @Option(help: ArgumentHelp("Folder holding the scenarios.", valueName: "dir"))
    var sampleData: String?

    func run() throws {
        guard let root = sampleData ?? ScenarioLoader.findRoot() else {
            throw ValidationError("no sample-data folder found; pass --sample-data DIR")
        }
        let list = ScenarioLoader.list(root: root)
        let width = list.map(\.name.count).max() ?? 0
        for item in list {
            Console.out(item.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + item.description + "\n")
        }
    }
}
