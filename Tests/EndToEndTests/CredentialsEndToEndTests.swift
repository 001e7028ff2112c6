import Foundation
import GatewatchTestSupport
import Testing

/// A known secret given to the real binary (by file and by environment variable), against a server on 127.0.0.1 that
/// refuses it with 401 and echoes the request's headers back in its answer (as a misconfigured proxy might): the
/// secret must reach the server, and nowhere else — not stdout, stderr, the terminal and its scroll-back, the
/// store, nor any other file the run writes.
@Suite("Credentials (end to end)", .serialized)
struct CredentialsEndToEndTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// An HTTP server that answers every request with 401 and a plain-text body repeating the request's headers (or
    /// with another status and a fixed body).
    final class EchoingUnauthorizedServer: @unchecked Sendable {
        let port: Int
        private let status: String
        private let fixedBody: String?
        private let fd: Int32
        private let lock = NSLock()
        private var received: [String] = []
        private let done = DispatchSemaphore(value: 0)

        init(status: String = "401 Unauthorized", body: String? = nil) throws {
            self.status = status
            fixedBody = body
            let (fd, port) = try TestProcesses.boundSocket()
            guard listen(fd, 16) == 0 else {
                TestProcesses.closeDescriptor(fd)
                throw TmuxSession.Failure(description: "listen failed: errno \(errno)")
            }
            self.fd = fd
            self.port = port
            let thread = Thread { [self] in
                while true {
                    let client = accept(fd, nil, nil)
                    if client < 0 {
                        if errno == EINTR { continue }
                        break
                    }
                    serve(client)
                }
                done.signal()
            }
            thread.start()
        }

        /// The requests received so far (head and body).
        var requests: [String] {
            lock.lock()
            defer { lock.unlock() }
            return received
        }

        private func serve(_ client: Int32) {
            var data = [UInt8]()
            var buffer = [UInt8](repeating: 0, count: 4096)
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            while true {
                let n = read(client, &buffer, buffer.count)
                if n <= 0 { break }
                data += buffer[0..<n]
                let text = String(decoding: data, as: UTF8.self)
                if let end = text.range(of: "\r\n\r\n") {
                    let head = text[..<end.lowerBound]
                    let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                        .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                    if text.utf8.count - text[..<end.upperBound].utf8.count >= length { break }
                }
            }
            let request = String(decoding: data, as: UTF8.self)
            lock.lock()
            received.append(request)
            lock.unlock()
            let head = request.components(separatedBy: "\r\n\r\n").first ?? ""
            // The headers on the first line (where error messages quote a body from), X-… ones first so that a
            // message's length limit cannot cut them off.
            let lines = head.components(separatedBy: "\r\n").dropFirst()
            let echoed = lines.filter { $0.lowercased().hasPrefix("x-") } + lines.filter { !$0.lowercased().hasPrefix("x-") }
            let body = fixedBody ?? "unauthorized; you sent: \(echoed.joined(separator: " | "))\n\(head)\n"
            let response = "HTTP/1.1 \(status)\r\nContent-Type: text/plain\r\nWWW-Authenticate: Bearer\r\n"
                + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body
            _ = Array(response.utf8).withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            TestProcesses.closeDescriptor(client)
        }

        func close() {
            shutdown(fd, Int32(SHUT_RDWR))
            TestProcesses.closeDescriptor(fd)
            _ = done.wait(timeout: .now() + 2)
        }
    }

    /// A temporary folder with a registry store holding the demo release, and a file holding `secret` (mode 600).
    struct Setup {
        let dir: URL
        let store: String
        let secretFile: String
        let secret: String

        init(binary: URL) throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("gw-credentials-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            store = dir.appendingPathComponent("registry.sqlite").path
            let spec = CredentialsEndToEndTests.packageRoot.appendingPathComponent("sample-data/fraud-canary-healthy/release.yaml").path
            let created = try ProcessResult.run(binary, ["import", "--release-spec", spec, "--store", store,
                                                         "--started", "2026-11-02T09:00:00Z"])
            guard created.status == 0 else { throw TmuxSession.Failure(description: "import: \(created.stderr)") }
            secret = "gwSecret-" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
            secretFile = dir.appendingPathComponent("prom-token").path
            try (secret + "\n").write(toFile: secretFile, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secretFile)
        }

        func config(_ name: String, _ text: String) throws -> String {
            let path = dir.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        /// Every file under the folder except the secret file itself whose bytes contain `secret` (or its base64
        /// forms as sent in a Basic header).
        func filesHoldingTheSecret(also extra: [String] = []) -> [String] {
            var hits: [String] = []
            let needles = [secret] + extra
            let enumerator = FileManager.default.enumerator(atPath: dir.path)
            while let relative = enumerator?.nextObject() as? String {
                let path = dir.appendingPathComponent(relative).path
                guard path != secretFile, let data = FileManager.default.contents(atPath: path) else { continue }
                for needle in needles where data.range(of: Data(needle.utf8)) != nil { hits.append(relative) }
            }
            return hits
        }

        func remove() { try? FileManager.default.removeItem(at: dir) }
    }

    @Test("a bearer token file for Prometheus: sent to the server, never shown by check (text, JSON) even when the server echoes it")
    func prometheusTokenFileNeverShown() throws {
        let binary = try TmuxSession.gatewatchBinary()
        let setup = try Setup(binary: binary)
        defer { setup.remove() }
        let server = try EchoingUnauthorizedServer()
        defer { server.close() }
        let config = try setup.config("prom.yaml", """
            registry: { kind: sqlite, path: \(setup.store) }
            metrics:
              kind: prometheus
              url: http://127.0.0.1:\(server.port)
              bearer_token_file: \(setup.secretFile)
              timeout: 5s
            """)
        var outputs: [String] = []
        for format in ["text", "json"] {
            let r = try ProcessResult.run(binary, ["check", "--config", config, "--format", format, "--at", "2026-11-02T10:00:00Z"],
                                          environment: ["XDG_DATA_HOME": setup.dir.path, "XDG_CONFIG_HOME": setup.dir.path])
            #expect(r.status == 2, "\(format): \(r.stdout) \(r.stderr)")
            #expect(r.stderr.contains("HTTP 401") && r.stderr.contains("the bearer token in \(setup.secretFile)"), "\(r.stderr)")
            outputs += [r.stdout, r.stderr]
        }
        // The server got the token, so its absence below means something.
        let requests = server.requests
        #expect(!requests.isEmpty && requests.allSatisfy { $0.contains("Authorization: Bearer \(setup.secret)") },
                "requests: \(requests.map { $0.prefix(300) })")
        #expect(!outputs.contains { $0.contains(setup.secret) }, "the secret was printed: \(outputs)")
        #expect(setup.filesHoldingTheSecret().isEmpty, "files: \(setup.filesHoldingTheSecret())")
        let leaking = outputs.filter { $0.contains(setup.secret) }.count
        print("credentials: Prometheus bearer_token_file, 401 that echoes the header: \(requests.count) requests carried the token;"
            + " \(leaking) of \(outputs.count) outputs and \(setup.filesHoldingTheSecret().count) written files hold it")
    }

    @Test("MLflow token file and basic-auth password file: sent, refused with 401 naming the file, never shown")
    func mlflowCredentialFilesNeverShown() throws {
        let binary = try TmuxSession.gatewatchBinary()
        let setup = try Setup(binary: binary)
        defer { setup.remove() }
        let server = try EchoingUnauthorizedServer()
        defer { server.close() }
        let token = try setup.config("mlflow-token.yaml", """
            registry:
              kind: mlflow
              url: http://127.0.0.1:\(server.port)
              token_file: \(setup.secretFile)
              timeout: 5s
            metrics: { kind: sqlite, path: \(setup.store) }
            """)
        let basic = try setup.config("mlflow-basic.yaml", """
            registry:
              kind: mlflow
              url: http://127.0.0.1:\(server.port)
              username_env: GW_TEST_MLFLOW_USER
              password_file: \(setup.secretFile)
              timeout: 5s
            metrics: { kind: sqlite, path: \(setup.store) }
            """)
        let env: [String: String?] = ["XDG_DATA_HOME": setup.dir.path, "XDG_CONFIG_HOME": setup.dir.path,
                                      "GW_TEST_MLFLOW_USER": "ada", "MLFLOW_TRACKING_TOKEN": nil,
                                      "MLFLOW_TRACKING_USERNAME": nil, "MLFLOW_TRACKING_PASSWORD": nil]
        let t = try ProcessResult.run(binary, ["check", "--config", token, "--format", "json"], environment: env)
        #expect(t.status == 2 && t.stderr.contains("refused the token (401)") && t.stderr.contains("the token in \(setup.secretFile)"),
                "\(t.stderr)")
        let b = try ProcessResult.run(binary, ["check", "--config", basic], environment: env)
        #expect(b.status == 2 && b.stderr.contains("refused the credentials (401)")
                && b.stderr.contains("GW_TEST_MLFLOW_USER and the password in \(setup.secretFile)"), "\(b.stderr)")
        let basicHeader = Data("ada:\(setup.secret)".utf8).base64EncodedString()
        let requests = server.requests
        #expect(requests.contains { $0.contains("Authorization: Bearer \(setup.secret)") }, "\(requests.map { $0.prefix(300) })")
        #expect(requests.contains { $0.contains("Authorization: Basic \(basicHeader)") })
        let outputs = [t.stdout, t.stderr, b.stdout, b.stderr]
        #expect(!outputs.contains { $0.contains(setup.secret) || $0.contains(basicHeader) }, "\(outputs)")
        #expect(setup.filesHoldingTheSecret(also: [basicHeader]).isEmpty)
        let leaking = outputs.filter { $0.contains(setup.secret) || $0.contains(basicHeader) }.count
        print("credentials: MLflow token_file and password_file, 401: \(requests.count) requests carried them; \(leaking) of"
            + " \(outputs.count) outputs hold them")
    }

    @Test("extra headers (a tenant, a proxy key from a variable and from a file) reach both servers and no output, even when echoed")
    func customHeadersReachTheServerAndNoOutput() throws {
        let binary = try TmuxSession.gatewatchBinary()
        let setup = try Setup(binary: binary)
        defer { setup.remove() }
        let prometheus = try EchoingUnauthorizedServer(status: "500 Internal Server Error")
        defer { prometheus.close() }
        let mlflow = try EchoingUnauthorizedServer(status: "502 Bad Gateway")
        defer { mlflow.close() }
        let tenant = "tenant-" + UUID().uuidString.prefix(8).lowercased()
        let proxyKey = "gwProxyKey-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16)
        let prometheusConfig = try setup.config("prom-headers.yaml", """
            registry: { kind: sqlite, path: \(setup.store) }
            metrics:
              kind: prometheus
              url: http://127.0.0.1:\(prometheus.port)
              headers:
                X-Scope-OrgID: \(tenant)
                X-Proxy-Key: { file: \(setup.secretFile) }
              timeout: 5s
            """)
        let mlflowConfig = try setup.config("mlflow-headers.yaml", """
            registry:
              kind: mlflow
              url: http://127.0.0.1:\(mlflow.port)
              headers: { X-Gateway-Key: { env: GW_TEST_PROXY_KEY } }
              timeout: 5s
            metrics: { kind: sqlite, path: \(setup.store) }
            """)
        let env: [String: String?] = ["XDG_DATA_HOME": setup.dir.path, "XDG_CONFIG_HOME": setup.dir.path,
                                      "GW_TEST_PROXY_KEY": proxyKey, "MLFLOW_TRACKING_TOKEN": nil,
                                      "MLFLOW_TRACKING_USERNAME": nil, "MLFLOW_TRACKING_PASSWORD": nil]
        var outputs: [String] = []
        for config in [prometheusConfig, mlflowConfig] {
            for format in ["text", "json"] {
                let r = try ProcessResult.run(binary, ["check", "--config", config, "--format", format, "--at", "2026-11-02T10:00:00Z"],
                                              environment: env)
                #expect(r.status == 2, "\(config) \(format): \(r.stdout) \(r.stderr)")
                #expect(r.stderr.contains("HTTP 50"), "the server's failure is reported: \(r.stderr)")
                #expect(r.stderr.contains("[credential hidden]"), "the echoed headers are reworded: \(r.stderr)")
                outputs += [r.stdout, r.stderr]
            }
        }
        let promRequests = prometheus.requests, mlflowRequests = mlflow.requests
        #expect(!promRequests.isEmpty && promRequests.allSatisfy {
            $0.contains("X-Scope-OrgID: \(tenant)\r\n") && $0.contains("X-Proxy-Key: \(setup.secret)\r\n")
        }, "\(promRequests.map { $0.prefix(400) })")
        #expect(!mlflowRequests.isEmpty && mlflowRequests.allSatisfy { $0.contains("X-Gateway-Key: \(proxyKey)\r\n") },
                "\(mlflowRequests.map { $0.prefix(400) })")
        for value in [tenant, proxyKey, setup.secret] {
            #expect(!outputs.contains { $0.contains(value) }, "\(value) was printed: \(outputs)")
        }
        // The config written here holds the tenant itself; no file the run wrote may.
        let written = setup.filesHoldingTheSecret(also: [tenant, proxyKey]).filter { !$0.hasSuffix("-headers.yaml") }
        #expect(written.isEmpty, "\(written)")
        print("headers: \(promRequests.count) Prometheus and \(mlflowRequests.count) MLflow requests carried them; \(outputs.count)"
            + " outputs of check (text, JSON) hold none of the 3 values, though both servers echoed them")
    }

    @Test("a header that would inject a line, replace Authorization or read an unset variable is refused by name, its value unshown")
    func badHeadersAreRefusedByName() throws {
        let binary = try TmuxSession.gatewatchBinary()
        let setup = try Setup(binary: binary)
        defer { setup.remove() }
        let cases: [(String, String)] = [
            ("headers: { X-Evil: \"ok\\r\\nX-Injected: 1\" }", "headers.X-Evil: the value holds a line break or another control character"),
            ("headers: { Authorization: \"Bearer gwLiteral123\" }", "headers.Authorization: is set from the section's credential keys"),
            ("headers: { \"X Bad\": v }", "is not an HTTP header name"),
            ("headers: { X-Key: { env: GW_TEST_UNSET_VARIABLE } }", "headers.X-Key: the environment variable GW_TEST_UNSET_VARIABLE is not set"),
            ("headers: { X-Key: { vault: x } }", "must be a value, or { env: VARIABLE }, or { file: PATH }"),
            ("tls: { client_cert: /etc/hostname }", "tls.client_cert: needs client_key"),
        ]
        for (line, words) in cases {
            let config = try setup.config("bad.yaml", """
                registry: { kind: sqlite, path: \(setup.store) }
                metrics:
                  kind: prometheus
                  url: http://127.0.0.1:9
                  \(line)
                """)
            let r = try ProcessResult.run(binary, ["check", "--config", config], environment: ["GW_TEST_UNSET_VARIABLE": nil])
            #expect(r.status == 2, "\(line): \(r.stderr)")
            #expect(r.stderr.contains(words), "\(line): \(r.stderr)")
            #expect(!r.stderr.contains("gwLiteral123") && !r.stderr.contains("X-Injected"), "\(r.stderr)")
        }
    }

    @Test("a credential file others may read is refused with its mode and the fix", arguments: [(0o644, "other users"), (0o640, "its group")])
    func readableCredentialFileIsRefused(mode: Int, who: String) throws {
        let binary = try TmuxSession.gatewatchBinary()
        let setup = try Setup(binary: binary)
        defer { setup.remove() }
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: setup.secretFile)
        let config = try setup.config("prom.yaml", """
            registry: { kind: sqlite, path: \(setup.store) }
            metrics: { kind: prometheus, url: "http://127.0.0.1:9", bearer_token_file: \(setup.secretFile) }
            """)
        let r = try ProcessResult.run(binary, ["check", "--config", config], environment: ["XDG_DATA_HOME": setup.dir.path])
        let shown = "0" + String(mode, radix: 8)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("\(setup.secretFile) holds the bearer token for http://127.0.0.1:9 but \(who) may access it"
                                  + " (mode \(shown)); restrict it to its owner: chmod 600 \(setup.secretFile)"), "\(r.stderr)")
        #expect(!r.stderr.contains(setup.secret) && !r.stdout.contains(setup.secret))
        print("credentials: token file mode \(shown) → exit 2: \(r.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
    }

    @Test("the dashboard on a Prometheus that refuses an environment-variable token: 401 on screen, the token nowhere",
          .enabled(if: TmuxSession.shouldRun))
    func dashboardNeverShowsTheToken() throws {
        let binary = try TmuxSession.gatewatchBinary()
        let setup = try Setup(binary: binary)
        defer { setup.remove() }
        let server = try EchoingUnauthorizedServer()
        defer { server.close() }
        let config = try setup.config("prom.yaml", """
            registry: { kind: sqlite, path: \(setup.store) }
            metrics:
              kind: prometheus
              url: http://127.0.0.1:\(server.port)
              bearer_token_env: GW_PT
              timeout: 5s
            """)
        let session = try TmuxSession(arguments: [binary.path, "--config", config],
                                      environment: ["XDG_DATA_HOME": setup.dir.path, "XDG_CONFIG_HOME": setup.dir.path,
                                                    "GW_PT": setup.secret],
                                      width: 220, height: 40, reportTerminalState: true)
        defer { session.kill() }
        #expect(session.waitFor(text: "Prometheus refused the credentials (HTTP 401): check the bearer token in GW_PT",
                                timeout: 20), "\(session.capture())")
        let screen = session.capture()
        session.sendKeys("L")
        usleep(300_000)
        let audit = session.capture()
        session.sendKeys("q")
        #expect(session.exitStatus(timeout: 10) == 0, "\(session.capture())")
        // Everything the terminal ever showed, scroll-back included (stderr written while the screen was up is
        // replayed there after it closes).
        let scrollback = (try? session.tmux(["capture-pane", "-p", "-J", "-S", "-", "-t", "main"]).output) ?? ""
        let requests = server.requests
        #expect(requests.contains { $0.contains("Authorization: Bearer \(setup.secret)") }, "\(requests.map { $0.prefix(300) })")
        for (name, text) in [("screen", screen), ("audit screen", audit), ("scroll-back", scrollback)] {
            #expect(!text.contains(setup.secret), "\(name) shows the token: \(text)")
        }
        #expect(screen.contains("GW_PT"), "the 401 names the variable to check: \(screen)")
        #expect(setup.filesHoldingTheSecret().isEmpty, "\(setup.filesHoldingTheSecret())")
        let leaks = [screen, audit, scrollback].filter { $0.contains(setup.secret) }.count + setup.filesHoldingTheSecret().count
        print("credentials: dashboard with a refused env token: \(requests.count) request(s) carried it; screen, audit screen,"
            + " \(scrollback.split(separator: "\n").count) lines of scroll-back and the store: \(leaks) hold it")
    }
}
