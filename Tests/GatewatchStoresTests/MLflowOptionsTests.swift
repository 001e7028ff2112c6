import Foundation
import Testing
import GatewatchCore
@testable import GatewatchHTTP
@testable import GatewatchMLflow
@testable import GatewatchScenario

@Suite struct MLflowOptionsTests {
    static func options(_ yaml: String) throws -> MLflowOptions {
        try YAMLFile.decode(MLflowOptions.self, yaml: yaml, file: "config.yaml")
    }

    /// The message of whatever `body` throws.
    static func message(_ body: () throws -> Void) -> String {
        do {
            try body()
            return ""
        } catch {
            return "\(error)"
        }
    }

    @Test func theFullSectionDecodes() throws {
        let o = try Self.options("""
            kind: mlflow
            url: https://mlflow.example.com/proxy/
            token_env: MY_TOKEN
            username_env: MY_USER
            password_env: MY_PASSWORD
            tls: { verify: false }
            timeout: 1m
            """)
        #expect(o.url.absoluteString == "https://mlflow.example.com/proxy/")
        #expect(o.tokenVariable == "MY_TOKEN")
        #expect(o.usernameVariable == "MY_USER")
        #expect(o.passwordVariable == "MY_PASSWORD")
        #expect(o.tls == TLSOptions(verify: false))
        #expect(o.timeout == 60)
        #expect(o.displayURL == "https://mlflow.example.com/proxy")
    }

    @Test func theRoleMappingDecodesAndBadEntriesAreNamed() throws {
        #expect(try Self.options("url: http://127.0.0.1:5000").permissionRoles == MLflowOptions.defaultPermissionRoles)
        let o = try Self.options("url: http://127.0.0.1:5000\nroles: { EDIT: owner, MANAGE: owner }")
        #expect(o.permissionRoles == ["EDIT": .owner, "MANAGE": .owner])
        let permission = Self.message { _ = try Self.options("url: http://127.0.0.1:5000\nroles: { WRITE: owner }") }
        #expect(permission.contains("not an MLflow permission (READ, USE, EDIT or MANAGE)"), "\(permission)")
        let role = Self.message { _ = try Self.options("url: http://127.0.0.1:5000\nroles: { EDIT: controller }") }
        #expect(role.contains("`controller` is not a role (owner, oncall or reviewer)"), "\(role)")
    }

