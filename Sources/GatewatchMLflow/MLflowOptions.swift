import Foundation
import GatewatchCore
import GatewatchHTTP

/// The `registry:` section of the config for an MLflow Model Registry:
///
/// ```yaml
/// registry:
///   kind: mlflow
///   url: https://mlflow.example.com       # the server root; /api/2.0/mlflow/... is appended
///   token_env: MLFLOW_TRACKING_TOKEN      # names of environment variables, never the secrets themselves
///   username_env: MLFLOW_TRACKING_USERNAME
///   password_env: MLFLOW_TRACKING_PASSWORD
///   # token_file: /run/secrets/mlflow-token  # or read the token / the password from a file only its owner may
///   # password_file: /run/secrets/mlflow-pw  #   access (mode 600); instead of token_env / password_env
///   tls: { verify: true, ca_file: /etc/ssl/company-ca.pem }   # client_cert + client_key for mutual TLS
///   headers: { X-Gateway-Key: { env: GATEWAY_KEY } }   # extra headers for a proxy in front; `HeaderOption`
///   timeout: 10s                          # per request, connection included (default 10s)
///   roles: { READ: reviewer, USE: reviewer, EDIT: oncall, MANAGE: owner }   # the default mapping
/// ```
///
/// `roles` maps the permission MLflow resolves for the authenticated user on the release's registered model to a
/// Gatewatch role (admins are owners); a permission it does not name gives no role.
///
/// Credentials follow the MLflow client's conventions. With none of the `*_env` keys written, the default variables
/// are read: a bearer token when `MLFLOW_TRACKING_TOKEN` is set, else basic authentication when both
/// `MLFLOW_TRACKING_USERNAME` and `MLFLOW_TRACKING_PASSWORD` are set, else no credentials (only one of the pair set
/// is an error). A variable named explicitly is required: `token_env` alone must name a set variable;
/// `username_env`/`password_env` alone need both of their variables; with both kinds written, either kind suffices
/// (the token first). `token_file` and `password_file` stand for `token_env` and `password_env` (not both of a pair):
/// the secret is the file's content, and a file its group or others may access is refused (`SecretFile`).
/// Unknown keys are errors, so a typo never silently falls back to a default.
/// Problems in the section are `DecodingError`s at the key's path (so the config loader can show the line);
/// problems with the variables, and with options built in code, are `MLflowConfigurationError` values naming the
/// key or the variable.
public struct MLflowOptions: Decodable, Sendable, Equatable {
    /// Variables the MLflow client itself reads; the defaults of the `*_env` keys.
    public static let defaultTokenEnv = "MLFLOW_TRACKING_TOKEN"
    public static let defaultUsernameEnv = "MLFLOW_TRACKING_USERNAME"
    public static let defaultPasswordEnv = "MLFLOW_TRACKING_PASSWORD"
    /// Seconds a request may take when the config does not say.
    public static let defaultTimeout: Double = 10
    /// Keys of the section.
    public static let knownKeys = ["kind", "url", "token_env", "token_file", "username_env", "password_env", "password_file",
                                   "tls", "headers", "timeout", "roles"]
    /// The role of each MLflow permission when the config does not say.
    public static let defaultPermissionRoles: [String: Role] = ["READ": .reviewer, "USE": .reviewer, "EDIT": .oncall, "MANAGE": .owner]

    /// The server root (`http://` or `https://`), e.g. `http://127.0.0.1:5000` or `https://host/mlflow` behind a proxy.
    public var url: URL
    /// The bearer-token variable named in the config; nil when the key is absent (the default name applies).
    public var tokenEnv: String?
    /// The user-name variable named in the config; nil when the key is absent.
    public var usernameEnv: String?
    /// The password variable named in the config; nil when the key is absent.
    public var passwordEnv: String?
    /// A file holding the bearer token (instead of a variable); nil when the key is absent.
    public var tokenFile: String?
    /// A file holding the password (instead of a variable); nil when the key is absent.
    public var passwordFile: String?
    /// Certificate verification (on unless turned off) and an optional extra CA file.
    public var tls: TLSOptions
    /// Extra request headers (values literal, from a variable or from a file; never printed).
    public var headers: [HeaderOption] = []
    /// Seconds one request may take, connection included.
    public var timeout: Double
    /// The Gatewatch role of each MLflow permission (`READ`, `USE`, `EDIT`, `MANAGE`).
    public var permissionRoles: [String: Role] = defaultPermissionRoles

