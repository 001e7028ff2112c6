import ArgumentParser
import Foundation
import GatewatchApp
import GatewatchCore
import GatewatchSQLite
import GatewatchMLflow
import GatewatchScenario

/// `gatewatch check`: evaluate a release headlessly; the exit status says clear (0), blocked (10) or rollback (20).
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Evaluate a release headlessly (exit 0 clear, 10 promotion blocked, 20 rollback rule firing, 2 usage error).")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var scenario: ScenarioOptions

    @Option(help: ArgumentHelp("Evaluate a release of an existing embedded store instead of a scenario.", valueName: "path"))
    var store: String?

    @Option(help: ArgumentHelp("Release slug (needed with --store when it holds several).", valueName: "slug"))
    var release: String?

    @Option(help: ArgumentHelp("As-of time: a duration after the release start (2h, 90m) or a UTC time (2026-11-02T11:00:00Z). Default: 2h for scenarios; for stores and config sources the release's clock (the wall clock, or the demo's own for a release the demo drives), never the data's newest sample.", valueName: "time"))
    var at: String?

    @Option(help: "Output format.") var format: Format = .text

    @Option(help: ArgumentHelp("Config file naming `registry` and `metrics` sources (MLflow, Prometheus or store files) to evaluate instead of a scenario.", valueName: "file"))
    var config: String?

    func validate() throws {
        if let at, DurationText.looksLikeDuration(at) { _ = try TimeOptions.duration(at, option: "--at", examples: "2h, 90m") }
    }

    func run() throws {
        let analysis: ReleaseAnalysis
        if let config {
            let result = try StoreAnalysis.analyze(configPath: config, path: store ?? "", release: release, at: at)
            analysis = result.analysis
            // A registry that cannot prove who acts (MLflow without authentication) is said so: its audit names are
            // whatever each client claimed.
            if result.registry is MLflowRegistry {
                let identity = IdentityResolver.identity(result.registry, release: analysis.release.slug)
                if !identity.verified {
                    Console.err("gatewatch: warning: identities are unverified: \(identity.note ?? identity.source)\n")
                }
            }
        } else if let store {
            analysis = try analyzeStore(path: store)
        } else {
            let members = try scenario.loadAll()
            let loaded: Scenario
            if members.count == 1 {
                loaded = members[0]
            } else if let release, let member = members.first(where: { $0.release.slug == release }) {
                loaded = member
            } else {
                throw ValidationError("scenario '\(scenario.scenario)' has several releases; pick one with --release (\(members.map(\.release.slug).joined(separator: ", ")))")
            }
            let asOf = try TimeOptions.simulated(at ?? "2h", option: "--at", in: loaded)
            let memory = try SQLiteStore()
            let freshness: FreshnessPolicy
            do { freshness = try LoadedConfig.load(path: nil).freshnessPolicy() } catch { throw ValidationError(error.description) }
            let source = try DemoSource(scenario: loaded, store: memory, description: "check", speed: 0, freshness: freshness)
            analysis = try source.poll(simulatedTime: asOf)
        }
        switch format {
        case .json: Console.json(try CheckReport(analysis).json())
        case .text: Console.out(CheckText.render(analysis) + "\n")
        }
        let status = CheckVerdict(analysis).exitStatus
        if status != 0 { throw ExitCode(status) }
    }

    func analyzeStore(path: String) throws -> ReleaseAnalysis {
        try StoreAnalysis.analyze(path: path, release: release, at: at).analysis
    }
}
