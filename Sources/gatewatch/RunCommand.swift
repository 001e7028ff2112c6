import ArgumentParser
import Foundation
import GatewatchApp
import GatewatchCore
import GatewatchStores
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

    @Flag(help: "Start the demo over (deletes the demo store of this scenario first).") var reset = false

    @Option(help: "Seconds between polls.") var refresh: Double = 1

    func validate() throws {
        guard speed > 0, speed <= 100_000, speed.isFinite else { throw ValidationError("--speed must be between 0 and 100000") }
        guard refresh >= 0.1, refresh <= 3600 else { throw ValidationError("--refresh must be between 0.1 and 3600 seconds") }
    }

    func storePath() -> String {
        if let store { return store }
        if ephemeral {
            return NSTemporaryDirectory() + "gatewatch-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)/demo.sqlite"
        }
        let env = ProcessInfo.processInfo.environment
        let dataHome = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.local/share")
        return dataHome + "/gatewatch/demo-\(scenario.scenario).sqlite"
    }

    func run() throws {
        // The terminal is checked before anything else, so a pipe or a dumb terminal gets one clear line.
        if let problem = TerminalCheck.checkProcess() {
            FileHandle.standardError.write(Data((problem.message + "\n").utf8))
            throw ExitCode(TerminalProblem.exitStatus)
        }
        let loaded = try scenario.load()
        let path = storePath()
        if reset || ephemeral {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        defer {
            if ephemeral { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        }
        let source: DemoSource
        do {
            let sqlite = try SQLiteStore(path: path)
            source = try DemoSource(scenario: loaded, store: sqlite, description: "demo \(loaded.name)", speed: speed)
        } catch {
            FileHandle.standardError.write(Data("gatewatch: cannot open the embedded store at \(path): \(error)\n".utf8))
            throw ExitCode(1)
        }
        let poller = Poller(source: source, interval: refresh)
        poller.pollOnce()

        let backend: CursesBackend
        do {
            backend = try CursesBackend()
        } catch {
            FileHandle.standardError.write(Data((error.message + "\n").utf8))
            throw ExitCode(TerminalProblem.exitStatus)
        }
        poller.start()
        let theme = ProcessInfo.processInfo.environment["NO_COLOR"].map { _ in Theme.default.withoutColor() } ?? Theme.default
        var loop = AppLoop(theme: theme, interrupted: { SignalWatcher.takePendingSignal() })
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
