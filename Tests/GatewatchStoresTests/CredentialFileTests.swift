import Foundation
import Testing
import GatewatchCore
@testable import GatewatchHTTP
@testable import GatewatchPrometheus
@testable import GatewatchMLflow
@testable import GatewatchScenario

/// Credentials read from files (`bearer_token_file`, `basic_auth.password_file`, MLflow `token_file` and
/// `password_file`): only from a regular file its owner alone may access, never echoed in a message.
@Suite struct CredentialFileTests {
    static let secret = "s3cr3t-Zq8vN1-token"

    /// A file holding `secret` with `mode`, in a fresh temporary folder.
    static func secretFile(mode: Int, content: String = secret + "\n") throws -> (dir: URL, path: String) {
        let dir = try TestSupport.temporaryDirectory()
        let path = dir.appendingPathComponent("token").path
        try content.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return (dir, path)
    }

    static func message(_ body: () throws -> Void) -> String {
        do {
            try body()
            return ""
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: [0o600, 0o400])
    func anOwnerOnlyFileIsReadWithoutItsLineBreak(mode: Int) throws {
        let (dir, path) = try Self.secretFile(mode: mode)
        defer { TestSupport.cleanUp(dir) }
        #expect(try SecretFile.read(path, purpose: "token") == Self.secret)
    }

    @Test(arguments: [(0o644, "other users", "0644"), (0o640, "its group", "0640"), (0o604, "other users", "0604"),
                      (0o620, "its group", "0620"), (0o601, "other users", "0601")])
    func aFileOthersMayAccessIsRefusedWithItsModeAndTheFix(mode: Int, who: String, shown: String) throws {
        let (dir, path) = try Self.secretFile(mode: mode)
        defer { TestSupport.cleanUp(dir) }
        let text = Self.message { _ = try SecretFile.read(path, purpose: "bearer token for http://prom:9090") }
        #expect(text == "\(path) holds the bearer token for http://prom:9090 but \(who) may access it (mode \(shown));"
            + " restrict it to its owner: chmod 600 \(path)")
        #expect(!text.contains(Self.secret))
    }