    @Test func headersDecodeAndResolveWithoutShowingTheirValues() throws {
        let o = try Self.options("""
            url: http://127.0.0.1:5000
            headers: { X-Scope-OrgID: team-risk, X-Gateway-Key: { env: GW_KEY } }
            """)
        #expect(o.headers == [HeaderOption(name: "X-Gateway-Key", value: .environment("GW_KEY")),
                              HeaderOption(name: "X-Scope-OrgID", value: .literal("team-risk"))])
        #expect(try o.headerFields(environment: ["GW_KEY": "k-123"]) == [HTTPHeaderField(name: "X-Gateway-Key", value: "k-123"),
                                                                          HTTPHeaderField(name: "X-Scope-OrgID", value: "team-risk")])
        let unset = Self.message { _ = try o.headerFields(environment: [:]) }
        #expect(unset == "registry (mlflow): headers.X-Gateway-Key: the environment variable GW_KEY is not set (it holds the value of X-Gateway-Key)", "\(unset)")
        let injected = Self.message { _ = try o.headerFields(environment: ["GW_KEY": "a\nX-Evil: 1"]) }
        #expect(injected.contains("line break") && !injected.contains("X-Evil"), "\(injected)")
        #expect(throws: MLflowConfigurationError.self) { _ = try MLflowRegistry(options: o, environment: [:]) }
        let twice = Self.message { _ = try Self.options("url: http://h\nheaders: { X-A: 1, x-a: 2 }") }
        #expect(twice.contains("given twice"), "\(twice)")
    }

    @Test func defaultsAreMLflowsOwnVariables() throws {
        let o = try Self.options("url: http://127.0.0.1:5000")
        #expect(o.tokenVariable == "MLFLOW_TRACKING_TOKEN")
        #expect(o.usernameVariable == "MLFLOW_TRACKING_USERNAME")
        #expect(o.passwordVariable == "MLFLOW_TRACKING_PASSWORD")
        #expect(o.timeout == 10)
        #expect(o.tls == TLSOptions())
        #expect(try o.credentials(environment: [:]) == .none)
        #expect(try o.credentials(environment: ["MLFLOW_TRACKING_TOKEN": "t"]) == .bearer(token: "t"))
        #expect(try o.credentials(environment: ["MLFLOW_TRACKING_USERNAME": "u", "MLFLOW_TRACKING_PASSWORD": "p"])
                == .basic(user: "u", password: "p"))
        // the token comes first, as in the MLflow client
        #expect(try o.credentials(environment: ["MLFLOW_TRACKING_TOKEN": "t", "MLFLOW_TRACKING_USERNAME": "u",
                                                "MLFLOW_TRACKING_PASSWORD": "p"]) == .bearer(token: "t"))
        // half a pair is an error naming the missing half
        let half = Self.message { _ = try o.credentials(environment: ["MLFLOW_TRACKING_USERNAME": "u"]) }
        #expect(half.contains("MLFLOW_TRACKING_PASSWORD is not set"), "\(half)")
    }

    @Test func anExplicitlyNamedVariableThatIsUnsetIsAnErrorNamingIt() throws {
        let token = try Self.options("url: http://h:5000\ntoken_env: GW_TOKEN")
        #expect(try token.credentials(environment: ["GW_TOKEN": "abc"]) == .bearer(token: "abc"))
        let unset = Self.message { _ = try token.credentials(environment: ["MLFLOW_TRACKING_USERNAME": "u", "MLFLOW_TRACKING_PASSWORD": "p"]) }
        #expect(unset.contains("token_env names GW_TOKEN, which is not set"), "\(unset)")

        let basic = try Self.options("url: http://h:5000\nusername_env: GW_USER\npassword_env: GW_PASS")
        #expect(try basic.credentials(environment: ["GW_USER": "u", "GW_PASS": "p"]) == .basic(user: "u", password: "p"))
        let missing = Self.message { _ = try basic.credentials(environment: ["GW_USER": "u", "MLFLOW_TRACKING_TOKEN": "t"]) }
        #expect(missing.contains("GW_PASS is not set"), "\(missing)")
        let empty = Self.message { _ = try basic.credentials(environment: ["GW_USER": "", "GW_PASS": ""]) }
        #expect(empty.contains("GW_USER and GW_PASS are not set"), "\(empty)")

        let both = try Self.options("url: http://h:5000\ntoken_env: GW_TOKEN\nusername_env: GW_USER\npassword_env: GW_PASS")
        #expect(try both.credentials(environment: ["GW_USER": "u", "GW_PASS": "p"]) == .basic(user: "u", password: "p"))
        let neither = Self.message { _ = try both.credentials(environment: [:]) }
        #expect(neither.contains("GW_TOKEN") && neither.contains("GW_USER"), "\(neither)")

        // The registry refuses to start without them, before any request.
        #expect(throws: MLflowConfigurationError.self) { _ = try MLflowRegistry(options: token, environment: [:]) }
    }

    @Test func badSectionsAreClearErrorsAtTheirLine() {
        func check(_ yaml: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
            let message = Self.message { _ = try Self.options(yaml) }
            #expect(message.contains(expected), "\(message)", sourceLocation: sourceLocation)
        }
        check("kind: mlflow", "missing key 'url'")
        check("kind: sqlite\nurl: http://h", "config.yaml:1:7: kind: kind is `sqlite`")
        check("url: ftp://h", "config.yaml:1:6: url: `ftp://h` must be an http:// or https:// URL")
        check("url: http://h\ntoken-env: X", "token-env: unknown key (did you mean `token_env`?)")
        check("url: http://h\nfoo: 1", "known keys: kind, url")
        check("url: http://h\ntimeout: soon", "not a duration")
        check("url: http://h\ntimeout: 0s", "config.yaml:2:10: timeout: must be longer than 0s")
        check("url: http://h\ntls: { verify: true, cafile: x }", "tls.cafile: unknown key")
        check("url: http://h\ntls: { ca_file: /nonexistent/ca.pem }", "tls.ca_file: /nonexistent/ca.pem cannot be read")
        check("url: http://h\ntoken_env: 'A B'", "token_env: must name an environment variable")
        check("url: http://h\ntls: { client_key: /etc/hostname }", "config.yaml:2:20: tls.client_key: needs client_cert")
        check("url: http://h\ntls: { client_cert: /etc/hostname, client_key: /nonexistent/k.pem }", "tls.client_key: cannot read /nonexistent/k.pem")
        check("url: http://h\nheaders: { Host: elsewhere }", "headers.Host: is set by Gatewatch itself")
        check("url: http://h\nheaders: { X-A: { env: 'not a name' } }", "headers.X-A: `env` must name an environment variable")
        // Options built in code fail the same way, without a file position.
        #expect(throws: MLflowConfigurationError("url: `ftp://h` must be an http:// or https:// URL with a host (e.g. http://127.0.0.1:5000)")) {
            _ = try MLflowOptions(url: URL(string: "ftp://h")!)
        }
    }

    @Test func slugsAndChunksFollowTheTagRules() {
        #expect(MLflowTagLayout.slugProblem("fraud-scoring-v8") == nil)
        #expect(MLflowTagLayout.slugProblem("a.b_c-9") == nil)
        #expect(MLflowTagLayout.slugProblem("") != nil)
        #expect(MLflowTagLayout.slugProblem("with space") != nil)
        #expect(MLflowTagLayout.slugProblem("a..b") != nil)
        #expect(MLflowTagLayout.slugProblem("é") != nil)
        #expect(MLflowTagLayout.slugProblem(String(repeating: "a", count: 201)) != nil)
        let longest = MLflowTagLayout.auditKey(String(repeating: "a", count: 200), sequence: 99_999_999, token: "ffffffffffff")
        #expect(longest.count <= MLflowTagLayout.keyLimit)

        let text = String(repeating: "aé😀", count: 4000)
        let pieces = MLflowTagLayout.chunks(text)
        #expect(pieces.joined() == text)
        #expect(pieces.allSatisfy { $0.unicodeScalars.count <= MLflowTagLayout.chunkLimit })
        #expect(pieces.count == 3)
        #expect(MLflowTagLayout.chunks("") == [""])
        #expect(MLflowTagLayout.newToken().count == 12)
        #expect(MLflowReleaseTags.isToken(MLflowTagLayout.newToken()))
    }

    @Test func foreignAndLookAlikeKeysAreIgnored() throws {
        let tags = [
            MLflowREST.Tag(key: "gatewatch.a.state.00000001.abc", value: #"{"state":{"stageIndex":0,"stageEnteredAt":1,"startedAt":1,"status":"running","version":1},"written_at":5}"#),
            MLflowREST.Tag(key: "gatewatch.a.spec.state.00000009.abc", value: "another release: a.spec"),
            MLflowREST.Tag(key: "gatewatch.a.state.spec.000", value: "another release: a.state"),
            MLflowREST.Tag(key: "gatewatch.a.audit.00000001.XYZ", value: "token not hex"),
            MLflowREST.Tag(key: "gatewatch.ab.state.00000005.abc", value: "release ab"),
            MLflowREST.Tag(key: "mlflow.something", value: "x"),
        ]
        let parsed = MLflowReleaseTags(slug: "a", place: "model 'm' version 1", tags: tags)
        #expect(parsed.states.count == 1)
        #expect(parsed.audits.isEmpty)
        #expect(parsed.specChunks.isEmpty)
        #expect(try parsed.state()?.version == 1)
        #expect(parsed.keys == ["gatewatch.a.state.00000001.abc"])
    }
}
