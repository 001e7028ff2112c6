import Foundation
import GatewatchCore
import GatewatchPrometheus
import GatewatchMLflow
import GatewatchAlertmanager
import GatewatchUI
import GatewatchYAML
import Yams

/// The user's `gatewatch.yaml`:
///
/// ```yaml
/// theme: solarized-dark          # a file in themes/ (see `gatewatch run --theme`)
/// refresh: 2                     # seconds between polls
/// stale_after: 5m                # data older than this is stale (default: three evaluation steps + refresh)
/// future_skew: 5m                # samples dated further ahead of the clock are refused (default 5m)
/// operator: { name: Ada, role: oncall }   # owner | oncall | reviewer
/// keys:                          # AppAction raw values → key names (docs/KEYS.md)
///   moveDown: [j, down, ctrl-n]
/// ```
/// Unknown keys are warnings with their position; bad values are `InputError`s with `file:line:column` and a hint.
public struct GatewatchConfig: Sendable {
    /// The file read, nil for the built-in defaults.
    public var file: String?
    public var theme: String?
    public var refresh: Double?
    /// `stale_after` and `future_skew`, in seconds (see `FreshnessPolicy`).
    public var staleAfter: Int64?
    public var futureSkew: Int64?
    public var operatorName: String?
    public var role: Role?
    /// The key overrides as written (already checked against `base` by `parse`).
    public var keys: [AppAction: [Key]]
    /// `base` with `keys` applied.
    public var keyTable: KeyTable
    /// `file:line:column: message (hint: …)`, one per problem that did not stop the file from being used.
    public var warnings: [String]
    /// Commands run after a successful action, by audit kind (`promote`, `rollback`, …), with the event as JSON on stdin.
    public var hooks: [AuditKind: String] = [:]
    /// Where releases live (nil: the embedded store of the command).
    public var registry: RegistryConfig?
    /// Where metrics live (nil: the embedded store of the command).
    public var metrics: MetricsConfig?
    /// Where on-call's alerts live: acknowledging a rule also silences its alerts there for the episode.
    public var alertmanager: AlertmanagerOptions?

    /// The built-in defaults (no config file).
    public static func defaults(keys base: KeyTable = .default) -> GatewatchConfig {
        GatewatchConfig(file: nil, theme: nil, refresh: nil, operatorName: nil, role: nil, keys: [:], keyTable: base, warnings: [])
    }

    /// The top-level keys a config file may have.
    public static let knownKeys = ["theme", "refresh", "stale_after", "future_skew", "operator", "keys", "hooks", "registry", "metrics",
                                   "alertmanager"]
    /// Allowed range of `refresh` (the same as `--refresh`).
    public static let refreshRange: ClosedRange<Double> = 0.1...3600

    /// `$XDG_CONFIG_HOME/gatewatch`, else `~/.config/gatewatch`.
    public static func configDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty, xdg.hasPrefix("/") { return xdg + "/gatewatch" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.config/gatewatch"
    }

