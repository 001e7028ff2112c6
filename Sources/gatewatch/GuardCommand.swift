import ArgumentParser
import Foundation
import GatewatchApp
import GatewatchCore
import GatewatchStores

/// `gatewatch guard`: headless watcher that rolls a release back itself when a rollback-severity rule fires, unless a
/// human has put the release on hold (paused). One line per decision; audited as the guard.
struct GuardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guard",
        abstract: "Watch a release headlessly and roll it back when a rollback-severity stop rule fires (unless paused).")

    @Option(help: ArgumentHelp("Embedded store (default: the demo store of --scenario).", valueName: "path"))
    var store: String?

    @Option(help: "Scenario whose demo store is used when --store is not given.")
    var scenario: String = ScenarioLoader.defaultScenario

    @Option(help: ArgumentHelp("Release slug (needed when the store holds several).", valueName: "slug"))
    var release: String?

    @Option(help: "Seconds between evaluations.") var interval: Double = 15

    @Flag(help: "Evaluate once and exit (for cron jobs and tests).") var once = false

    @Option(help: ArgumentHelp("Config file: its `registry` and `metrics` sources (instead of --store) and the `hooks` run after the guard's rollback.", valueName: "file"))
    var config: String?

    func validate() throws {
        guard interval >= 1, interval <= 3600 else { throw ValidationError("--interval must be between 1 and 3600 seconds") }
    }

    /// One unbuffered line per decision, so a log collector sees it at once.
    func say(_ line: String) { Console.out(line + "\n") }

    func run() throws {
        let path = store ?? DefaultStorePath.path(scenario: scenario)
        let guardian = Operator(name: "guard", role: .controller)
        let hooks: HookRunner
        do { hooks = HookRunner(commands: try LoadedConfig.load(path: config).hooks) } catch { throw ValidationError(error.description) }
        repeat {
            let (a, registry) = try StoreAnalysis.analyze(configPath: config, path: path, release: release, at: nil)
            let stamp = TimeText.iso(a.asOf)
            if let firing = a.firingRollbackRules.first {
                if a.state.status == .paused {
                    say("\(stamp) \(a.release.slug): \(firing.rule.name) firing, release on hold (paused): no rollback")
                } else {
                    let reason = "stop rule \(firing.rule.name)\(firing.segment.map { " [\($0)]" } ?? "") firing: \(firing.rule.expressionText)"
                    let outcome = ActionLayer(registry: registry, hooks: hooks).perform(.rollback, analysis: a, by: guardian, reason: reason, at: a.asOf)
                    say("\(stamp) \(a.release.slug): \(outcome.message)")
                }
            } else {
                say("\(stamp) \(a.release.slug): \(a.state.status.label) at \(a.stage.name), no rollback rule firing")
            }
            if once { return }
            Thread.sleep(forTimeInterval: interval)
        } while true
    }
}
