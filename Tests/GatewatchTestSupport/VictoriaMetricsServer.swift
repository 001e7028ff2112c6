import Foundation
import GatewatchHTTP

/// A real single-node VictoriaMetrics (Debian's 1.79, extracted by `.ci/fetch-victoria-metrics`) on 127.0.0.1, seeded
/// through its import API with the same OpenMetrics documents a `PrometheusServer` backfills, in its own temporary
/// directory.
///
/// The binary is `$VICTORIA_METRICS`, else `.tools/victoria-metrics/root/usr/bin/victoria-metrics`, installed at first
/// use. Seeding: each document goes to `POST /api/v1/import/prometheus` (the Prometheus text format, which takes
/// timestamps in milliseconds: the documents' seconds are multiplied by 1000 and the comment lines left out), then
/// `/internal/force_flush` makes it searchable at once. Data is kept for 100 years (`-retentionPeriod`), so samples
/// weeks in the past stay queryable. `stop()` (also run on deinit) kills the server and removes the directory.
public final class VictoriaMetricsServer: @unchecked Sendable {
    /// The binary, if one is found or can be installed. An explicit `VICTORIA_METRICS` is used or reported missing.
    public static var binary: String? {
        let environment = ProcessInfo.processInfo.environment
        if let p = environment["VICTORIA_METRICS"], !p.isEmpty { return FileManager.default.isExecutableFile(atPath: p) ? p : nil }
        let local = TestProcesses.repositoryRoot.appendingPathComponent(".tools/victoria-metrics/root/usr/bin/victoria-metrics").path
        if FileManager.default.isExecutableFile(atPath: local) { return local }
        return TestProcesses.fetchedTool("fetch-victoria-metrics")
    }

    public let directory: URL
    /// Seconds from launch to a healthy `/health`, and spent importing.
    public private(set) var startSeconds: Double = 0
    public private(set) var importSeconds: Double = 0
    private let server: ServerProcess

    public var port: Int { server.port }
    public var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Starts the server and imports `documents` (OpenMetrics, as `gatewatch export-openmetrics` writes them).
    public static func start(importing documents: [String]) throws -> VictoriaMetricsServer {
        guard let binary else {
            throw PrometheusServer.Failure(description: "no victoria-metrics binary: run .ci/fetch-victoria-metrics, or set VICTORIA_METRICS")
        }
        let directory = try TestProcesses.temporaryDirectory(prefix: "gatewatch-victoria-metrics")
        let server = VictoriaMetricsServer(directory: directory, port: try TestProcesses.freePort())
        try server.launch(binary: binary)
        do {
            let began = Date()
            let connection = try HTTPConnection(baseURL: server.url, timeout: 120)
            for (i, document) in documents.enumerated() {
                let response = try connection.post("/api/v1/import/prometheus", json: Data(prometheusText(document).utf8))
                guard response.status == 204 || response.status == 200 else {
                    throw PrometheusServer.Failure(description: "VictoriaMetrics refused document \(i + 1): HTTP \(response.status) "
                        + String(decoding: response.body.prefix(500), as: UTF8.self))
                }
            }
            let flush = try connection.get("/internal/force_flush")
            guard flush.status == 200 else { throw PrometheusServer.Failure(description: "force_flush answered HTTP \(flush.status)") }
            server.importSeconds = Date().timeIntervalSince(began)
        } catch {
            let text = server.logText()
            server.stop()
            throw PrometheusServer.Failure(description: "seeding VictoriaMetrics failed: \(error); its log ends:\n" + text.suffix(2000))
        }
        return server
    }

    /// An OpenMetrics document as the Prometheus text format with millisecond timestamps (comments left out).
    public static func prometheusText(_ document: String) -> String {
        var out = ""
        out.reserveCapacity(document.utf8.count + document.utf8.count / 10)
        for line in document.split(separator: "\n") where !line.hasPrefix("#") {
            // `name{labels} value timestamp`: the timestamp is the last field (label values never hold a line break).
            if let space = line.lastIndex(of: " "), line[line.index(after: space)...].allSatisfy(\.isNumber) {
                out += line + "000\n"
            } else {
                out += line + "\n"
            }
        }
        return out
    }

    private init(directory: URL, port: Int) {
        self.directory = directory
        server = ServerProcess(name: "victoria-metrics", port: port, log: directory.appendingPathComponent("victoria-metrics.log"))
    }

    deinit { stop() }

    private func launch(binary: String) throws {
        startSeconds = try server.launch(binary, ["-storageDataPath=\(directory.appendingPathComponent("data").path)",
                                                  "-httpListenAddr=127.0.0.1:\(port)", "-retentionPeriod=100y", "-loggerLevel=WARN"],
                                         readyPath: "/health")
    }

    /// The server's log so far.
    public func logText() -> String { server.logText() }

    /// Kills the server (SIGTERM, then SIGKILL after 5 s) and waits for it; removes the directory. Idempotent.
    public func stop() {
        server.stop()
        TestProcesses.removeDirectory(directory)
    }
}
