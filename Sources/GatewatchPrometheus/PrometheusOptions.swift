import Foundation
import GatewatchCore
import GatewatchHTTP

/// The `metrics:` section of the config for a Prometheus-compatible server (Prometheus, Thanos Query, Mimir, …):
///
/// ```yaml
/// metrics:
///   kind: prometheus
///   url: https://prometheus.example.com        # base URL; /api/v1/query_range is appended
///   bearer_token_env: PROM_TOKEN               # or bearer_token_file, or basic_auth (only one of them)
///   bearer_token_file: /run/secrets/prom-token # a file only its owner may read (mode 600)
///   basic_auth: { username_env: PROM_USER, password_env: PROM_PASSWORD }   # or password_file: FILE
///   tls: { verify: true, ca_file: /etc/ssl/company-ca.pem }   # client_cert + client_key for mutual TLS
///   headers: { X-Scope-OrgID: team-risk }      # extra headers (a Mimir/Cortex tenant); `HeaderOption`
///   timeout: 10s        # per request, connection included (default 10s)
///   step: 60s           # query resolution: one sample per series per step (default 60s)
///   history: 14d        # how far back the first poll of a release reaches (default 14d)
///   mapping:            # optional: the exporter's labels and metric names (`PrometheusLabelMapping`)
///     release: model_release
///     arm: { label: variant, champion: stable, challenger: canary }
///     segment: [market, surface]
///     names: { gatewatch_decisions_total: my_decisions_total }
///   queries:            # optional PromQL per metric family, replacing the built `<metric>{release="{{release}}"}`
///     gatewatch_decisions_total: 'sum without (instance, pod) (gatewatch_decisions_total{release="{{release}}"})'
/// ```
///
/// Credentials are never written in the config: it names the environment variables that hold them, or files that
/// only their owner can access (`SecretFile`); `credentials(environment:)` reads them when the store is built and
/// fails with the variable's or file's name when one is unset, unreadable or readable by others. Query templates and their placeholders are described in
/// `PrometheusQueryTemplate`; keys of `queries` are contract metric names (`MetricFamily` raw values, e.g.
/// `gatewatch_score_bucket`). Unknown keys are errors, so a typo never silently falls back to a default.
/// Problems are `PrometheusError.configuration` values naming the key (from the memberwise initialiser) or
/// `DecodingError.dataCorrupted` with the key's coding path (when decoding).
public struct PrometheusOptions: Decodable, Sendable {
    // Every property is a constant checked by the initialisers: a store never sees a zero step or a bad URL.
    /// Basic authentication, by environment variable names.
    public struct BasicAuth: Sendable, Equatable {
        public var usernameEnv: String
        /// The variable holding the password; nil when `passwordFile` is used.
        public var passwordEnv: String?
        /// A file holding the password (owner-only permissions); nil when `passwordEnv` is used.
        public var passwordFile: String?

        public init(usernameEnv: String, passwordEnv: String? = nil, passwordFile: String? = nil) {
            self.usernameEnv = usernameEnv
            self.passwordEnv = passwordEnv
            self.passwordFile = passwordFile
        }
    }

    /// The server's base URL (`http://` or `https://`).
    public let url: URL
    /// Name of the environment variable holding a bearer token.
    public let bearerTokenEnv: String?
    /// Path of a file holding a bearer token (refused when its group or others may access it).
    public let bearerTokenFile: String?
    /// Names of the environment variables holding a user name and password.
    public let basicAuth: BasicAuth?
    /// Certificate verification (on unless turned off) and an optional extra CA file.
    public let tls: TLSOptions
    /// Extra request headers (values literal, from a variable or from a file; never printed).
    public let headers: [HeaderOption]
    /// Seconds one request may take, connection included.
    public let timeout: Double
    /// Query resolution in seconds; sample timestamps are multiples of it.
    public let step: Int64
    /// Seconds of history the first poll of a release fetches (when the caller passes no `after`); also the furthest
    /// back any poll reaches, however old its `after`.
    public let history: Int64
    /// The query of every metric family that has a configured template (the others are built from `mapping`).
    public let queries: [MetricFamily: PrometheusQueryTemplate]
    /// How the exporter's labels and names map to the contract's (the contract's own names when not configured).
    public let mapping: PrometheusLabelMapping

