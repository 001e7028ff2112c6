import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real Prometheus (Debian's 2.42, extracted by `.ci/fetch-prometheus`) on 127.0.0.1, seeded by backfilling
/// OpenMetrics documents with `promtool tsdb create-blocks-from openmetrics`, in its own temporary directory.
///
/// The binary is `$PROMETHEUS`, else `prometheus` next to `$PROMTOOL`, else `.tools/prometheus/root/usr/bin/prometheus`.
/// Tests that need it are enabled when it exists or when `CI=true`; under CI a missing binary makes them fail.
/// The server keeps its data for 100 years (`--storage.tsdb.retention.time`), so backfilled samples weeks or months
/// in the past stay queryable. `stop()` (also run on deinit) kills the server and removes the directory: call it in a
/// `defer`.
public final class PrometheusServer: @unchecked Sendable {
    public static var environment: [String: String] { ProcessInfo.processInfo.environment }
    public static var isCI: Bool { TestProcesses.isCI }

    public static var repositoryRoot: URL { TestProcesses.repositoryRoot }

    /// The prometheus binary, if one is found. An explicit `PROMETHEUS` is used or reported missing, never replaced.
    public static var binary: String? {
        if let p = environment["PROMETHEUS"], !p.isEmpty { return FileManager.default.isExecutableFile(atPath: p) ? p : nil }
        var candidates: [String] = []
        if let t = environment["PROMTOOL"], !t.isEmpty {
            candidates.append(URL(fileURLWithPath: t).deletingLastPathComponent().appendingPathComponent("prometheus").path)
        }
        candidates.append(repositoryRoot.appendingPathComponent(".tools/prometheus/root/usr/bin/prometheus").path)
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) { return found }
        // Not installed yet: the project's installer fetches it (once per test process).
        guard let tool = TestProcesses.fetchedTool("fetch-prometheus") else { return nil }
        let fetched = URL(fileURLWithPath: tool).deletingLastPathComponent().appendingPathComponent("prometheus").path
        return FileManager.default.isExecutableFile(atPath: fetched) ? fetched : nil
    }

    /// Why no binary was found.
    public static var missingBinary: String {
        if let p = environment["PROMETHEUS"], !p.isEmpty { return "PROMETHEUS=\(p) is not an executable file" }
        return "no prometheus binary: run .ci/fetch-prometheus, or set PROMETHEUS or PROMTOOL"
    }

    /// promtool: `$PROMTOOL`, else next to the prometheus binary.
    public static var promtool: String? {
        var candidates: [String] = []
        if let t = environment["PROMTOOL"], !t.isEmpty { candidates.append(t) }
        if let b = binary { candidates.append(URL(fileURLWithPath: b).deletingLastPathComponent().appendingPathComponent("promtool").path) }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Whether the tests run: always. A missing binary is fetched by `.ci/fetch-prometheus` at first use, and a test
    /// whose server cannot be had fails instead of being skipped (the README's one test command runs everything).
    public static var enabled: Bool { true }
    public static let skipReason: Comment = "no prometheus binary (run .ci/fetch-prometheus, or set PROMETHEUS or PROMTOOL)"

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    public let directory: URL
    /// Seconds spent backfilling with promtool, and from launch to the first ready `/-/ready`.
    public private(set) var backfillSeconds: Double = 0
    public private(set) var startSeconds: Double = 0
    private let server: ServerProcess

    public var port: Int { server.port }
    public var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Backfills `openMetrics` (if any) and starts the server; returns once `/-/ready` answers 200.
    public static func start(openMetrics: String?) throws -> PrometheusServer {
        try start(backfilling: openMetrics.map { [$0] } ?? [])
    }

    /// Backfills each document in turn into one TSDB (several releases can share it: each document becomes blocks of
    /// its own, and Prometheus reads overlapping blocks together), then starts the server once `/-/ready` answers.
    public static func start(backfilling documents: [String]) throws -> PrometheusServer {
        guard let binary else { throw Failure(description: "CI=true, but \(missingBinary)") }
        let directory = try TestProcesses.temporaryDirectory(prefix: "gatewatch-prometheus")
        let data = directory.appendingPathComponent("data")
        let began = Date()
        if !documents.isEmpty {
            guard let promtool else {
                TestProcesses.removeDirectory(directory)
                throw Failure(description: "no promtool next to \(binary) and PROMTOOL is not set")
            }
            for (i, document) in documents.enumerated() {
                let file = directory.appendingPathComponent("seed-\(i).om")
                try document.write(to: file, atomically: true, encoding: .utf8)
                let result = try run(promtool, ["tsdb", "create-blocks-from", "openmetrics", file.path, data.path])
                guard result.status == 0 else {
                    TestProcesses.removeDirectory(directory)
                    throw Failure(description: "promtool backfill of document \(i + 1) failed (\(result.status)):\n\(result.output)")
                }
                try? FileManager.default.removeItem(at: file)
            }
        }
        let config = directory.appendingPathComponent("prometheus.yml")
        try "global:\n  scrape_interval: 1m\n".write(to: config, atomically: true, encoding: .utf8)
        let server = PrometheusServer(directory: directory, port: try freePort())
        server.backfillSeconds = Date().timeIntervalSince(began)
        try server.launch(binary: binary, config: config, data: data)
        return server
    }

    private init(directory: URL, port: Int) {
        self.directory = directory
        server = ServerProcess(name: "prometheus", port: port, log: directory.appendingPathComponent("prometheus.log"))
    }

    deinit { stop() }

    private func launch(binary: String, config: URL, data: URL) throws {
        startSeconds = try server.launch(binary, ["--config.file=\(config.path)", "--storage.tsdb.path=\(data.path)",
                                                  "--storage.tsdb.retention.time=100y", "--web.listen-address=127.0.0.1:\(port)"],
                                         readyPath: "/-/ready")
    }

    /// The server's log so far.
    public func logText() -> String { server.logText() }

    /// Kills the server (SIGTERM, then SIGKILL after 5 s) and waits for it; removes the directory. Idempotent.
    public func stop() {
        server.stop()
        TestProcesses.removeDirectory(directory)
    }

    /// Runs a tool and returns its exit status with stdout and stderr together.
    public static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try TestProcesses.run(executable, arguments)
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, read back, closed).
    public static func freePort() throws -> Int { try TestProcesses.freePort() }
}

/// A TCP listener on 127.0.0.1 that never accepts: the kernel completes connections into the backlog, so a client
/// connects, sends its request and waits for an answer that never comes.
public final class SilentListener: @unchecked Sendable {
    private var fd: Int32
    public let port: Int

    public init() throws {
        let (fd, port) = try TestProcesses.boundSocket()
        guard listen(fd, 16) == 0 else {
            let e = errno
            TestProcesses.closeDescriptor(fd)
            throw PrometheusServer.Failure(description: "listen on 127.0.0.1 failed: errno \(e)")
        }
        self.fd = fd
        self.port = port
    }

    public func close() {
        if fd >= 0 {
            TestProcesses.closeDescriptor(fd)
            fd = -1
        }
    }

    deinit { close() }
}
