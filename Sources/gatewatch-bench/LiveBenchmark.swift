import ArgumentParser
import Foundation

/// `gatewatch-bench live`: the `gatewatch` executable (built next to this one) run in a pseudo-terminal as a user
/// runs it: time from launch to the first frame on the terminal, CPU used while it sits idle refreshing once a
/// second, and its peak resident memory.
struct LiveBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "live",
        abstract: "Start gatewatch in a pseudo-terminal: start-up to first frame, idle CPU, peak memory.")

    @Option(help: "Scenario to open.") var scenario = "fraud-canary-healthy"
    @Option(help: "Text of the first frame that marks it as shown.") var marker = "fraud-scoring-v8"
    @Option(help: "Start-ups to time (each on a fresh store).") var runs = 5
    @Option(help: "Seconds of idle CPU measurement.") var seconds = 10.0
    @Option(help: "Terminal size, as COLSxROWS.") var size = "200x60"

    func validate() throws {
        guard runs > 0, seconds > 0 else { throw ValidationError("--runs and --seconds must be positive") }
        guard parseSize(size) != nil else { throw ValidationError("--size must look like 200x60") }
    }

    func run() throws {
        let r = try Self.measure(scenario: scenario, marker: marker, runs: runs, seconds: seconds, size: parseSize(size)!)
        print("gatewatch-bench live: gatewatch run --scenario \(scenario) --ephemeral --speed 1 --refresh 1 in a \(size) pseudo-terminal")
        print(header())
        print(row("start-up to first frame (ms)", r.startup))
        print("idle CPU at 1 s refresh (%)".padding(toLength: 40, withPad: " ", startingAt: 0) + String(format: "%.2f", r.idleCPU) + "  over \(f(seconds)) s")
        print("bytes written while idle (per second)".padding(toLength: 40, withPad: " ", startingAt: 0) + f(r.idleBytesPerSecond))
        print("peak resident memory (MB)".padding(toLength: 40, withPad: " ", startingAt: 0) + f(r.peakMB))
        print("{\"benchmark\":\"live\",\"scenario\":\"\(scenario)\",\"runs\":\(runs),\"startup_ms\":\(json(r.startup)),"
              + "\"idle_cpu_percent\":\(String(format: "%.2f", r.idleCPU)),\"idle_bytes_per_second\":\(f(r.idleBytesPerSecond)),\"peak_rss_mb\":\(f(r.peakMB))}")
    }

    struct Result {
        var startup: (median: Double, min: Double, max: Double)
        var idleCPU: Double
        var idleBytesPerSecond: Double
        var peakMB: Double
    }

    /// The `gatewatch` executable beside this one.
    static func executable() throws -> URL {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let url = (Bundle.main.executableURL?.deletingLastPathComponent() ?? here).appendingPathComponent("gatewatch")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw BenchError("no gatewatch executable at \(url.path); build both with `swift build -c release`")
        }
        return url
    }

    /// A running `gatewatch` on its own pseudo-terminal.
    final class Session {
        let process = Process()
        let terminal: PseudoTerminal
        let home: URL

        convenience init(scenario: String, size: (width: Int, height: Int)) throws {
            try self.init(arguments: ["run", "--scenario", scenario, "--ephemeral", "--speed", "1", "--refresh", "1"], size: size)
        }

        init(arguments: [String], size: (width: Int, height: Int)) throws {
            terminal = try PseudoTerminal()
            home = FileManager.default.temporaryDirectory.appendingPathComponent("gw-bench-live-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            guard let tty = FileHandle(forUpdatingAtPath: terminal.slavePath) else { throw BenchError("cannot open \(terminal.slavePath)") }
            process.executableURL = try LiveBenchmark.executable()
            process.arguments = arguments
            process.currentDirectoryURL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            var environment = ProcessInfo.processInfo.environment
            environment["TERM"] = "xterm-256color"
            environment["COLUMNS"] = String(size.width)
            environment["LINES"] = String(size.height)
            environment["XDG_CONFIG_HOME"] = home.path
            environment["XDG_DATA_HOME"] = home.path
            environment["LANG"] = "C.UTF-8"
            process.environment = environment
            process.standardInput = tty
            process.standardOutput = tty
            process.standardError = tty
        }

        func start() throws { try process.run() }

        /// CPU seconds (user + system) the process has used so far.
        var cpuSeconds: Double? {
            guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            // After the command: state is field 3, utime and stime are fields 14 and 15.
            guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
            return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
        }

        /// Peak resident memory (VmHWM) in MB.
        var peakMB: Double? {
            guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
                  let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
                  let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
            return kb / 1024
        }

        /// Quits with `q` (killing it if it does not go within five seconds) and removes its files.
        func stop() {
            if process.isRunning { terminal.type("q") }
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
            try? FileManager.default.removeItem(at: home)
        }
    }

    static func measure(scenario: String, marker: String, runs: Int, seconds: Double, size: (width: Int, height: Int)) throws -> Result {
        var startups: [Double] = []
        var idle = 0.0, bytesPerSecond = 0.0, peak = 0.0
        for run in 0..<runs {
            let session = try Session(scenario: scenario, size: size)
            defer { session.stop() }
            let t0 = DispatchTime.now().uptimeNanoseconds
            try session.start()
            guard session.terminal.wait(for: marker, limit: 30) else {
                let shown = String(decoding: session.terminal.bytes.suffix(400), as: UTF8.self)
                throw BenchError("no first frame showing '\(marker)' within 30 s; the terminal got: \(shown.debugDescription)")
            }
            startups.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            guard run == runs - 1 else { continue }
            // The last run stays open: let it settle, then measure it sitting idle.
            Thread.sleep(forTimeInterval: 2)
            guard let cpu0 = session.cpuSeconds else { throw BenchError("cannot read the CPU time of gatewatch") }
            let bytes0 = session.terminal.count
            let w0 = Date()
            Thread.sleep(forTimeInterval: seconds)
            guard let cpu1 = session.cpuSeconds else { throw BenchError("gatewatch exited while idle") }
            let elapsed = Date().timeIntervalSince(w0)
            idle = (cpu1 - cpu0) / elapsed * 100
            bytesPerSecond = Double(session.terminal.count - bytes0) / elapsed
            peak = session.peakMB ?? .nan
        }
        return Result(startup: summary(startups), idleCPU: idle, idleBytesPerSecond: bytesPerSecond, peakMB: peak)
    }
}
