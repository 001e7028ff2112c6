import ArgumentParser
import Foundation
import NIOConcurrencyHelpers
import GatewatchApp
import GatewatchCore
import GatewatchSQLite
import GatewatchScenario
import GatewatchTerminal
import GatewatchUI

/// The live dashboard (the default command).
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Open the live dashboard (default: the demo canary from the embedded store).")

    @OptionGroup var scenario: ScenarioOptions

    @Option(help: "Simulated seconds per real second.") var speed: Double = 60

    @Option(help: ArgumentHelp("SQLite file of the embedded store (default: $XDG_DATA_HOME/gatewatch/demo-SCENARIO.sqlite).", valueName: "path"))
    var store: String?

    @Flag(help: "Use a throw-away store in a temporary folder.") var ephemeral = false

    @Option(name: .customLong("as"), help: ArgumentHelp("Act with a lower role than the registry grants you: owner, oncall or reviewer (default: the config's operator.role, else the granted role); it never raises one.", valueName: "role"))
    var role: String?

    @Flag(help: "Remove every write: no promote, rollback, acknowledge or pause.") var readOnly = false

    @Flag(help: "Start the demo over (deletes the demo store of this scenario first).") var reset = false

    @Option(name: .customLong("start-at"), help: ArgumentHelp("Begin the demo this far into the scenario, e.g. 5h (simulated time after its start; a store already further on is not rewound).", valueName: "duration"))
    var startAt: String?

    @Option(help: ArgumentHelp("Open the review screen of this release (see `gatewatch review`).", visibility: .hidden))
    var review: String?

    @Option(help: "Seconds between polls (default: the config file's `refresh`, else 1).") var refresh: Double?

    @Option(help: ArgumentHelp("Config file (default: $XDG_CONFIG_HOME/gatewatch/config.yaml when it exists).", valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("Theme: a file NAME.yaml in ~/.config/gatewatch/themes or themes/ (overrides the config file).",
                               valueName: "name"))
    var theme: String?

    func validate() throws {
        do { _ = try IdentityResolver.askedRole(role) } catch { throw ValidationError("\(error)") }
        guard speed > 0, speed <= 100_000, speed.isFinite else { throw ValidationError("--speed must be between 0 and 100000") }
        if let startAt { _ = try TimeOptions.duration(startAt, option: "--start-at", examples: "90m, 5h, 2d") }
        if let refresh {
            guard GatewatchConfig.refreshRange.contains(refresh) else { throw ValidationError("--refresh must be between 0.1 and 3600 seconds") }
        }
    }

    /// The config file and the theme; a bad config file ends the run with status 2, warnings go to stderr.
    func loadConfig() throws -> LoadedConfig {
        let settings: LoadedConfig
        do {
            settings = try LoadedConfig.load(path: config, environment: ProcessInfo.processInfo.environment, themeOverride: theme)
        } catch {
            Console.err("gatewatch: \(error.description)\n")
            throw ExitCode(2)
        }
        for warning in settings.allWarnings {
            Console.err("gatewatch: warning: \(warning)\n")
        }
        return settings
    }

    func storePath() -> String {
        if let store { return store }
        if ephemeral {
            return NSTemporaryDirectory() + "gatewatch-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)/demo.sqlite"
        }
        return DefaultStorePath.path(scenario: scenario.scenario)
    }

    /// One live source per release of an opened `registry` and `metrics` (this lists the registry's releases, so it
    /// waits on the registry).
    static func liveSources(_ opened: SourceOpener.Opened, pollInterval: Double, freshness: FreshnessPolicy) throws -> [any ReleaseSource] {
        let slugs: [String]
        do { slugs = try opened.registry.releaseSlugs() } catch { throw ValidationError("cannot list releases of \(opened.description): \(error)") }
        guard !slugs.isEmpty else { throw ValidationError("\(opened.description) holds no release (seed one with `gatewatch registry seed`)") }
        return slugs.map { liveSource($0, opened, pollInterval: pollInterval, freshness: freshness) }
    }

    /// The live source of one release of `opened`, on its clock.
    static func liveSource(_ slug: String, _ opened: SourceOpener.Opened, pollInterval: Double, freshness: FreshnessPolicy) -> any ReleaseSource {
        LiveSource(slug: slug, registry: opened.registry, metricsStore: opened.metrics, description: opened.description,
                   pollInterval: pollInterval, freshness: freshness, now: clock(of: slug, in: opened.registry))
    }

    /// A release the demo drives in its store runs on the demo's clock; every other one on the wall clock, carried
    /// forward by the monotonic clock from the start of the process (`SteadyClock`).
    static func clock(of slug: String, in registry: any Registry) -> @Sendable () -> Timestamp {
        guard let store = registry as? SQLiteStore, (try? store.demoClock(release: slug)) != nil else {
            return { Timestamp(SteadyClock.now()) }
        }
        return { (try? store.demoClock(release: slug)) ?? Timestamp(SteadyClock.now()) }
    }

    /// The store at `path` when it holds releases the demo does not drive (made by `gatewatch import` or another
    /// tool): shown live on the wall clock, never written by the demo's simulator. Nil for a demo store (or none).
    static func userStore(at path: String) throws -> SourceOpener.Opened? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let store = try SQLiteStore(path: path)
        let slugs = try store.releaseSlugs()
        guard !slugs.isEmpty, try slugs.contains(where: { try store.demoClockKey(release: $0) == nil }) else { return nil }
        return SourceOpener.Opened(registry: store, metrics: store, description: "store \(path)")
    }

    /// The demo sources of the scenario's members on the embedded store at `path`, advanced to where they open.
    func demoSources(_ members: [Scenario], path: String, freshness: FreshnessPolicy) throws -> [any ReleaseSource] {
        do {
            let sqlite = try SQLiteStore(path: path)
            let demos = try members.map { member in
                try DemoSource(scenario: member, store: sqlite, description: "demo \(scenario.scenario)", speed: speed, freshness: freshness)
            }
            if let offset = startAt.flatMap(DurationText.parse) {
                for (source, member) in zip(demos, members) { _ = try source.driver.advance(to: member.simulation.start + offset) }
            } else if let opensAt = members.first?.opensAt {
                // A finished story: simulate every member to the moment it opens at (a no-op when resumed).
                for source in demos { _ = try source.driver.advance(to: opensAt) }
            }
            return demos
        } catch {
            throw OpenFailure(message: "gatewatch: \(StoreFile.message(path, error))", status: 2)
        }
    }

    /// A failure to open the sources, with its message and exit status.
    struct OpenFailure: Error {
        var message: String
        var status: Int32
    }

    /// Runs `work` on a background thread while the terminal says what it is waiting for and keeps answering keys:
    /// `q`, Ctrl-C or a signal gives up (the terminal is restored and the process ends), so a registry that is slow
    /// or down never leaves the user in front of a blank, unresponsive screen.
    static func whileWaiting(on backend: CursesBackend, for what: String,
                             _ work: @escaping @Sendable () throws -> [any ReleaseSource]) throws -> [any ReleaseSource] {
        let box = OpenResult()
        let thread = Thread {
            let r = Result { try work() }
            box.result.withLockedValue { $0 = r }
        }
        thread.name = "gatewatch-open"
        thread.start()
        let began = Date()
        var shown = -1
        while true {
            let done = box.result.withLockedValue { $0 }
            if let done {
                switch done {
                case .success(let value): return value
                case .failure(let error): backend.restore(); throw error
                }
            }
            let waited = Int(Date().timeIntervalSince(began))
            if waited != shown {
                shown = waited
                var canvas = Canvas(width: backend.size.width, height: backend.size.height)
                canvas.write("gatewatch — \(what)…" + (waited > 0 ? " \(waited)s" : ""), x: 1, y: 1, style: Theme.default.style("text.dim"))
                canvas.write("q quits", x: 1, y: 3, style: Theme.default.style("text.dim"))
                backend.present(canvas)
            }
            if let signal = SignalWatcher.takePendingSignal() {
                backend.restore()
                throw ExitCode(signal == SIGHUP || signal == SIGQUIT ? SignalWatcher.exitStatus(for: signal) : 0)
            }
            if let key = backend.readKey(timeoutMilliseconds: 10), key == .character("q") || key == .control("c") {
                backend.restore()
                throw ExitCode.success
            }
        }
    }

    func run() throws {
        // The terminal is checked before anything else, so a pipe or a dumb terminal gets one clear line.
        if let problem = TerminalCheck.checkProcess() {
            Console.err(problem.message + "\n")
            throw ExitCode(TerminalProblem.exitStatus)
        }
        let settings = try loadConfig()
        let path = storePath()
        var opened: SourceOpener.Opened?
        do { opened = try SourceOpener.open(registry: settings.registry, metrics: settings.metrics) } catch { throw ValidationError("\(error)") }
        if opened == nil, store != nil, !reset, !ephemeral {
            do { opened = try Self.userStore(at: path) } catch { throw ValidationError("cannot open the store at \(path): \(error)") }
        }
        let members = opened == nil ? try scenario.loadAll() : []
        if let startAt, opened == nil { _ = try TimeOptions.simulatedDuration(startAt, option: "--start-at", in: members) }
        if opened == nil && (reset || ephemeral) {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        defer {
            if ephemeral { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        }

        let backend: CursesBackend
        do {
            backend = try CursesBackend()
        } catch {
            Console.err(error.message + "\n")
            throw ExitCode(TerminalProblem.exitStatus)
        }
        let sources: [any ReleaseSource]
        let pollInterval = refresh ?? settings.refresh ?? 1
        let freshness = settings.freshnessPolicy(pollInterval: pollInterval)
        do {
            let this = self
            if let opened {
                sources = try Self.whileWaiting(on: backend, for: "reading the releases of \(opened.description)") {
                    try Self.liveSources(opened, pollInterval: pollInterval, freshness: freshness)
                }
            } else {
                sources = try Self.whileWaiting(on: backend, for: "opening the demo store") { try this.demoSources(members, path: path, freshness: freshness) }
            }
        } catch let failure as OpenFailure {
            Console.err(failure.message + "\n")
            throw ExitCode(failure.status)
        }
        let alerts: (any AlertSource)?
        do { alerts = try settings.alertSource() } catch {
            backend.restore()
            throw ValidationError("\(error)")
        }
        let poller = Poller(sources: sources, interval: pollInterval)
        // Ends the silences of ended episodes and shows what Alertmanager holds, in the rules panel's title.
        poller.alerts = alerts.map { AlertWatch(source: $0) }
        if let opened {
            // Releases created after the dashboard started appear on their own (`:release NAME` finds them too).
            poller.discover = { known in
                try opened.registry.releaseSlugs().filter { !known.contains($0) }
                    .map { Self.liveSource($0, opened, pollInterval: pollInterval, freshness: freshness) }
            }
        }
        // A scenario that opens on its review needs its history before the first frame; otherwise the terminal
        // starts at once and the poller's first poll (which may be slow, or hang) fills it in.
        let openReview = review ?? (sources.first as? DemoSource)?.driver.scenario.opensReview
        if openReview != nil { poller.pollOnce() }
        poller.start()
        // NO_COLOR is already applied by the loader; a terminal without colours gets the colourless variant too.
        let startTheme = backend.colorCount == 0 ? settings.theme.forNoColor() : settings.theme
        var model = AppModel(keys: settings.keys)
        model.expectedReleases = sources.count
        let themePaths = ThemeLoader.defaultSearchPaths()
        let noColor = backend.colorCount == 0
        model.loadTheme = { name in
            let found = ThemeLoader.resolve(name: name, searchPaths: themePaths)
            return (noColor ? found.theme?.forNoColor() : found.theme, found.message)
        }
        model.themeNames = { ThemeLoader.available(searchPaths: themePaths) }
        let registry = sources[0].registry
        // Who acts is the registry's answer; --as (or the config's operator.role) may only lower the role.
        let identity = IdentityResolver.identity(registry, release: sources[0].slug)
        let sessionReadOnly = readOnly || registry.readOnlyReason != nil
        model.identity = identity
        model.readOnly = sessionReadOnly
        do {
            var asked = try IdentityResolver.askedRole(role)
            // The config's operator.role lowers like --as; one above the granted role is said and left out.
            if asked == nil, let configured = settings.role, let granted = identity.role {
                if granted.lowered(to: configured) == nil {
                    Console.err("gatewatch: warning: the config's operator.role \(configured.rawValue) is above your role (\(granted.rawValue), \(identity.source)); acting as \(granted.rawValue)\n")
                } else {
                    asked = configured
                }
            }
            model.actor = identity.role == nil ? nil
                : try IdentityResolver.actingOperator(identity, asking: asked, displayName: settings.operatorName, readOnly: sessionReadOnly)
        } catch {
            poller.stop()
            backend.restore()
            Console.err("gatewatch: \(error)\n")
            throw ExitCode(10)
        }
        let demoMetrics = (sources[0] as? DemoSource)?.metricsStore
        let (registrySettings, metricsSettings) = (settings.registry, settings.metrics)
        model.reviewLoader = { slug in
            // The review reads the whole history through its own connection, so the live poller's incremental
            // state (cursors, counter-reset offsets) is never rewound by it.
            guard let metricsStore = demoMetrics ?? (try? SourceOpener.open(registry: registrySettings, metrics: metricsSettings))?.metrics,
                  let release = try? registry.release(slug), let events = try? registry.auditEvents(release: slug),
                  let samples = try? metricsStore.samples(release: slug, after: nil, through: poller.simulatedNow()) else { return nil }
            return ReleaseHistory(release: release, events: events, metrics: MetricSeriesSet(samples), end: poller.simulatedNow())
        }
        model.reviewEventsLoader = { slug in try? registry.auditEvents(release: slug) }
        // A scenario that tells a finished story opens on its review (unless the user asked for another release).
        if let review = openReview {
            model.update(poller.take() ?? [])
            model.openReview(review)
            if model.screen != .review {
                backend.restore()
                throw ValidationError(model.message ?? "cannot open the review of \(review)")
            }
        }
        var loop = AppLoop(model: model, theme: startTheme, interrupted: { SignalWatcher.takePendingSignal() })
        let actions = ActionLayer(registry: sources[0].registry, hooks: settings.hookRunner(), alerts: alerts)
        let actor = model.actor ?? Operator(name: identity.name, role: .reviewer, readOnly: true)
        loop.perform = { action, reason, analysis, phase in
            var layer = actions
            layer.hooks.onStart = phase
            return layer.perform(action, analysis: analysis, by: actor, reason: reason, at: poller.simulatedNow())
        }
        loop.refuse = { action, why, analysis in
            actions.refuse(action, why: why, analysis: analysis, by: actor, at: poller.simulatedNow())
        }
        let signal = loop.run(screen: CursesScreen(backend), poller: poller)
        poller.stop()
        backend.restore()
        if let signal, signal == SIGHUP || signal == SIGQUIT {
            throw ExitCode(SignalWatcher.exitStatus(for: signal))
        }
    }
}

/// Adapts the ncurses backend to the app's `TerminalScreen`.
final class CursesScreen: TerminalScreen {
    let backend: CursesBackend
    init(_ backend: CursesBackend) { self.backend = backend }
    var size: (width: Int, height: Int) { backend.size }
    var unicode: Bool { backend.unicode }
    @discardableResult func present(_ canvas: Canvas) -> Int { backend.present(canvas) }
    func readKey(timeoutMilliseconds: Int) -> Key? { backend.readKey(timeoutMilliseconds: timeoutMilliseconds) }
    func invalidate() { backend.invalidate() }
}

/// The outcome of opening the sources, handed from the thread that opens them to the UI thread.
private final class OpenResult: Sendable {
    let result = NIOLockedValueBox<Result<[any ReleaseSource], any Error>?>(nil)
}