    /// Defaults of the optional keys.
    public static let defaultTimeout: Double = 10
    public static let defaultStep: Int64 = 60
    public static let defaultHistory: Int64 = 14 * 86_400

    /// Most points per series the first poll may ask for (`history / step`): ten requests per family.
    public static let maxHistoryPoints: Int64 = 110_000

    /// Keys of the section.
    public static let knownKeys = ["kind", "url", "bearer_token_env", "bearer_token_file", "basic_auth", "tls", "headers", "timeout", "step", "history", "mapping", "queries"]

    /// Options built in code; `queries` maps metric names to templates. Throws `PrometheusError.configuration`.
    public init(url: URL, bearerTokenEnv: String? = nil, bearerTokenFile: String? = nil, basicAuth: BasicAuth? = nil, tls: TLSOptions = TLSOptions(),
                headers: [HeaderOption] = [], timeout: Double = defaultTimeout, step: Int64 = defaultStep, history: Int64 = defaultHistory,
                mapping: PrometheusLabelMapping = .contract, queries: [String: String] = [:]) throws {
        self.url = url
        self.bearerTokenEnv = bearerTokenEnv
        self.bearerTokenFile = bearerTokenFile
        self.basicAuth = basicAuth
        self.tls = tls
        self.headers = headers
        self.timeout = timeout
        self.step = step
        self.history = history
        self.queries = try Self.templates(queries)
        try mapping.checkDistinctLabels()
        self.mapping = mapping
        try validate()
    }

