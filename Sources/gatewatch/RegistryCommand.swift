import ArgumentParser
import Foundation
import GatewatchApp
import GatewatchCore
import GatewatchSQLite
import GatewatchMLflow

/// `gatewatch registry`: work on the registry a config names.
struct RegistryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Work on the registry a config file names (e.g. seed an MLflow server with a scenario's release).",
        subcommands: [RegistrySeedCommand.self])
}

/// `gatewatch registry seed --scenario NAME --config FILE`: runs the scenario in memory for `--at` and writes its
/// release, rollout state and audit trail into the configured registry — with `export-openmetrics` and promtool
/// for the metrics, a real MLflow + Prometheus pair then shows the same release as the embedded demo.
struct RegistrySeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Create a scenario's release (spec, state, audit trail) in the registry of --config.")

    @OptionGroup var scenario: ScenarioOptions

    @Option(help: ArgumentHelp("Simulated time after the release start, e.g. 90m, 2h, 1d.", valueName: "duration"))
    var at: String = "2h"

    @Option(help: ArgumentHelp("Config file whose `registry` receives the release.", valueName: "file"))
    var config: String

    func validate() throws {
        _ = try TimeOptions.duration(at, option: "--at")
    }

    func run() throws {
        let loaded: LoadedConfig
        do { loaded = try LoadedConfig.load(path: config) } catch { throw ValidationError(error.description) }
        let registry: any Registry
        switch loaded.registry {
        case .mlflow(let options)?:
            do { registry = try MLflowRegistry(options: options) } catch { throw ValidationError("registry (mlflow): \(error)") }
        case .sqlite(let path?)?:
            registry = try StoreFile.open(path)
        default:
            throw ValidationError("\(config) names no registry to seed; add e.g. `registry: { kind: mlflow, url: http://127.0.0.1:5000 }`")
        }
        for member in try scenario.loadAll() {
            let memory = try SQLiteStore()
            let source = try DemoSource(scenario: member, store: memory, description: "seed", speed: 0)
            _ = try source.poll(simulatedTime: try TimeOptions.simulated(at, option: "--at", in: member))
            let slug = member.release.slug
            guard let release = try memory.release(slug), let state = try memory.state(slug) else { throw ValidationError("the scenario made no release") }
            let events = try memory.auditEvents(release: slug)
            guard let start = events.first else { throw ValidationError("the scenario logged no start event") }
            do {
                try registry.create(release, state: state, event: start)
                for event in events.dropFirst() { try registry.append(event) }
            } catch {
                throw ValidationError("cannot seed \(slug): \(error)")
            }
            Console.out("seeded \(slug): \(release.stages[state.stageIndex].name), \(state.status.label), \(events.count) audit events" + "\n")
        }
    }
}