    /// The bearer-token variable that is read (the configured name or `MLFLOW_TRACKING_TOKEN`).
    public var tokenVariable: String { tokenEnv ?? Self.defaultTokenEnv }
    /// The user-name variable that is read (the configured name or `MLFLOW_TRACKING_USERNAME`).
    public var usernameVariable: String { usernameEnv ?? Self.defaultUsernameEnv }
    /// The password variable that is read (the configured name or `MLFLOW_TRACKING_PASSWORD`).
    public var passwordVariable: String { passwordEnv ?? Self.defaultPasswordEnv }

    /// Options built in code. Throws `MLflowConfigurationError` for a URL that is not http(s) or a bad timeout.
    public init(url: URL, tokenEnv: String? = nil, usernameEnv: String? = nil, passwordEnv: String? = nil,
                tokenFile: String? = nil, passwordFile: String? = nil,
                tls: TLSOptions = TLSOptions(), timeout: Double = defaultTimeout) throws {
        self.url = url
        self.tokenEnv = tokenEnv
        self.usernameEnv = usernameEnv
        self.passwordEnv = passwordEnv
        self.tokenFile = tokenFile
        self.passwordFile = passwordFile
        self.tls = tls
        self.timeout = timeout
        try validate()
    }

    private typealias Key = ConfigKey

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        // Problems are DecodingErrors with the key's path, so that the config loader can point at the line.
        func problem(_ key: String, _ message: String) -> DecodingError {
            DecodingError.dataCorruptedError(forKey: Key(key), in: c, debugDescription: message)
        }
        for key in c.allKeys where !Self.knownKeys.contains(key.stringValue) {
            let near = Self.knownKeys.first { $0.lowercased() == key.stringValue.lowercased().replacingOccurrences(of: "-", with: "_") }
            throw problem(key.stringValue, "unknown key"
                + (near.map { " (did you mean `\($0)`?)" } ?? " (known keys: \(Self.knownKeys.joined(separator: ", ")))"))
        }
        if let kind = try c.decodeIfPresent(String.self, forKey: Key("kind")), kind != "mlflow" {
            throw problem("kind", "kind is `\(kind)`, but these are the options of kind `mlflow`")
        }
        guard let urlText = try c.decodeIfPresent(String.self, forKey: Key("url")) else {
            throw DecodingError.keyNotFound(Key("url"), DecodingError.Context(
                codingPath: c.codingPath, debugDescription: "url is required (e.g. `url: http://127.0.0.1:5000`)"))
        }
        guard let url = URL(string: urlText.trimmingCharacters(in: .whitespaces)) else {
            throw problem("url", "`\(urlText)` is not a URL")
        }
        self.url = url
        func variableName(_ key: String) throws -> String? {
            guard let name = try c.decodeIfPresent(String.self, forKey: Key(key)) else { return nil }
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.contains("="), !trimmed.contains(" ") else {
                throw problem(key, "must name an environment variable (e.g. `\(key): \(Self.defaultName(of: key))`), not `\(name)`")
            }
            return trimmed
        }
        tokenEnv = try variableName("token_env")
        usernameEnv = try variableName("username_env")
        passwordEnv = try variableName("password_env")
        func filePath(_ key: String) throws -> String? {
            guard let path = try c.decodeIfPresent(String.self, forKey: Key(key)) else { return nil }
            guard !path.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw problem(key, "must be the path of a file holding the secret (readable by its owner only)")
            }
            return path
        }
        tokenFile = try filePath("token_file")
        passwordFile = try filePath("password_file")
        tls = try c.decodeIfPresent(TLSOptions.self, forKey: Key("tls")) ?? TLSOptions()
        headers = try HeaderOption.decodeList(c, forKey: Key("headers"))
        if let seconds = try c.decodeIfPresent(FlexibleDuration.self, forKey: Key("timeout"))?.seconds {
            timeout = Double(seconds)
        } else {
            timeout = Self.defaultTimeout
        }
        if c.contains(Key("roles")) {
            let r = try c.nestedContainer(keyedBy: Key.self, forKey: Key("roles"))
            var roles: [String: Role] = [:]
            for key in r.allKeys {
                guard ["READ", "USE", "EDIT", "MANAGE"].contains(key.stringValue) else {
                    throw DecodingError.dataCorruptedError(forKey: key, in: r, debugDescription: "not an MLflow permission (READ, USE, EDIT or MANAGE)")
                }
                let text = try r.decode(String.self, forKey: key)
                guard let role = Role(rawValue: text), role != .controller else {
                    throw DecodingError.dataCorruptedError(forKey: key, in: r, debugDescription: "`\(text)` is not a role (owner, oncall or reviewer)")
                }
                roles[key.stringValue] = role
            }
            permissionRoles = roles
        }
        if let (key, message) = firstProblem() {
            if key.hasPrefix("tls.") {
                let t = try c.nestedContainer(keyedBy: Key.self, forKey: Key("tls"))
                throw DecodingError.dataCorruptedError(forKey: Key(String(key.dropFirst(4))), in: t, debugDescription: message)
            }
            throw problem(key, message)
        }
    }

    private static func defaultName(of key: String) -> String {
        switch key {
        case "token_env": return defaultTokenEnv
        case "username_env": return defaultUsernameEnv
        default: return defaultPasswordEnv
        }
    }

    /// The first problem of the options, as the key at fault and a sentence.
    private func firstProblem() -> (key: String, message: String)? {
        if url.user != nil || url.password != nil {
            return ("url", "must not hold a user name or password (they would be shown wherever the URL is); use "
                    + "username_env and password_env (or password_file)")
        }
        if tokenEnv != nil && tokenFile != nil { return ("token_file", "use token_env or token_file, not both") }
        if passwordEnv != nil && passwordFile != nil { return ("password_file", "use password_env or password_file, not both") }
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty else {
            return ("url", "`\(url.absoluteString)` must be an http:// or https:// URL with a host (e.g. http://127.0.0.1:5000)")
        }
        guard timeout > 0 else { return ("timeout", "must be longer than 0s") }
        return tls.fileProblem
    }

    private func validate() throws {
        if let (key, message) = firstProblem() { throw MLflowConfigurationError("\(key): \(message)") }
    }

    /// The extra headers with their values read from `environment` and files; a problem is a
    /// `MLflowConfigurationError` naming the header's key, never its value.
    public func headerFields(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [HTTPHeaderField] {
        do {
            return try HeaderOption.resolve(headers, environment: environment)
        } catch {
            throw MLflowConfigurationError(error.description)
        }
    }

    /// Which variables hold the credentials, for error messages ("check MLFLOW_TRACKING_USERNAME/PASSWORD").
    public func credentialVariables(for credentials: HTTPCredentials) -> String {
        let token = tokenFile.map { "the token in \($0)" } ?? tokenVariable
        let password = passwordFile.map { "the password in \($0)" } ?? passwordVariable
        switch credentials {
        case .bearer: return token
        case .basic: return passwordFile == nil ? "\(usernameVariable)/\(passwordVariable)" : "\(usernameVariable) and \(password)"
        case .none: return "\(token), or \(usernameVariable) and \(password)"
        }
    }

    /// Reads the credentials from `environment` (rules in the type's documentation). Fails with a
    /// `MLflowConfigurationError` naming each variable that is needed but unset or empty.
    public func credentials(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> HTTPCredentials {
        func value(_ name: String) -> String? {
            guard let v = environment[name], !v.isEmpty else { return nil }
            return v
        }
        func file(_ path: String, _ purpose: String) throws -> String {
            do {
                return try SecretFile.read(path, purpose: purpose)
            } catch {
                throw MLflowConfigurationError(error.description)
            }
        }
        let token = try tokenFile.map { try file($0, "MLflow token (token_file)") } ?? value(tokenVariable)
        let user = value(usernameVariable)
        let password = try passwordFile.map { try file($0, "MLflow password (password_file)") } ?? value(passwordVariable)
        let bearer: HTTPCredentials? = token.map { .bearer(token: $0) }
        var basic: HTTPCredentials? = nil
        if let user, let password { basic = .basic(user: user, password: password) }
        let tokenNamed = tokenEnv != nil || tokenFile != nil
        let basicNamed = usernameEnv != nil || passwordEnv != nil || passwordFile != nil

        func missingBasic() -> MLflowConfigurationError {
            let missing = [(usernameVariable, user), (passwordVariable, password)].filter { $0.1 == nil }.map(\.0)
            let list = missing.joined(separator: " and ")
            return MLflowConfigurationError("\(list) \(missing.count == 1 ? "is" : "are") not set in the environment: basic "
                + "authentication needs both \(usernameVariable) and \(passwordVariable)")
        }
        switch (tokenNamed, basicNamed) {
        case (true, true):
            if let bearer { return bearer }
            if let basic { return basic }
            throw MLflowConfigurationError("neither \(tokenVariable) (token_env) nor both \(usernameVariable) and "
                + "\(passwordVariable) (username_env, password_env) are set in the environment")
        case (true, false):
            if let bearer { return bearer }
            throw MLflowConfigurationError("token_env names \(tokenVariable), which is not set in the environment: export it, "
                + "or remove token_env to connect without a token")
        case (false, true):
            if let basic { return basic }
            throw missingBasic()
        case (false, false):
            if let bearer { return bearer }
            if let basic { return basic }
            if user != nil || password != nil { throw missingBasic() }
            return .none
        }
    }

    /// The URL for messages: no user information, no trailing slash.
    var displayURL: String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url.absoluteString }
        components.user = nil
        components.password = nil
        components.query = nil
        var text = components.string ?? url.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