    /// The config file read when `--config` is not given (used only when it exists).
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        configDirectory(environment: environment) + "/config.yaml"
    }

    /// Reads a config file.
    public static func read(path: String, keys base: KeyTable = .default) throws(InputError) -> GatewatchConfig {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(file: path, message: "no such config file", hint: "check the path given to --config")
        }
        guard !isDirectory.boolValue else { throw InputError(file: path, message: "is a folder, not a config file") }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw InputError(file: path, message: "cannot read the config file (\(error.localizedDescription))")
        }
        let config = try parse(yaml: text, file: path, keys: base)
        // Hooks run commands as the user running Gatewatch (on-call machines: often with wide rights); a config that
        // someone else can change must not name them.
        if !config.hooks.isEmpty, let problem = FileTrust.problem(path) {
            throw InputError(file: path, message: "refusing a config that names hooks: \(problem)",
                             hint: "a hook runs commands as you; only you (or root) may be able to change the file that names it")
        }
        return config
    }

    /// Parses config text; `file` is used in messages.
    public static func parse(yaml: String, file: String, keys base: KeyTable = .default) throws(InputError) -> GatewatchConfig {
        var config = GatewatchConfig.defaults(keys: base)
        config.file = file
        let root: Node?
        do {
            root = try YAMLLimits.compose(yaml: yaml)
        } catch let error as YAMLLimitError {
            throw InputError(file: file, line: error.line, column: error.column, message: error.message, hint: error.hint)
        } catch let error as YamlError {
            throw ConfigYAML.locate(error, file: file)
        } catch {
            throw InputError(file: file, message: "cannot read the config: \(error)")
        }
        guard let root, root.null == nil else { return config } // empty file, or only comments
        let at = ConfigYAML(file: file)
        guard let top = root.mapping else {
            throw at.error(root, "a config file must be a mapping of settings", hint: "e.g. `theme: mono`")
        }
        var keyNodes: [AppAction: [(Key, Node)]] = [:]
        for (keyNode, value) in top {
            let key = keyNode.string ?? ""
            switch key {
            case "theme":
                let name = try at.text(value, "theme")
                guard ThemeLoader.isValidName(name) else {
                    throw at.error(value, "`\(name)` is not a theme name",
                                   hint: "a theme name is a file name in themes/ without .yaml, e.g. `mono`")
                }
                config.theme = name
            case "refresh":
                guard let text = value.scalar?.string, let seconds = Double(text.trimmingCharacters(in: .whitespaces)),
                      refreshRange.contains(seconds) else {
                    throw at.error(value, "`refresh` must be a number of seconds from 0.1 to 3600",
                                   hint: "e.g. `refresh: 2`")
                }
                config.refresh = seconds
            case "stale_after", "future_skew":
                guard let text = value.scalar?.string, let seconds = DurationText.parse(text.trimmingCharacters(in: .whitespaces)),
                      (key == "stale_after" ? 10...(7 * 86_400) : 0...86_400).contains(seconds) else {
                    throw at.error(value, key == "stale_after" ? "`stale_after` must be a duration from 10s to 7d" : "`future_skew` must be a duration from 0s to 1d",
                                   hint: key == "stale_after" ? "e.g. `stale_after: 5m`" : "e.g. `future_skew: 5m`")
                }
                if key == "stale_after" { config.staleAfter = seconds } else { config.futureSkew = seconds }
            case "operator":
                guard let map = value.mapping else {
                    throw at.error(value, "`operator` must be a mapping", hint: "e.g. `operator: { name: Ada, role: oncall }`")
                }
                for (subKey, subValue) in map {
                    switch subKey.string ?? "" {
                    case "name": config.operatorName = try at.text(subValue, "operator.name")
                    case "role": config.role = try at.role(subValue)
                    default:
                        config.warnings.append(at.warning(subKey, "unknown key `operator.\(subKey.string ?? "?")` (ignored)",
                                                          hint: Spelling.closest(to: subKey.string ?? "", among: ["name", "role"]).map { "did you mean `operator.\($0)`?" }
                                                              ?? "`operator` has `name` and `role`"))
                    }
                }
            case "keys":
                if value.null != nil { continue }
                guard let map = value.mapping else {
                    throw at.error(value, "`keys` must be a mapping of action to keys", hint: "e.g. `keys: { moveDown: [j, down] }`")
                }
                for (actionNode, keysNode) in map {
                    let name = actionNode.string ?? ""
                    guard let action = AppAction(rawValue: name) else {
                        let near = AppAction.allCases.first { $0.rawValue.lowercased() == name.lowercased() }
                            ?? Spelling.closest(to: name, among: AppAction.allCases.map(\.rawValue)).flatMap(AppAction.init(rawValue:))
                        config.warnings.append(at.warning(
                            actionNode, "unknown action `\(name)` (ignored)",
                            hint: near.map { "did you mean `\($0.rawValue)`?" }
                                ?? "actions: " + AppAction.allCases.map(\.rawValue).joined(separator: ", ")))
                        continue
                    }
                    keyNodes[action] = try at.keys(keysNode, action: action)
                }
            case "hooks":
                guard let map = value.mapping else {
                    throw at.error(value, "`hooks` must be a mapping of action to command", hint: "e.g. `hooks: { rollback: ./router-rollback.sh }`")
                }
                for (actionNode, commandNode) in map {
                    let name = actionNode.string ?? ""
                    guard let kind = AuditKind(rawValue: name), [.promote, .override, .rollback, .acknowledge, .pause, .resume].contains(kind) else {
                        throw at.error(actionNode, "`\(name)` is not an action with hooks", hint: "promote, override, rollback, acknowledge, pause, resume")
                    }
                    config.hooks[kind] = try at.text(commandNode, "hooks.\(name)")
                }
            case "sources":
                config.warnings.append(at.warning(keyNode, "`sources` is not a section (ignored)",
                                                  hint: "write `registry:` and `metrics:` at the top level"))
            case "registry":
                switch try at.kind(value, "registry", allowed: ["sqlite", "mlflow"]) {
                case "mlflow": config.registry = .mlflow(try at.options(MLflowOptions.self, value, "registry"))
                default: config.registry = .sqlite(path: try at.path(value, "registry"))
                }
            case "metrics":
                switch try at.kind(value, "metrics", allowed: ["sqlite", "prometheus"]) {
                case "prometheus": config.metrics = .prometheus(try at.options(PrometheusOptions.self, value, "metrics"))
                default: config.metrics = .sqlite(path: try at.path(value, "metrics"))
                }
            case "alertmanager":
                config.alertmanager = try at.options(AlertmanagerOptions.self, value, "alertmanager")
            default:
                config.warnings.append(at.warning(keyNode, "unknown key `\(key)` (ignored)",
                                                  hint: Spelling.closest(to: key, among: knownKeys).map { "did you mean `\($0)`?" }
                                                      ?? "known keys: " + knownKeys.joined(separator: ", ")))
            }
        }
        config.keys = keyNodes.mapValues { $0.map(\.0) }
        do {
            config.keyTable = try base.applying(config.keys)
        } catch {
            // Point at the offending key in the file (or at the action when no single key is to blame).
            let node = keyNodes[error.action]?.first { $0.0 == error.key }?.1
                ?? top["keys"]?.mapping?[error.action.rawValue]
                ?? top["keys"] ?? root
            throw at.error(node, error.message, hint: error.hint)
        }
        return config
    }
}

