import Foundation
import GatewatchCore
import Testing
@testable import GatewatchStores
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real Prometheus (Debian's 2.42, extracted by `.ci/fetch-prometheus`) on 127.0.0.1, seeded by backfilling an
/// OpenMetrics document with `promtool tsdb create-blocks-from openmetrics`, in its own temporary directory.
///
/// The binary is `$PROMETHEUS`, else `prometheus` next to `$PROMTOOL`, else `.tools/prometheus/root/usr/bin/prometheus`.
/// Tests that need it are enabled when it exists or when `CI=true`; under CI a missing binary makes them fail.
/// `stop()` (also run on deinit) kills the server and removes the directory: call it in a `defer`.
final class PrometheusServer: @unchecked Sendable {
    static let environment = ProcessInfo.processInfo.environment
    static var isCI: Bool { environment["CI"] == "true" }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The prometheus binary, if one is found. An explicit `PROMETHEUS` is used or reported missing, never replaced.
    static var binary: String? {
        if let p = environment["PROMETHEUS"], !p.isEmpty { return FileManager.default.isExecutableFile(atPath: p) ? p : nil }
        var candidates: [String] = []
        if let t = environment["PROMTOOL"], !t.isEmpty {
            candidates.append(URL(fileURLWithPath: t).deletingLastPathComponent().appendingPathComponent("prometheus").path)
        }
        candidates.append(repositoryRoot.appendingPathComponent(".tools/prometheus/root/usr/bin/prometheus").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Why no binary was found.
    static var missingBinary: String {
        if let p = environment["PROMETHEUS"], !p.isEmpty { return "PROMETHEUS=\(p) is not an executable file" }
        return "no prometheus binary: run .ci/fetch-prometheus, or set PROMETHEUS or PROMTOOL"
    }

    /// promtool: `$PROMTOOL`, else next to the prometheus binary.
    static var promtool: String? {
        var candidates: [String] = []
        if let t = environment["PROMTOOL"], !t.isEmpty { candidates.append(t) }
        if let b = binary { candidates.append(URL(fileURLWithPath: b).deletingLastPathComponent().appendingPathComponent("promtool").path) }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Whether the tests run: a binary exists, or CI requires them (and they fail without one).
    static var enabled: Bool { binary != nil || isCI }
    static let skipReason: Comment = "no prometheus binary (run .ci/fetch-prometheus, or set PROMETHEUS or PROMTOOL)"

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let directory: URL
    let port: Int
    private var process: Process?
    private let log: URL

    var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Backfills `openMetrics` (if any) and starts the server; returns once `/-/ready` answers 200.
    static func start(openMetrics: String?) throws -> PrometheusServer {
        guard let binary else { throw Failure(description: "CI=true, but \(missingBinary)") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatewatch-prometheus-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let data = directory.appendingPathComponent("data")
        if let openMetrics {
            guard let promtool else { throw Failure(description: "no promtool next to \(binary) and PROMTOOL is not set") }
            let file = directory.appendingPathComponent("seed.om")
            try openMetrics.write(to: file, atomically: true, encoding: .utf8)
            let result = try run(promtool, ["tsdb", "create-blocks-from", "openmetrics", file.path, data.path])
            guard result.status == 0 else {
                try? FileManager.default.removeItem(at: directory)
                throw Failure(description: "promtool backfill failed (\(result.status)):\n\(result.output)")
            }
        }
        let config = directory.appendingPathComponent("prometheus.yml")
        try "global:\n  scrape_interval: 1m\n".write(to: config, atomically: true, encoding: .utf8)
        let server = PrometheusServer(directory: directory, port: try freePort())
        try server.launch(binary: binary, config: config, data: data)
        return server
    }

    private init(directory: URL, port: Int) {
        self.directory = directory
        self.port = port
        log = directory.appendingPathComponent("prometheus.log")
    }

    deinit { stop() }

    private func launch(binary: String, config: URL, data: URL) throws {
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["--config.file=\(config.path)", "--storage.tsdb.path=\(data.path)",
                       "--web.listen-address=127.0.0.1:\(port)"]
        p.standardOutput = output
        p.standardError = output
        p.standardInput = FileHandle.nullDevice
        try p.run()
        process = p
        let probe = try HTTPConnection(baseURL: url, timeout: 1)
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if !p.isRunning { break }
            if let r = try? probe.get("/-/ready"), r.status == 200 { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        stop()
        throw Failure(description: "prometheus on port \(port) did not become ready; its log ends:\n" + text.suffix(3000))
    }

    /// Kills the server (SIGTERM, then SIGKILL after 5 s) and waits for it; removes the directory. Idempotent.
    func stop() {
        if let p = process {
            process = nil
            if p.isRunning {
                p.terminate()
                let deadline = Date().addingTimeInterval(5)
                while p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
                if p.isRunning { kill(p.processIdentifier, SIGKILL) }
            }
            p.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs a tool and returns its exit status with stdout and stderr together.
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, read back, closed).
    static func freePort() throws -> Int {
        let listener = try SilentListener()
        defer { listener.close() }
        return listener.port
    }
}

/// A TCP listener on 127.0.0.1 that never accepts: the kernel completes connections into the backlog, so a client
/// connects, sends its request and waits for an answer that never comes.
final class SilentListener: @unchecked Sendable {
    private var fd: Int32
    let port: Int

    init() throws {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw PrometheusServer.Failure(description: "socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            let e = errno
            Self.closeDescriptor(fd)
            throw PrometheusServer.Failure(description: "bind/listen on 127.0.0.1 failed: errno \(e)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() {
        if fd >= 0 {
            Self.closeDescriptor(fd)
            fd = -1
        }
    }

    private static func closeDescriptor(_ fd: Int32) {
        #if canImport(Glibc)
        _ = Glibc.close(fd)
        #else
        _ = Darwin.close(fd)
        #endif
    }

    deinit { close() }
}