    /// Decodes the section; a problem is a `DecodingError.dataCorrupted` whose coding path leads to the offending
    /// key (so `YAMLFile` can point at its line) and whose description says what is wrong.
    public init(from decoder: Decoder) throws {
        do {
            try self.init(decoding: decoder)
        } catch PrometheusError.configuration(let key, let message) {
            let path = decoder.codingPath + key.split(separator: ".").map { AnyKey(String($0)) as CodingKey }
            throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: message))
        }
    }

    private init(decoding decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        for key in c.allKeys where !Self.knownKeys.contains(key.stringValue) {
            throw PrometheusError.configuration(key: key.stringValue, message: Self.unknownKeyMessage(key.stringValue))
        }
        if let kind = try c.decodeIfPresent(String.self, forKey: AnyKey("kind")), kind != "prometheus" {
            throw PrometheusError.configuration(key: "kind", message: "`\(kind)`, but these are the options of kind `prometheus`")
        }
        guard let urlText = try c.decodeIfPresent(String.self, forKey: AnyKey("url")) else {
            throw PrometheusError.configuration(key: "", message: "url is required (e.g. `url: http://127.0.0.1:9090`)")
        }
        guard let url = URL(string: urlText.trimmingCharacters(in: .whitespaces)) else {
            throw PrometheusError.configuration(key: "url", message: "`\(urlText)` is not a URL")
        }
        self.url = url
        bearerTokenEnv = try c.decodeIfPresent(String.self, forKey: AnyKey("bearer_token_env"))
        bearerTokenFile = try c.decodeIfPresent(String.self, forKey: AnyKey("bearer_token_file"))
        if c.contains(AnyKey("basic_auth")) {
            let auth = try c.nestedContainer(keyedBy: AnyKey.self, forKey: AnyKey("basic_auth"))
            for key in auth.allKeys where !["username_env", "password_env", "password_file"].contains(key.stringValue) {
                throw PrometheusError.configuration(key: "basic_auth.\(key.stringValue)", message: "unknown key"
                    + " (basic_auth has username_env and password_env, each naming an environment variable, or password_file)")
            }
            let password = try auth.decodeIfPresent(String.self, forKey: AnyKey("password_env"))
            let passwordFile = try auth.decodeIfPresent(String.self, forKey: AnyKey("password_file"))
            guard let user = try auth.decodeIfPresent(String.self, forKey: AnyKey("username_env")),
                  password != nil || passwordFile != nil else {
                throw PrometheusError.configuration(key: "basic_auth", message: "needs username_env and one of password_env or password_file")
            }
            if password != nil && passwordFile != nil {
                throw PrometheusError.configuration(key: "basic_auth", message: "use password_env or password_file, not both")
            }
            basicAuth = BasicAuth(usernameEnv: user, passwordEnv: password, passwordFile: passwordFile)
        } else {
            basicAuth = nil
        }
        tls = try c.decodeIfPresent(TLSOptions.self, forKey: AnyKey("tls")) ?? TLSOptions()
        headers = try HeaderOption.decodeList(c, forKey: AnyKey("headers"))
        timeout = Double(try Self.duration(c, "timeout") ?? Int64(Self.defaultTimeout))
        step = try Self.duration(c, "step") ?? Self.defaultStep
        history = try Self.duration(c, "history") ?? Self.defaultHistory
        queries = try Self.templates(try c.decodeIfPresent([String: String].self, forKey: AnyKey("queries")) ?? [:])
        if let section = try c.decodeIfPresent(PrometheusLabelMapping.Value.self, forKey: AnyKey("mapping")) {
            mapping = try PrometheusLabelMapping.parse(section)
        } else {
            mapping = .contract
        }
        try validate()
    }

    /// Reads the credentials from `environment`; fails naming the variable when one is unset or empty.
    public func credentials(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> HTTPCredentials {
        func read(_ name: String, _ purpose: String) throws -> String {
            guard let value = environment[name], !value.isEmpty else {
                throw PrometheusError.missingEnvironmentVariable(name: name, purpose: purpose)
            }
            return value
        }
        func readFile(_ path: String, _ key: String, _ purpose: String) throws -> String {
            do {
                return try SecretFile.read(path, purpose: purpose)
            } catch {
                throw PrometheusError.configuration(key: key, message: error.description)
            }
        }
        if let name = bearerTokenEnv { return .bearer(token: try read(name, "bearer token for \(url.absoluteString)")) }
        if let path = bearerTokenFile {
            return .bearer(token: try readFile(path, "bearer_token_file", "bearer token for \(url.absoluteString)"))
        }
        if let auth = basicAuth {
            let user = try read(auth.usernameEnv, "user name for \(url.absoluteString)")
            if let path = auth.passwordFile {
                return .basic(user: user, password: try readFile(path, "basic_auth.password_file", "password for \(url.absoluteString)"))
            }
            return .basic(user: user, password: try read(auth.passwordEnv ?? "", "password for \(url.absoluteString)"))
        }
        return .none
    }

    /// The extra headers with their values read from `environment` and files; a problem names the header's key.
    public func headerFields(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [HTTPHeaderField] {
        do {
            return try HeaderOption.resolve(headers, environment: environment)
        } catch {
            throw PrometheusError.configuration(key: error.key, message: error.message)
        }
    }

    /// The query template of `family`.
    public func query(_ family: MetricFamily) -> PrometheusQueryTemplate {
        queries[family] ?? mapping.template(family)
    }

    // MARK: Checks

    private func validate() throws {
        if url.user != nil || url.password != nil {
            throw PrometheusError.configuration(key: "url", message: "must not hold a user name or password (they would be"
                + " shown wherever the URL is); put them in environment variables named by basic_auth")
        }
        guard let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
            throw PrometheusError.configuration(key: "url", message: "`\(url.absoluteString)` must be an http:// or https:// URL with a host")
        }
        if [bearerTokenEnv != nil, bearerTokenFile != nil, basicAuth != nil].filter({ $0 }).count > 1 {
            throw PrometheusError.configuration(key: "", message: "use one of bearer_token_env, bearer_token_file or basic_auth, not both")
        }
        if let auth = basicAuth, (auth.passwordEnv == nil) == (auth.passwordFile == nil) {
            throw PrometheusError.configuration(key: "basic_auth", message: "needs one of password_env or password_file")
        }
        for (key, path) in [("bearer_token_file", bearerTokenFile), ("basic_auth.password_file", basicAuth?.passwordFile)] {
            if let path, path.trimmingCharacters(in: .whitespaces).isEmpty {
                throw PrometheusError.configuration(key: key, message: "must be the path of a file holding the secret")
            }
        }
        for (key, name) in [("bearer_token_env", bearerTokenEnv), ("basic_auth.username_env", basicAuth?.usernameEnv),
                            ("basic_auth.password_env", basicAuth?.passwordEnv)] {
            guard let name else { continue }
            guard HeaderOption.isEnvironmentName(name) else {
                throw PrometheusError.configuration(key: key, message: "must name an environment variable (like PROM_TOKEN), not hold the"
                    + " secret itself; `\(name.count > 40 ? String(name.prefix(8)) + "…" : name)` is not a variable name")
            }
        }
        guard timeout > 0, timeout <= 3600 else { throw PrometheusError.configuration(key: "timeout", message: "must be more than 0s and at most 1h") }
        guard step > 0 else { throw PrometheusError.configuration(key: "step", message: "must be at least 1s") }
        guard history >= step else {
            throw PrometheusError.configuration(key: "history", message: "\(DurationText.format(history)) is shorter than one step (\(DurationText.format(step)))")
        }
        guard history / step <= Self.maxHistoryPoints else {
            throw PrometheusError.configuration(key: "history", message: "\(DurationText.format(history)) at a \(DurationText.format(step)) step is"
                + " \(history / step) points per series, more than \(Self.maxHistoryPoints); shorten history or make step longer")
        }
    }

    static func templates(_ texts: [String: String]) throws -> [MetricFamily: PrometheusQueryTemplate] {
        var out: [MetricFamily: PrometheusQueryTemplate] = [:]
        for (name, text) in texts {
            guard let family = MetricFamily(rawValue: name) else {
                let known = MetricFamily.allCases.map(\.rawValue)
                let near = known.first { $0.hasPrefix(name) || name.hasPrefix($0) }
                throw PrometheusError.configuration(key: "queries.\(name)", message: "unknown metric `\(name)`"
                    + (near.map { " (did you mean `\($0)`?)" } ?? "") + "; metrics: " + known.joined(separator: ", "))
            }
            out[family] = try PrometheusQueryTemplate(text, family: family)
        }
        return out
    }

    static func unknownKeyMessage(_ key: String) -> String {
        switch key {
        case "bearer_token", "token", "password", "username", "user":
            return "not accepted: secrets are read from environment variables named by bearer_token_env or"
                + " basic_auth: {username_env, password_env}, or from owner-only files (bearer_token_file,"
                + " basic_auth.password_file)"
        default:
            return "unknown key (known: " + knownKeys.joined(separator: ", ") + ")"
        }
    }

    static func duration(_ c: KeyedDecodingContainer<AnyKey>, _ key: String) throws -> Int64? {
        do {
            return try c.decodeIfPresent(FlexibleDuration.self, forKey: AnyKey(key))?.seconds
        } catch let DecodingError.dataCorrupted(context) {
            throw PrometheusError.configuration(key: key, message: context.debugDescription)
        } catch is DecodingError {
            throw PrometheusError.configuration(key: key, message: "must be a duration like 10s, 5m or 14d")
        }
    }

    /// A coding key for any string, to find unknown keys.
    typealias AnyKey = ConfigKey
}