/// What `gatewatch run` needs from the config file and the theme, ready to use.
public struct LoadedConfig: Sendable {
    /// The config file read, nil when none was (built-in defaults).
    public var file: String?
    public var themeName: String
    /// The theme, with `NO_COLOR` already applied.
    public var theme: Theme
    public var themeWarning: String?
    public var keys: KeyTable
    public var refresh: Double?
    /// `stale_after` and `future_skew`, in seconds (see `FreshnessPolicy`).
    public var staleAfter: Int64?
    public var futureSkew: Int64?
    public var operatorName: String?
    public var role: Role?
    /// Problems in the config file that did not stop it from being used (`file:line:column: message (hint: …)`).
    public var warnings: [String]
    /// Commands run after successful actions (see `GatewatchConfig.hooks`).
    public var hooks: [AuditKind: String] = [:]
    public var registry: RegistryConfig?
    public var metrics: MetricsConfig?
    public var alertmanager: AlertmanagerOptions?

    /// The Alertmanager the config names, as an alert source (nil without `alertmanager:`); a credential that cannot
    /// be read is an error naming it.
    public func alertSource(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> (any AlertSource)? {
        guard let options = alertmanager else { return nil }
        do { return try AlertmanagerClient(options: options, environment: environment) } catch { throw SourceConfigError("\(error)") }
    }

    /// The freshness bound every command judges with: `stale_after` (default three evaluation steps plus the poll
    /// interval, `refresh` or 1 s) and `future_skew` (default 5 min). The dashboard, `check`, the guard and the
    /// action commands read the same config, so they judge alike.
    public func freshnessPolicy(pollInterval: Double? = nil) -> FreshnessPolicy {
        let standard = FreshnessPolicy.standard(evaluationInterval: 60, pollInterval: pollInterval ?? refresh ?? 1)
        return FreshnessPolicy(staleAfter: staleAfter ?? standard.staleAfter, futureSkew: futureSkew ?? FreshnessPolicy.defaultFutureSkew)
    }

    /// The hooks with what they must never show: the sources' credentials and extra header values (read from `environment` as the sources
    /// read them; a credential that cannot be read hides nothing, and the source itself reports the problem).
    public func hookRunner(environment: [String: String] = ProcessInfo.processInfo.environment) -> HookRunner {
        var secrets: [String] = []
        if case .mlflow(let options) = registry {
            secrets += (try? options.credentials(environment: environment))?.secretForms ?? []
            secrets += ((try? options.headerFields(environment: environment)) ?? []).map(\.value)
        }
        if case .prometheus(let options) = metrics {
            secrets += (try? options.credentials(environment: environment))?.secretForms ?? []
            secrets += ((try? options.headerFields(environment: environment)) ?? []).map(\.value)
        }
        return HookRunner(commands: hooks, secrets: secrets)
    }

    /// The config warnings followed by the theme warning: what to print to stderr before the dashboard starts.
    public var allWarnings: [String] {
        warnings + (themeWarning.map { $0.split(separator: "\n").map(String.init) } ?? [])
    }

    /// Reads `path` (an explicit `--config`: it must exist), else `GatewatchConfig.defaultPath` when that file
    /// exists, else the built-in defaults; then loads the theme (`themeOverride`, e.g. `--theme`, beats the file's
    /// `theme:`) with `ThemeLoader`. Throws `InputError` (`file:line:column: message (hint: …)`) for a bad config
    /// file; a bad theme is only a warning.
    public static func load(path: String?,
                            environment: [String: String] = ProcessInfo.processInfo.environment,
                            themeOverride: String? = nil,
                            themeSearchPaths: [String]? = nil) throws(InputError) -> LoadedConfig {
        let config: GatewatchConfig
        if let path {
            config = try GatewatchConfig.read(path: path)
        } else {
            let fallback = GatewatchConfig.defaultPath(environment: environment)
            config = FileManager.default.fileExists(atPath: fallback) ? try GatewatchConfig.read(path: fallback) : .defaults()
        }
        let name = themeOverride ?? config.theme ?? "default"
        let (theme, themeWarning) = ThemeLoader.load(
            name: name, searchPaths: themeSearchPaths ?? ThemeLoader.defaultSearchPaths(environment: environment),
            environment: environment)
        var loaded = LoadedConfig(file: config.file, themeName: name, theme: theme, themeWarning: themeWarning,
                                  keys: config.keyTable, refresh: config.refresh, operatorName: config.operatorName,
                                  role: config.role, warnings: config.warnings)
        loaded.hooks = config.hooks
        loaded.staleAfter = config.staleAfter
        loaded.futureSkew = config.futureSkew
        loaded.registry = config.registry
        loaded.metrics = config.metrics
        loaded.alertmanager = config.alertmanager
        return loaded
    }
}

/// Node helpers that turn problems into positioned `InputError`s and warnings.
struct ConfigYAML {
    let file: String

