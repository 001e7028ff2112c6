import ArgumentParser
import Foundation
import GatewatchApp
import GatewatchCore
import GatewatchScenario

/// Options shared by `gatewatch promote|rollback|ack|pause|resume`: the same checks and audit as the keys.
struct ActionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Embedded store (default: the demo store of --scenario, as 'gatewatch run' uses).", valueName: "path"))
    var store: String?

    @Option(help: "Scenario whose demo store is used when --store is not given.")
    var scenario: String = ScenarioLoader.defaultScenario

    @Option(help: ArgumentHelp("Release slug (needed when the store holds several).", valueName: "slug"))
    var release: String?

    @Option(help: "Why (required for rollback).") var reason: String = ""

    @Option(name: .customLong("as"), help: ArgumentHelp("Act with a lower role than the registry grants you (owner, oncall or reviewer); it never raises one.", valueName: "role"))
    var role: String?

    @Option(name: .customLong("operator"), help: ArgumentHelp("A display name recorded beside the actor the registry authenticated (never instead of it).", valueName: "name"))
    var operatorName: String?

    @Option(help: ArgumentHelp("Config file: its `registry` and `metrics` sources (instead of --store) and its `hooks` (default: $XDG_CONFIG_HOME/gatewatch/config.yaml when it exists).", valueName: "file"))
    var config: String?

    func validate() throws {
        do { _ = try IdentityResolver.askedRole(role) } catch { throw ValidationError("\(error)") }
    }

    /// The operator the registry proves, with `--as` and `--operator` applied; exit 10 with the words when there is
    /// no role or `--as` would raise it.
    func acting(_ registry: any Registry, release: String?) throws -> Operator {
        let identity = IdentityResolver.identity(registry, release: release)
        if !identity.verified { Console.err("gatewatch: warning: identity unverified: \(identity.summary)\(identity.note.map { " — \($0)" } ?? "")\n") }
        do {
            return try IdentityResolver.actingOperator(identity, asking: try IdentityResolver.askedRole(role), displayName: operatorName)
        } catch {
            Console.out("refused: \(error)\n")
            throw ExitCode(10)
        }
    }

    /// Runs `chosen` through the action layer; exit 0 when done, 10 when refused (the refusal is audited), 2 when
    /// the store is read-only. Only promotion needs the metrics: every other action reads the registry alone, so a
    /// rollback works while the metrics store is down (a warning on stderr says what could not be read), and it
    /// works on a damaged rollout state too (it is derived from the spec). The event's time is the release's clock
    /// (the wall clock, or the demo's own for a release the demo drives), never a sample's.
    func run(_ chosen: OperatorAction) throws {
        let path = store ?? DefaultStorePath.path(scenario: scenario)
        let (source, sources) = try StoreAnalysis.source(configPath: config, path: path, release: release, at: nil, access: .write)
        let now = source.clock
        let op = try acting(sources.registry, release: source.slug)
        let alerts: (any AlertSource)?
        do { alerts = try sources.config.alertSource() } catch { throw ValidationError("\(error)") }
        let layer = ActionLayer(registry: sources.registry, hooks: sources.config.hookRunner(), alerts: alerts)
        let result: (analysis: ReleaseAnalysis, problem: String?)
        do {
            result = try source.refresh(at: now)
        } catch RegistryError.damagedState(let slug, let problem) where chosen == .rollback {
            guard let spec = try? sources.registry.release(slug) else { throw ValidationError("cannot read the spec of \(slug) from \(sources.label)") }
            Console.err("gatewatch: warning: the rollout state of '\(slug)' is damaged (\(problem)); rolling back from the spec\n")
            let outcome = layer.rollBackDamaged(spec, damage: problem, by: op, reason: reason, at: now)
            Console.out(outcome.message + "\n")
            if !outcome.succeeded { throw ExitCode(10) }
            return
        } catch {
            throw ValidationError("cannot read \(source.slug) from \(sources.label): \(error)")
        }
        if let problem = result.problem {
            Console.err("gatewatch: warning: \(problem)" + (chosen.needsAnalysis ? "\n" : "; \(chosen.verb) needs the registry only and goes ahead\n"))
        }
        let outcome = layer.perform(chosen, analysis: result.analysis, by: op, reason: reason, at: max(now, result.analysis.state.startedAt))
        Console.out(outcome.message + "\n")
        if !outcome.succeeded { throw ExitCode(10) }
    }
}

struct PromoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "promote", abstract: "Promote a release to its next stage (gates must pass; --override needs a reason).")
    @OptionGroup var options: ActionOptions
    @Flag(help: "Promote although gates fail (owner only; recorded as an override).") var override = false
    func run() throws { try options.run(override ? .overridePromote : .promote) }
}

struct RollbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rollback", abstract: "Roll a release back: challenger traffic to 0, champion restored (reason required).")
    @OptionGroup var options: ActionOptions
    func run() throws { try options.run(.rollback) }
}

struct AckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ack", abstract: "Acknowledge a pending or firing stop rule.")
    @OptionGroup var options: ActionOptions
    @Option(help: "Stop rule name.") var rule: String
    @Option(help: "Segment, for per-segment rules.") var segment: String?
    func run() throws { try options.run(.acknowledge(rule: rule, segment: segment)) }
}

struct HoldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hold",
        abstract: "Hold automatic rollback (the guard's and the demo controller's) for a while, reason required; --end ends it. Pause does not do this.")
    @OptionGroup var options: ActionOptions
    @Option(name: .customLong("for"), help: ArgumentHelp("How long (1m to 4h).", valueName: "duration")) var duration: String = "30m"
    @Flag(help: "End the hold now instead.") var end = false
    func validate() throws {
        if !end { _ = try TimeOptions.duration(duration, option: "--for", range: 60...RollbackHold.maximumSeconds, examples: "15m, 1h") }
    }
    func run() throws { try options.run(end ? .endRollbackHold : .holdRollback(seconds: DurationText.parse(duration) ?? 0)) }
}

struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Resume automatic stage progression.")
    @OptionGroup var options: ActionOptions
    func run() throws { try options.run(.resume) }
}

struct PauseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Pause (or --resume) automatic stage progression.")
    @OptionGroup var options: ActionOptions
    @Flag(help: "Resume instead of pausing.") var resume = false
    func run() throws { try options.run(resume ? .resume : .pause) }
}
