import Foundation
import Testing
import GatewatchStores
import GatewatchTestSupport

/// TLS against a real HTTPS server on 127.0.0.1 with a self-signed certificate (made by openssl, served by Python's
/// ssl module): verification is on by default and refuses it, a `ca_file` trusts it, and `verify: false` is the
/// explicit way around.
@Suite(.serialized) struct HTTPConnectionTLSTests {
    static let tools = TestProcesses.which("openssl") != nil && TestProcesses.which("python3") != nil

    /// A temporary HTTPS server answering `{"status":"success"}` to every GET; stopped by `stop()`.
    final class Server {
        let process = Process()
        let port: Int
        let directory: URL
        var certificate: String { directory.appendingPathComponent("cert.pem").path }

        init() throws {
            directory = try TestProcesses.temporaryDirectory(prefix: "gatewatch-tls")
            let openssl = TestProcesses.which("openssl") ?? "/usr/bin/openssl"
            let made = try TestProcesses.run(openssl, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                                                       "-keyout", directory.appendingPathComponent("key.pem").path,
                                                       "-out", directory.appendingPathComponent("cert.pem").path,
                                                       "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"])
            guard made.status == 0 else { throw TLSFailure("openssl failed: \(made.output)") }
            port = try TestProcesses.freePort()
            let script = """
                import http.server, ssl, sys
                class H(http.server.BaseHTTPRequestHandler):
                    def do_GET(self):
                        body = b'{"status":"success","data":{"resultType":"vector","result":[]}}'
                        self.send_response(200); self.send_header('Content-Type', 'application/json')
                        self.send_header('Content-Length', str(len(body))); self.end_headers(); self.wfile.write(body)
                    def log_message(self, *a): pass
                s = http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), H)
                c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); c.load_cert_chain(sys.argv[2], sys.argv[3])
                s.socket = c.wrap_socket(s.socket, server_side=True)
                print('ready', flush=True)
                s.serve_forever()
                """
            process.executableURL = URL(fileURLWithPath: TestProcesses.which("python3") ?? "/usr/bin/python3")
            process.arguments = ["-c", script, String(port), certificate, directory.appendingPathComponent("key.pem").path]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            let ready = out.fileHandleForReading.availableData
            guard String(decoding: ready, as: UTF8.self).contains("ready") else { throw TLSFailure("the HTTPS server did not start") }
        }

        func stop() {
            // SIGKILL: a process started from a test thread inherits its blocked signals and may ignore SIGTERM.
            if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
            TestProcesses.removeDirectory(directory)
        }
    }

    struct TLSFailure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    @Test(.enabled(if: tools, "openssl and python3 are needed"))
    func verificationIsOnByDefaultAndCanTrustACAFileOrBeTurnedOffExplicitly() throws {
        let server = try Server()
        defer { server.stop() }
        let url = URL(string: "https://127.0.0.1:\(server.port)")!

        let strict = try HTTPConnection(baseURL: url, timeout: 5)
        let refused = try #require(throws: HTTPError.self) { try strict.get("/api/v1/query") }
        #expect(refused.description.contains("TLS"), "\(refused)")
        #expect(refused.description.contains("127.0.0.1:\(server.port)"), "\(refused)")

        let trusting = try HTTPConnection(baseURL: url, timeout: 5, tls: TLSOptions(verify: true, caFile: server.certificate))
        #expect(try trusting.get("/api/v1/query").status == 200)

        let unverified = try HTTPConnection(baseURL: url, timeout: 5, tls: TLSOptions(verify: false))
        #expect(try unverified.get("/api/v1/query").status == 200)
    }

    @Test func aMissingCAFileOrANonHTTPURLIsAClearError() {
        #expect(throws: HTTPError.self) { try HTTPConnection(baseURL: URL(string: "https://127.0.0.1:1")!, tls: TLSOptions(caFile: "/nonexistent/ca.pem")) }
        do {
            _ = try HTTPConnection(baseURL: URL(string: "ftp://127.0.0.1")!)
            Issue.record("an ftp URL was accepted")
        } catch {
            #expect("\(error)".contains("not an http:// or https:// URL"))
        }
    }
}