    func error(_ node: Node, _ message: String, hint: String? = nil) -> InputError {
        InputError(file: file, line: node.mark?.line, column: node.mark?.column, message: message, hint: hint)
    }

    func warning(_ node: Node, _ message: String, hint: String? = nil) -> String {
        error(node, message, hint: hint).description
    }

    func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    func text(_ node: Node, _ key: String) throws(InputError) -> String {
        guard let scalar = node.scalar, !isNull(node), !scalar.string.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw error(node, "`\(key)` must be non-empty text")
        }
        return scalar.string
    }

    func role(_ node: Node) throws(InputError) -> Role {
        let allowed: [Role] = [.owner, .oncall, .reviewer]
        let raw = node.scalar?.string.lowercased().replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "_", with: "") ?? ""
        guard let role = Role(rawValue: raw), allowed.contains(role) else {
            let shown = node.scalar?.string ?? "non-text value"
            throw error(node, "unknown role `\(shown)`",
                        hint: raw == "controller" ? "`controller` is the rollout controller itself; a person is owner, oncall or reviewer"
                            : "use " + allowed.map(\.rawValue).joined(separator: ", "))
        }
        return role
    }

    /// One key name or a list of them.
    func keys(_ node: Node, action: AppAction) throws(InputError) -> [(Key, Node)] {
        let items: [Node]
        if let sequence = node.sequence {
            items = Array(sequence)
        } else if node.scalar != nil, !isNull(node) {
            items = [node]
        } else if isNull(node) {
            throw error(node, "no keys given for `\(action.rawValue)`",
                        hint: "write `\(action.rawValue): []` to unbind it; quote punctuation keys, e.g. \"?\"")
        } else {
            throw error(node, "the keys of `\(action.rawValue)` must be a key name or a list of key names",
                        hint: "e.g. `\(action.rawValue): [j, down]`; quote punctuation keys, e.g. \"?\"")
        }
        var result: [(Key, Node)] = []
        for item in items {
            guard let scalar = item.scalar, !isNull(item) else {
                throw error(item, "not a key name", hint: "quote punctuation keys, e.g. \"?\" or \":\"")
            }
            switch Key.parse(scalar.string) {
            case .success(let key): result.append((key, item))
            case .failure(let problem):
                throw error(item, problem.message, hint: "key names: " + Key.nameSummary)
            }
        }
        return result
    }

    /// A YAML syntax error with its position.
    static func locate(_ error: YamlError, file: String) -> InputError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            return InputError(file: file, line: mark.line, column: mark.column,
                              message: "YAML syntax: \(problem)\(context.map { " \($0.text)" } ?? "")",
                              hint: "check indentation, colons and quoting (quote punctuation keys such as \"?\")")
        case let .duplicatedKeysInMapping(duplicates, context):
            return InputError(file: file, line: context.mark.line, column: context.mark.column,
                              message: "duplicated keys: \(duplicates.joined(separator: ", "))",
                              hint: "each setting and each action may appear only once")
        default:
            return InputError(file: file, message: "YAML: \(error)")
        }
    }
}