    @Test func missingEmptyAndNonRegularFilesAreRefused() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let missing = dir.appendingPathComponent("nope").path
        #expect(Self.message { _ = try SecretFile.read(missing, purpose: "token") }
            == "cannot read \(missing), the file that should hold the token: No such file or directory")
        #expect(Self.message { _ = try SecretFile.read(dir.path, purpose: "token") } == "\(dir.path) (the token) is not a regular file")
        let (emptyDir, empty) = try Self.secretFile(mode: 0o600, content: "\n")
        defer { TestSupport.cleanUp(emptyDir) }
        #expect(Self.message { _ = try SecretFile.read(empty, purpose: "token") } == "\(empty) is empty; it should hold the token")
    }

    @Test func prometheusReadsABearerTokenFileAndRefusesAReadableOne() throws {
        let (dir, path) = try Self.secretFile(mode: 0o600)
        defer { TestSupport.cleanUp(dir) }
        let o = try YAMLFile.decode(PrometheusOptions.self, yaml: "url: http://127.0.0.1:9090\nbearer_token_file: \(path)", file: "c.yaml")
        #expect(o.bearerTokenFile == path)
        #expect(try o.credentials(environment: [:]) == .bearer(token: Self.secret))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let text = Self.message { _ = try o.credentials(environment: [:]) }
        #expect(text.hasPrefix("metrics (prometheus): bearer_token_file: \(path) holds the bearer token for http://127.0.0.1:9090"
            + " but other users may access it (mode 0644)"), "\(text)")
        #expect(text.hasSuffix("chmod 600 \(path)") && !text.contains(Self.secret))
    }

    @Test func prometheusBasicAuthPasswordFile() throws {
        let (dir, path) = try Self.secretFile(mode: 0o600)
        defer { TestSupport.cleanUp(dir) }
        let o = try YAMLFile.decode(PrometheusOptions.self, yaml: """
            url: http://127.0.0.1:9090
            basic_auth: { username_env: PROM_USER, password_file: \(path) }
            """, file: "c.yaml")
        #expect(o.basicAuth == .init(usernameEnv: "PROM_USER", passwordFile: path))
        #expect(try o.credentials(environment: ["PROM_USER": "ada"]) == .basic(user: "ada", password: Self.secret))
    }

    @Test func prometheusRefusesTwoSourcesForOneSecretAndCredentialsInTheURL() {
        func problem(_ yaml: String) -> String {
            Self.message { _ = try YAMLFile.decode(PrometheusOptions.self, yaml: yaml, file: "c.yaml") }
        }
        #expect(problem("url: http://h:9090\nbearer_token_env: T\nbearer_token_file: /f")
            .contains("use one of bearer_token_env, bearer_token_file or basic_auth"))
        #expect(problem("url: http://h:9090\nbasic_auth: { username_env: U, password_env: P, password_file: /f }")
            .contains("use password_env or password_file, not both"))
        let inURL = problem("url: http://ada:\(Self.secret)@h:9090")
        #expect(inURL.contains("must not hold a user name or password"), "\(inURL)")
        #expect(!inURL.contains(Self.secret))
    }

    @Test func mlflowReadsTokenAndPasswordFiles() throws {
        let (dir, path) = try Self.secretFile(mode: 0o600)
        defer { TestSupport.cleanUp(dir) }
        let token = try YAMLFile.decode(MLflowOptions.self, yaml: "url: http://127.0.0.1:5000\ntoken_file: \(path)", file: "c.yaml")
        #expect(try token.credentials(environment: [:]) == .bearer(token: Self.secret))
        #expect(token.credentialVariables(for: .bearer(token: "x")) == "the token in \(path)")
        let basic = try YAMLFile.decode(MLflowOptions.self, yaml: "url: http://127.0.0.1:5000\npassword_file: \(path)", file: "c.yaml")
        #expect(try basic.credentials(environment: ["MLFLOW_TRACKING_USERNAME": "ada"]) == .basic(user: "ada", password: Self.secret))

        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        let text = Self.message { _ = try token.credentials(environment: [:]) }
        #expect(text == "registry (mlflow): \(path) holds the MLflow token (token_file) but its group may access it (mode 0640);"
            + " restrict it to its owner: chmod 600 \(path)")
    }

    @Test func mlflowRefusesBothFormsOfOneSecretAndCredentialsInTheURL() {
        func problem(_ yaml: String) -> String {
            Self.message { _ = try YAMLFile.decode(MLflowOptions.self, yaml: yaml, file: "c.yaml") }
        }
        #expect(problem("url: http://h:5000\ntoken_env: T\ntoken_file: /f").contains("use token_env or token_file, not both"))
        #expect(problem("url: http://h:5000\npassword_env: P\npassword_file: /f").contains("use password_env or password_file, not both"))
        let inURL = problem("url: http://ada:\(Self.secret)@h:5000")
        #expect(inURL.contains("must not hold a user name or password"), "\(inURL)")
        #expect(!inURL.contains(Self.secret))
    }

    @Test func echoedCredentialsAreRedacted() {
        let bearer = HTTPCredentials.bearer(token: Self.secret)
        #expect(bearer.redacting("got Authorization: Bearer \(Self.secret)") == "got Authorization: Bearer [credential hidden]")
        let basic = HTTPCredentials.basic(user: "ada", password: Self.secret)
        let encoded = Data("ada:\(Self.secret)".utf8).base64EncodedString()
        #expect(basic.redacting("Basic \(encoded) / \(Self.secret)") == "Basic [credential hidden] / [credential hidden]")
        #expect(HTTPCredentials.none.redacting("text") == "text")
    }
}
