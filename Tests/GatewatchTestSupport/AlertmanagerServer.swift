import Foundation
import GatewatchHTTP

/// A real Alertmanager (Debian's 0.25, extracted by `.ci/fetch-alertmanager`) on 127.0.0.1, without clustering, with
/// one receiver that sends nothing, in its own temporary directory.
///
/// The binary is `$ALERTMANAGER`, else `.tools/alertmanager/root/usr/bin/prometheus-alertmanager`, installed at first
/// use. `push(_:)` posts alerts as Prometheus would. `stop()` (also run on deinit) kills it and removes the directory.
public final class AlertmanagerServer: @unchecked Sendable {
    public static var binary: String? {
        let environment = ProcessInfo.processInfo.environment
        if let p = environment["ALERTMANAGER"], !p.isEmpty { return FileManager.default.isExecutableFile(atPath: p) ? p : nil }
        let local = TestProcesses.repositoryRoot.appendingPathComponent(".tools/alertmanager/root/usr/bin/prometheus-alertmanager").path
        // The installer also puts the notification templates where Debian's build reads them: run it whenever they are missing.
        if FileManager.default.isExecutableFile(atPath: local), FileManager.default.fileExists(atPath: "/usr/share/prometheus/alertmanager/default.tmpl") {
            return local
        }
        return TestProcesses.fetchedTool("fetch-alertmanager")
    }

    public let directory: URL
    private let server: ServerProcess

    public var port: Int { server.port }
    public var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    public static func start() throws -> AlertmanagerServer {
        guard let binary else {
            throw PrometheusServer.Failure(description: "no alertmanager binary: run .ci/fetch-alertmanager, or set ALERTMANAGER")
        }
        let directory = try TestProcesses.temporaryDirectory(prefix: "gatewatch-alertmanager")
        let config = directory.appendingPathComponent("alertmanager.yml")
        try "route:\n  receiver: \"null\"\n  group_wait: 1s\nreceivers:\n  - name: \"null\"\n".write(to: config, atomically: true, encoding: .utf8)
        let server = AlertmanagerServer(directory: directory, port: try TestProcesses.freePort())
        try server.launch(binary: binary, config: config)
        return server
    }

    private init(directory: URL, port: Int) {
        self.directory = directory
        server = ServerProcess(name: "alertmanager", port: port, log: directory.appendingPathComponent("alertmanager.log"))
    }

    deinit { stop() }

    private func launch(binary: String, config: URL) throws {
        try server.launch(binary, ["--config.file=\(config.path)", "--storage.path=\(directory.appendingPathComponent("data").path)",
                                   "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=", "--log.level=warn"],
                          readyPath: "/-/ready")
    }

    /// Posts firing alerts (label sets), as Prometheus does, starting at `startsAt` (seconds).
    public func push(_ alerts: [[String: String]], startsAt: Int64) throws {
        let connection = try HTTPConnection(baseURL: url, timeout: 10)
        let iso = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(startsAt)))
        let body = try JSONSerialization.data(withJSONObject: alerts.map { ["labels": $0, "startsAt": iso] as [String: Any] })
        let response = try connection.post("/api/v2/alerts", json: body)
        guard response.status == 200 else { throw PrometheusServer.Failure(description: "pushing alerts: HTTP \(response.status)") }
    }

    public func logText() -> String { server.logText() }

    /// Kills the server (SIGTERM, then SIGKILL after 5 s) and waits for it; removes the directory. Idempotent.
    public func stop() {
        server.stop()
        TestProcesses.removeDirectory(directory)
    }
}
