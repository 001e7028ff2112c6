import Foundation

/// One server binary run for a test on 127.0.0.1: its output in a log file in the server's own directory, ready once
/// an HTTP path answers 200, stopped (SIGTERM, then SIGKILL) by `stop()`. The Prometheus, VictoriaMetrics and
/// Alertmanager test servers each hold one.
public final class ServerProcess: @unchecked Sendable {
    public let name: String
    public let port: Int
    public let log: URL
    private var process: Process?
    private let lock = NSLock()

    public var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    public init(name: String, port: Int, log: URL) {
        self.name = name
        self.port = port
        self.log = log
    }

    /// Starts `binary` with `arguments`; returns the seconds until `readyPath` answered 200. If it never does within
    /// `timeout` (or the process ends), stops it and throws with the end of its log.
    @discardableResult
    public func launch(_ binary: String, _ arguments: [String], readyPath: String, timeout: TimeInterval = 20) throws -> Double {
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        p.standardOutput = output
        p.standardError = output
        p.standardInput = FileHandle.nullDevice
        let began = Date()
        try p.run()
        lock.withLock { process = p }
        if TestProcesses.waitForHTTP(url, path: readyPath, timeout: timeout, giveUp: { !p.isRunning }) {
            return Date().timeIntervalSince(began)
        }
        let text = logText()
        stop()
        throw PrometheusServer.Failure(description: "\(name) on port \(port) did not become ready; its log ends:\n" + text.suffix(3000))
    }

    /// The server's log so far.
    public func logText() -> String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Kills the server and waits for it. Idempotent.
    public func stop() {
        let p = lock.withLock { () -> Process? in
            defer { process = nil }
            return process
        }
        if let p { TestProcesses.terminate(p) }
    }
}
