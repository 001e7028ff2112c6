import Foundation
import GatewatchCore
import GatewatchHTTP

/// The `alertmanager:` section of the config:
///
/// ```yaml
/// alertmanager:
///   url: http://alertmanager.internal:9093   # base URL; /api/v2/… is appended
///   bearer_token_env: AM_TOKEN               # optional, for a proxy in front
///   headers: { X-Scope-OrgID: team-risk }    # optional (a Mimir/Cortex Alertmanager tenant)
///   tls: { verify: true, ca_file: /etc/ssl/company-ca.pem }
///   timeout: 5s
/// ```
///
/// With it, acknowledging a rule also silences its alerts for the episode, and the rules panel shows the alerts
/// Alertmanager holds for the release. Unknown keys are errors; credentials are only named by variable.
public struct AlertmanagerOptions: Decodable, Sendable {
    public let url: URL
    public let bearerTokenEnv: String?
    public let headers: [HeaderOption]
    public let tls: TLSOptions
    public let timeout: Double

    public static let knownKeys = ["url", "bearer_token_env", "headers", "tls", "timeout"]

    public init(url: URL, bearerTokenEnv: String? = nil, headers: [HeaderOption] = [], tls: TLSOptions = TLSOptions(), timeout: Double = 5) throws {
        self.url = url
        self.bearerTokenEnv = bearerTokenEnv
        self.headers = headers
        self.tls = tls
        self.timeout = timeout
        try validate()
    }

    public init(from decoder: Decoder) throws {
        do {
            let c = try decoder.container(keyedBy: ConfigKey.self)
            for key in c.allKeys where !Self.knownKeys.contains(key.stringValue) {
                throw AlertmanagerError.configuration(key: key.stringValue, message: "unknown key (known: \(Self.knownKeys.joined(separator: ", ")))")
            }
            guard let text = try c.decodeIfPresent(String.self, forKey: ConfigKey("url")) else {
                throw AlertmanagerError.configuration(key: "", message: "url is required (e.g. `url: http://127.0.0.1:9093`)")
            }
            guard let url = URL(string: text.trimmingCharacters(in: .whitespaces)) else {
                throw AlertmanagerError.configuration(key: "url", message: "`\(text)` is not a URL")
            }
            self.url = url
            bearerTokenEnv = try c.decodeIfPresent(String.self, forKey: ConfigKey("bearer_token_env"))
            headers = try HeaderOption.decodeList(c, forKey: ConfigKey("headers"))
            tls = try c.decodeIfPresent(TLSOptions.self, forKey: ConfigKey("tls")) ?? TLSOptions()
            do {
                timeout = Double(try c.decodeIfPresent(FlexibleDuration.self, forKey: ConfigKey("timeout"))?.seconds ?? 5)
            } catch {
                throw AlertmanagerError.configuration(key: "timeout", message: "must be a duration like 5s")
            }
            try validate()
        } catch AlertmanagerError.configuration(let key, let message) {
            let path = decoder.codingPath + key.split(separator: ".").map { ConfigKey(String($0)) as CodingKey }
            throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: message))
        }
    }

    private func validate() throws {
        guard let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
            throw AlertmanagerError.configuration(key: "url", message: "`\(url.absoluteString)` must be an http:// or https:// URL with a host")
        }
        if url.user != nil || url.password != nil {
            throw AlertmanagerError.configuration(key: "url", message: "must not hold a user name or password; name a variable with bearer_token_env")
        }
        if let name = bearerTokenEnv, !HeaderOption.isEnvironmentName(name) {
            throw AlertmanagerError.configuration(key: "bearer_token_env", message: "must name an environment variable (like AM_TOKEN), not hold the secret")
        }
        guard timeout > 0, timeout <= 600 else { throw AlertmanagerError.configuration(key: "timeout", message: "must be more than 0s and at most 10m") }
    }

    /// The credentials, read from `environment`.
    func credentials(environment: [String: String]) throws -> HTTPCredentials {
        guard let name = bearerTokenEnv else { return .none }
        guard let token = environment[name], !token.isEmpty else {
            throw AlertmanagerError.configuration(key: "bearer_token_env", message: "environment variable \(name) is not set")
        }
        return .bearer(token: token)
    }
}
