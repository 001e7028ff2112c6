import Foundation
import Testing
import GatewatchHTTP
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

        var clientCertificate: String { directory.appendingPathComponent("client.pem").path }
        var clientKey: String { directory.appendingPathComponent("client.key").path }

        /// - Parameter requireClientCertificate: mutual TLS: the server refuses a client without a certificate
        ///   (a self-signed one made here, `clientCertificate`/`clientKey`) and answers with its subject's CN.
        init(requireClientCertificate: Bool = false) throws {
            directory = try TestProcesses.temporaryDirectory(prefix: "gatewatch-tls")
            let openssl = TestProcesses.which("openssl") ?? "/usr/bin/openssl"
            let made = try TestProcesses.run(openssl, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                                                       "-keyout", directory.appendingPathComponent("key.pem").path,
                                                       "-out", directory.appendingPathComponent("cert.pem").path,
                                                       "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"])
            guard made.status == 0 else { throw TLSFailure("openssl failed: \(made.output)") }
            if requireClientCertificate {
                let client = try TestProcesses.run(openssl, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                                                             "-keyout", directory.appendingPathComponent("client.key").path,
                                                             "-out", directory.appendingPathComponent("client.pem").path,
                                                             "-subj", "/CN=gatewatch-client"])
                guard client.status == 0 else { throw TLSFailure("openssl failed: \(client.output)") }
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: directory.appendingPathComponent("client.key").path)
            }
            port = try TestProcesses.freePort()
            let script = """
                import http.server, ssl, sys
                class H(http.server.BaseHTTPRequestHandler):
                    def do_GET(self):
                        peer = self.connection.getpeercert() or {}
                        cn = [v for rdn in peer.get('subject', ()) for (k, v) in rdn if k == 'commonName']
                        body = ('{"status":"success","data":{"resultType":"vector","result":[]},"client":"%s"}' % (cn[0] if cn else '')).encode()
                        self.send_response(200); self.send_header('Content-Type', 'application/json')
                        self.send_header('Content-Length', str(len(body))); self.end_headers(); self.wfile.write(body)
                    def log_message(self, *a): pass
                s = http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), H)
                c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); c.load_cert_chain(sys.argv[2], sys.argv[3])
                if len(sys.argv) > 4:
                    c.verify_mode = ssl.CERT_REQUIRED; c.load_verify_locations(sys.argv[4])
                s.socket = c.wrap_socket(s.socket, server_side=True)
                print('ready', flush=True)
                s.serve_forever()
                """
            process.executableURL = URL(fileURLWithPath: TestProcesses.which("python3") ?? "/usr/bin/python3")
            process.arguments = ["-c", script, String(port), certificate, directory.appendingPathComponent("key.pem").path]
                + (requireClientCertificate ? [directory.appendingPathComponent("client.pem").path] : [])
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

    @Test(.enabled(if: tools, "openssl and python3 are needed"))
    func mutualTLSPresentsTheClientCertificateAndItsKeyMustBeTheOwnersAlone() throws {
        let server = try Server(requireClientCertificate: true)
        defer { server.stop() }
        let url = URL(string: "https://127.0.0.1:\(server.port)")!

        let anonymous = try HTTPConnection(baseURL: url, timeout: 5, tls: TLSOptions(caFile: server.certificate))
        #expect(throws: HTTPError.self, "a server that wants a client certificate refuses a client without one") {
            try anonymous.get("/api/v1/query")
        }

        let mutual = try HTTPConnection(baseURL: url, timeout: 5, tls: TLSOptions(caFile: server.certificate, clientCert: server.clientCertificate,
                                                                                 clientKey: server.clientKey))
        let answer = try mutual.get("/api/v1/query")
        #expect(answer.status == 200 && answer.text.contains(#""client":"gatewatch-client""#), "\(answer.text)")

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: server.clientKey)
        let shared = try #require(throws: HTTPError.self) {
            try HTTPConnection(baseURL: url, tls: TLSOptions(caFile: server.certificate, clientCert: server.clientCertificate, clientKey: server.clientKey))
        }
        #expect(shared.description.contains("other users may access it (mode 0644)") && shared.description.contains("chmod 600 \(server.clientKey)"),
                "\(shared)")
        #expect(!shared.description.contains("PRIVATE KEY"), "\(shared)")
        #expect(TLSOptions(clientCert: server.clientCertificate, clientKey: server.clientKey).fileProblem?.key == "tls.client_key")

        let notAKey = server.directory.appendingPathComponent("not-a-key.pem").path
        try "hello\n".write(toFile: notAKey, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: notAKey)
        let garbled = try #require(throws: HTTPError.self) {
            try HTTPConnection(baseURL: url, tls: TLSOptions(clientCert: server.clientCertificate, clientKey: notAKey))
        }
        #expect(garbled.description == "client key \(notAKey) is not an unencrypted PEM private key", "\(garbled)")
        let noCert = try #require(throws: HTTPError.self) {
            try HTTPConnection(baseURL: url, tls: TLSOptions(clientCert: notAKey, clientKey: server.clientKey))
        }
        #expect(noCert.description.contains("client certificate \(notAKey)"), "\(noCert)")
        #expect(throws: HTTPError.self) { try HTTPConnection(baseURL: url, tls: TLSOptions(clientKey: server.clientKey)) }
    }

    @Test func extraHeadersAreCheckedAndTheirValuesRedacted() throws {
        let url = URL(string: "http://127.0.0.1:9")!
        for bad in [HTTPHeaderField(name: "X-A", value: "a\r\nX-B: 1"), HTTPHeaderField(name: "Authorization", value: "Bearer x"),
                    HTTPHeaderField(name: "X A", value: "v"), HTTPHeaderField(name: "Host", value: "elsewhere")] {
            #expect(throws: HTTPError.self, "\(bad.name)") { try HTTPConnection(baseURL: url, headers: [bad]) }
        }
        let connection = try HTTPConnection(baseURL: url, credentials: .bearer(token: "tok-123"),
                                            headers: [HTTPHeaderField(name: "X-Scope-OrgID", value: "tenant-a")])
        #expect(connection.redacting("sent tenant-a with tok-123") == "sent [credential hidden] with [credential hidden]")
        #expect(connection.secretForms.contains("tenant-a"))
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
