import ArgumentParser
import Foundation
import GatewatchApp
import GatewatchCore
import GatewatchScenario

/// `gatewatch guard`: headless watcher that rolls a release back itself when a rollback-severity rule fires — also
/// when the release is paused (pause stops progression only) — unless automatic rollback is explicitly held
/// (`gatewatch hold`, time-limited). One line per decision. The guard acts for the user who runs it, who needs a
/// role that may roll back (owner or oncall); its events are the controller's, by that user, shown as "guard". It reads the release like the
/// dashboard (a `LiveSource`: incremental, the same freshness judgement), so a rule held firing on stale data still
/// rolls back, and every interval says when the data is stale.
struct GuardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guard",
        abstract: "Watch a release headlessly and roll it back when a rollback-severity stop rule fires (also when paused; not while automatic rollback is held).")

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
        let (source, sources) = try StoreAnalysis.source(configPath: config, path: path, release: release, at: nil, access: .write)
        let identity = IdentityResolver.identity(sources.registry, release: source.slug)
        guard let role = identity.role, OperatorAction.rollback.allowedRoles.contains(role) else {
            say("refused: the guard rolls back for the user who runs it, and \(identity.name) is \(identity.role?.rawValue ?? "a viewer") (\(identity.source)); it needs owner or oncall\(identity.note.map { " — \($0)" } ?? "")")
            throw ExitCode(10)
        }
        if !identity.verified { say("warning: identity unverified: \(identity.summary)") }
        let guardian = Operator(name: identity.name, role: .controller, displayName: "guard")
        let hooks = sources.config.hookRunner()
        repeat {
            let now = source.clock
            do {
                let (a, problem) = try source.refresh(at: now)
                decide(a, problem: problem, registry: sources.registry, hooks: hooks, as: guardian, at: now)
            } catch {
                say("\(TimeText.iso(now)) \(source.slug): cannot read the registry (\(error)); nothing decided, trying again in \(DurationText.format(Int64(interval)))")
            }
            if once { return }
            Thread.sleep(forTimeInterval: interval)
        } while true
    }

    /// One interval's decision and its line(s).
    func decide(_ a: ReleaseAnalysis, problem: String?, registry: any Registry, hooks: HookRunner, as guardian: Operator, at now: Timestamp) {
        let stamp = TimeText.iso(now)
        let slug = a.release.slug
        if let f = a.freshness, !f.isCurrent {
            let held = f.earliestHold.map { "; rules held at \(TimeText.iso($0))" } ?? ""
            say("\(stamp) \(slug): metrics not current: \(f.problems.joined(separator: "; "))\(held)")
        }
        guard let firing = a.firingRollbackRules.first else {
            let unknown = a.freshness?.pollFailure != nil && a.rules.allSatisfy({ $0.value == nil }) ? " (rule states unknown: no metrics read yet)" : ""
            say("\(stamp) \(slug): \(a.state.status.label) at \(a.stage.name), no rollback rule firing\(unknown)")
            return
        }
        let scope = firing.segment.map { " [\($0)]" } ?? ""
        let held = firing.heldAt.map { " (held at \(TimeText.iso($0)): the last evidence)" } ?? ""
        if let hold = a.state.activeRollbackHold(at: now) {
            say("\(stamp) \(slug): \(firing.rule.name)\(scope) firing\(held), automatic rollback held by \(hold.by) until \(TimeText.iso(hold.until)) (\(hold.reason)): no rollback")
            return
        }
        let reason = "stop rule \(firing.rule.name)\(scope) firing\(held): \(firing.rule.expressionText)"
            + (a.state.status == .paused ? " (release paused: pause stops progression only)" : "")
        let outcome = ActionLayer(registry: registry, hooks: hooks).perform(.rollback, analysis: a, by: guardian, reason: reason, at: now)
        say("\(stamp) \(slug): \(outcome.message)")
    }
}
