import ArgumentParser
import Foundation
import GatewatchApp
import GatewatchCore
import GatewatchSQLite
import GatewatchScenario

/// Where the embedded store lives by default: the same file `gatewatch run` uses for a scenario
/// (`$XDG_DATA_HOME/gatewatch/demo-SCENARIO.sqlite`, `~/.local/share` without XDG_DATA_HOME).
enum DefaultStorePath {
    static func path(scenario: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.local/share")
        return dataHome + "/gatewatch/demo-\(scenario).sqlite"
    }
}

/// `gatewatch import --openmetrics FILE`: loads OpenMetrics text into the embedded store.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load samples of the metrics contract from an OpenMetrics file into the embedded store.",
        discussion: """
            Every sample needs a timestamp (seconds). The file is checked completely before anything is written, so a \
            malformed file changes nothing; it is reported as FILE:LINE:COLUMN: message with exit status 2. A sample \
            dated more than --future-skew after the clock, or before 1970, is such an error. Series outside the \
            metrics contract are counted and skipped. Stored samples are never replaced: importing a sample again \
            with the same value changes nothing (the samples already present are counted), and one with another \
            value for the same series and time is an error (exit 2) and nothing of the file is written.
            """)

    @Option(help: ArgumentHelp("OpenMetrics text file (timestamps in seconds, ending with # EOF).", valueName: "file"))
    var openmetrics: String?

    @Option(help: ArgumentHelp("A release spec (YAML, as sample-data/*/release.yaml) to create in the store.", valueName: "file"))
    var releaseSpec: String?

    @Option(help: ArgumentHelp("With --release-spec: the stage the release is in (default: the first).", valueName: "name"))
    var stage: String?

    @Option(help: ArgumentHelp("With --release-spec: UTC time the release started (default: its first imported sample).", valueName: "time"))
    var started: String?

    @Option(help: ArgumentHelp("With --release-spec: UTC time the current stage was entered (default: --started).", valueName: "time"))
    var stageEntered: String?

    @Option(help: ArgumentHelp("SQLite file of the embedded store (default: the demo store of --scenario, as 'gatewatch run' uses).", valueName: "path"))
    var store: String?

    @Option(help: "Scenario whose default demo store receives the samples when --store is not given.")
    var scenario: String = ScenarioLoader.defaultScenario

    @Option(help: ArgumentHelp("How far after the clock a sample (or --started) may be dated; later ones are refused.", valueName: "duration"))
    var futureSkew: String = "5m"

    /// The latest time a sample may carry: the wall clock plus the skew.
    var latestAccepted: Timestamp { Timestamp(Date().timeIntervalSince1970) + (DurationText.parse(futureSkew) ?? FreshnessPolicy.defaultFutureSkew) }

    func validate() throws {
        guard openmetrics != nil || releaseSpec != nil else { throw ValidationError("give --openmetrics FILE, --release-spec FILE or both") }
        if releaseSpec == nil, stage != nil || started != nil || stageEntered != nil {
            throw ValidationError("--stage, --started and --stage-entered go with --release-spec")
        }
        _ = try TimeOptions.duration(futureSkew, option: "--future-skew", range: 0...86_400, examples: "5m, 30s")
        for (name, value) in [("--started", started), ("--stage-entered", stageEntered)] {
            guard let value else { continue }
            guard let time = ISO8601.parse(value) else { throw ValidationError("\(name) '\(value)' is not a UTC time like 2026-11-02T09:00:00Z") }
            guard time <= latestAccepted else { throw ValidationError("\(name) \(value) is in the future (more than \(futureSkew) after the clock)") }
            guard time >= 0 else { throw ValidationError("\(name) \(value) is before 1970") }
        }
    }

    func run() throws {
        let path = store ?? DefaultStorePath.path(scenario: scenario)
        var spec: Release? = nil
        if let releaseSpec {
            do {
                let file = try YAMLDocument<Release>.load(path: releaseSpec)
                let release = file.value
                if let problems = InputError.combined(file.errors(release.problems())) { throw problems }
                ScenarioOptions.warn(file.warnings)
                if let stage, !release.stages.contains(where: { $0.name == stage }) {
                    throw InputError(file: releaseSpec, message: "no stage '\(stage)'", hint: "stages: \(release.stages.map(\.name).joined(separator: ", "))")
                }
                spec = release
            } catch let error as InputError {
                for problem in error.all { Console.err("gatewatch: \(problem.text)\n") }
                throw ExitCode(2)
            }
        }
        var text = ""
        if let openmetrics {
            do {
                text = try OpenMetricsImporter.read(openmetrics)
            } catch let error as InputError {
                Console.err("gatewatch: \(error.description)\n")
                throw ExitCode(2)
            }
        }
        let sqlite: SQLiteStore
        do {
            sqlite = try SQLiteStore(path: path)
        } catch let error as SQLiteStoreError {
            Console.err("gatewatch: \(error)\n")
            throw ExitCode(2)
        } catch {
            Console.err("gatewatch: \(StoreFile.message(path, error))\n")
            throw ExitCode(2)
        }
        if let why = sqlite.readOnlyReason {
            Console.err("gatewatch: \(why); nothing was imported\n")
            throw ExitCode(2)
        }
        do {
            if let openmetrics {
                let summary = try OpenMetricsImporter.load(text, file: openmetrics, into: sqlite, notAfter: latestAccepted)
                let new = summary.alreadyPresent > 0 ? "\(summary.sampleCount - summary.alreadyPresent) of \(summary.sampleCount)" : "\(summary.sampleCount)"
                Console.out("imported \(new) samples into \(path)" + "\n")
                for line in summary.lines { Console.out("  " + line + "\n") }
            }
            if let spec { try create(spec, in: sqlite) }
        } catch let error as InputError {
            for problem in error.all { Console.err("gatewatch: \(problem.text)\n") }
            throw ExitCode(2)
        } catch let error as RegistryError {
            Console.err("gatewatch: \(error)\n")
            throw ExitCode(2)
        } catch let refused as ExitCode {
            throw refused
        } catch {
            Console.err("gatewatch: writing to the embedded store at \(path) failed: \(error)\n")
            throw ExitCode(2)
        }
    }

    /// Creates the release of a spec in the store, in the stage and at the times given (or found in its samples).
    func create(_ release: Release, in store: SQLiteStore) throws {
        let firstSample = try store.samples(release: release.slug, after: nil, through: .max).values.compactMap { $0.first?.time }.min()
        guard let startedAt = started.flatMap(ISO8601.parse) ?? firstSample else {
            throw InputError(file: releaseSpec ?? "", message: "no samples of '\(release.slug)' in the store to date its start", hint: "pass --started TIME")
        }
        let index = stage.flatMap { name in release.stages.firstIndex { $0.name == name } } ?? 0
        let entered = stageEntered.flatMap(ISO8601.parse) ?? startedAt
        let state = RolloutState(stageIndex: index, stageEnteredAt: entered, startedAt: startedAt,
                                 status: index == release.stages.count - 1 ? .complete : .running)
        // Creating a release is the owner's: the store's grant decides, and the actor is the kernel's user.
        let me = IdentityResolver.identity(store, release: nil)
        guard me.role == .owner else {
            Console.out("refused: creating a release needs the owner role; \(me.name) is \(me.role?.rawValue ?? "a viewer") (\(me.source))\n")
            throw ExitCode(10)
        }
        try store.create(release, state: state, event: AuditEvent(
            release: release.slug, time: startedAt, actor: me.name, actorDisplay: "import",
            role: .owner, kind: .start, reason: "imported from \(releaseSpec ?? "a spec")", fromState: "", toState: release.stages[index].name))
        Console.out("created release \(release.slug) in stage \(release.stages[index].name) (started \(ISO8601.format(startedAt)))" + "\n")
    }
}
