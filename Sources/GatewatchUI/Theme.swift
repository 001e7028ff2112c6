import GatewatchYAML
import Yams

/// Named style roles (e.g. `stage.active`, `rule.firing`) → `Style`.
public struct Theme: Hashable, Sendable {
    public var name: String
    public var roles: [String: Style]

    public init(name: String, roles: [String: Style]) {
        self.name = name
        self.roles = roles
    }

    /// The style for `role`, falling back by dropping the last dot component
    /// (`rule.firing.bold` → `rule.firing` → `rule`), then `.plain`.
    public func style(_ role: String) -> Style {
        var key = Substring(role)
        while true {
            if let s = roles[String(key)] { return s }
            guard let dot = key.lastIndex(of: ".") else { return .plain }
            key = key[..<dot]
        }
    }

    /// The same theme with every colour removed and the attributes kept (for `NO_COLOR`).
    public func withoutColor() -> Theme {
        Theme(name: name, roles: roles.mapValues { s in
            var s = s
            s.foreground = .default
            s.background = .default
            return s
        })
    }

    /// The role names every theme is expected to define.
    public static let knownRoles: [String] = [
        "title", "border", "border.focused", "header", "text", "text.dim",
        "stage.done", "stage.active", "stage.pending", "stage.failed",
        "rule.ok", "rule.pending", "rule.firing", "rule.acknowledged", "rule.inconclusive",
        "delta.good", "delta.bad", "delta.neutral",
        "status", "status.ok", "status.stale", "status.error",
        "help.key", "help.text", "histogram.champion", "histogram.challenger",
        "warning", "selection", "banner.paused",
    ]

    /// Calm, dark-terminal friendly, 16 ANSI colours only.
    public static let `default` = Theme(name: "default", roles: [
        "title": Style(bold: true),
        "border": Style(foreground: .brightBlack),
        "border.focused": Style(foreground: .cyan, bold: true),
        "header": Style(bold: true, underline: true),
        "text": .plain,
        "text.dim": Style(foreground: .brightBlack),
        "stage.done": Style(foreground: .green),
        "stage.active": Style(foreground: .brightCyan, bold: true),
        "stage.pending": Style(foreground: .brightBlack),
        "stage.failed": Style(foreground: .brightRed, bold: true),
        "rule.ok": Style(foreground: .green),
        "rule.pending": Style(foreground: .yellow),
        "rule.firing": Style(foreground: .brightRed, bold: true),
        "rule.acknowledged": Style(foreground: .magenta),
        "rule.inconclusive": Style(foreground: .brightBlack),
        "delta.good": Style(foreground: .green),
        "delta.bad": Style(foreground: .red, bold: true),
        "delta.neutral": .plain,
        "status": Style(foreground: .brightWhite, background: .blue),
        "status.ok": Style(foreground: .brightGreen, background: .blue, bold: true),
        "status.stale": Style(foreground: .brightYellow, background: .blue, bold: true),
        "status.error": Style(foreground: .brightWhite, background: .red, bold: true),
        "help.key": Style(foreground: .cyan, bold: true),
        "help.text": .plain,
        "histogram.champion": Style(foreground: .blue),
        "histogram.challenger": Style(foreground: .yellow),
        "warning": Style(foreground: .yellow, bold: true),
        "selection": Style(reverse: true),
        "banner.paused": Style(foreground: .black, background: .yellow, bold: true),
    ])

    /// No colours: meaning carried by bold, dim, underline and reverse (and by the widgets' symbols).
    public static let mono = Theme(name: "mono", roles: [
        "title": Style(bold: true),
        "border": .plain,
        "border.focused": Style(bold: true),
        "header": Style(bold: true, underline: true),
        "text": .plain,
        "text.dim": Style(dim: true),
        "stage.done": .plain,
        "stage.active": Style(bold: true, reverse: true),
        "stage.pending": Style(dim: true),
        "stage.failed": Style(bold: true, underline: true),
        "rule.ok": .plain,
        "rule.pending": Style(underline: true),
        "rule.firing": Style(bold: true, reverse: true),
        "rule.acknowledged": Style(dim: true, underline: true),
        "rule.inconclusive": Style(dim: true),
        "delta.good": .plain,
        "delta.bad": Style(bold: true),
        "delta.neutral": Style(dim: true),
        "status": Style(reverse: true),
        "status.ok": Style(reverse: true),
        "status.stale": Style(bold: true, reverse: true),
        "status.error": Style(bold: true, underline: true, reverse: true),
        "help.key": Style(bold: true),
        "help.text": .plain,
        "histogram.champion": .plain,
        "histogram.challenger": Style(bold: true),
        "warning": Style(bold: true),
        "selection": Style(reverse: true),
        "banner.paused": Style(bold: true, reverse: true),
    ])

    /// The built-in themes by name.
    public static let builtIn: [String: Theme] = ["default": .default, "mono": .mono]

    // MARK: Parsing

    /// Parses a theme file as a partial override of `base`:
    ///
    /// ```yaml
    /// roles:
    ///   rule.firing: { fg: bright-red, bg: default, bold: true }
    ///   delta.bad: red          # shorthand for { fg: red }
    /// ```
    /// A listed role starts from `base`'s style for that exact role (or plain) and changes only the given keys.
    /// Colours: `default`, the 16 ANSI names (`red`, `bright-red`, …) or 0–255. Attributes: `bold`, `dim`,
    /// `underline`, `reverse` (true/false). An optional top-level `name:` renames the theme.
    /// Unknown keys are ignored here; `parseWithWarnings` reports them.
    public static func parse(yaml: String, name: String, base: Theme) throws(ThemeError) -> Theme {
        try parseWithWarnings(yaml: yaml, name: name, base: base).theme
    }

    /// `parse`, plus warnings for what the file says that no screen uses: unknown top-level keys, unknown style
    /// keys and unknown roles (`known`), each with its position and, where a known name is close, "did you mean".
    public static func parseWithWarnings(yaml: String, name: String, base: Theme,
                                         known: [String] = Theme.knownRoles) throws(ThemeError) -> (theme: Theme, warnings: [ThemeError]) {
        var warnings: [ThemeError] = []
        let theme = try parse(yaml: yaml, name: name, base: base, warnings: &warnings)
        let roleWarnings = unknownRoles(inYAML: yaml, known: known)
        let all = (warnings + roleWarnings).sorted { ($0.line, $0.column) < ($1.line, $1.column) }
        return (theme, all)
    }

    private static func parse(yaml: String, name: String, base: Theme, warnings: inout [ThemeError]) throws(ThemeError) -> Theme {
        let root: Node?
        do {
            root = try YAMLLimits.compose(yaml: yaml)
        } catch let error as YAMLLimitError {
            throw ThemeError(line: error.line ?? 1, column: error.column ?? 1, message: error.message, hint: error.hint)
        } catch let error as YamlError {
            throw themeError(from: error)
        } catch {
            throw ThemeError(line: 1, column: 1, message: "cannot read theme: \(error)")
        }
        var theme = base
        theme.name = name
        guard let root else { return theme }
        guard let top = root.mapping else {
            throw err(root, "a theme must be a mapping with a `roles:` key", hint: "start the file with `roles:`")
        }
        for (keyNode, value) in top {
            let key = keyNode.string ?? ""
            switch key {
            case "name":
                guard let s = value.string, !s.isEmpty else { throw err(value, "`name` must be a non-empty string", hint: "e.g. `name: my-theme`") }
                theme.name = s
            case "roles":
                if let s = value.scalar, ["", "~", "null"].contains(s.string) { continue }
                guard let roles = value.mapping else {
                    throw err(value, "`roles` must be a mapping of role name to style",
                              hint: "e.g. `roles: { rule.firing: { fg: red, bold: true } }`")
                }
                for (roleNode, styleNode) in roles {
                    guard let role = roleNode.string, isValidRole(role) else {
                        throw err(roleNode, "invalid role name `\(roleNode.string ?? "?")`",
                                  hint: "role names are dot-separated words like `stage.active`")
                    }
                    theme.roles[role] = try parseStyle(styleNode, start: theme.roles[role] ?? .plain, warnings: &warnings)
                }
            default:
                warnings.append(err(keyNode, "unknown key `\(key)` (ignored)",
                                    hint: (closest(to: key, among: ["roles", "name"]).map { "did you mean `\($0)`? " } ?? "")
                                        + "a theme file has `roles:` and optionally `name:`"))
            }
        }
        return theme
    }

    private static func isValidRole(_ s: String) -> Bool {
        !s.isEmpty && s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        }
    }

    static let styleKeys = ["fg", "bg", "foreground", "background", "bold", "dim", "underline", "reverse"]

    private static func parseStyle(_ node: Node, start: Style, warnings: inout [ThemeError]) throws(ThemeError) -> Style {
        var style = start
        if node.scalar != nil {
            // Shorthand: `role: red`.
            style.foreground = try parseColor(node)
            return style
        }
        guard let map = node.mapping else {
            throw err(node, "a role's style must be a mapping or a colour",
                      hint: "e.g. `{ fg: red, bold: true }`")
        }
        for (keyNode, value) in map {
            let key = keyNode.string ?? ""
            switch key {
            case "fg", "foreground": style.foreground = try parseColor(value)
            case "bg", "background": style.background = try parseColor(value)
            case "bold": style.bold = try parseBool(value, key)
            case "dim": style.dim = try parseBool(value, key)
            case "underline": style.underline = try parseBool(value, key)
            case "reverse": style.reverse = try parseBool(value, key)
            default:
                warnings.append(err(keyNode, "unknown style key `\(key)` (ignored)",
                                    hint: closest(to: key, among: styleKeys).map { "did you mean `\($0)`?" }
                                        ?? "use fg, bg, bold, dim, underline, reverse"))
            }
        }
        return style
    }

    private static func parseColor(_ node: Node) throws(ThemeError) -> Color {
        guard let text = node.scalar?.string, let color = Color(name: text) else {
            let shown = node.scalar?.string ?? "non-scalar value"
            let hint = shown.hasPrefix("#")
                ? "hex colours are not supported; use a name or a palette number 0-255"
                : "use default, " + Color.ansiNames.prefix(8).joined(separator: ", ")
                    + ", bright-<name>, or a palette number 0-255"
            throw err(node, "unknown colour `\(shown)`", hint: hint)
        }
        return color
    }

    private static func parseBool(_ node: Node, _ key: String) throws(ThemeError) -> Bool {
        switch node.scalar?.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw err(node, "`\(key)` must be true or false", hint: "write `\(key): true` or `\(key): false`")
        }
    }

    private static func err(_ node: Node, _ message: String, hint: String? = nil) -> ThemeError {
        ThemeError(line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, message: message, hint: hint)
    }

    private static func themeError(from error: YamlError) -> ThemeError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let message = context.map { "\(problem) (\($0.text) at \($0.mark.line):\($0.mark.column))" } ?? problem
            return ThemeError(line: mark.line, column: mark.column, message: "invalid YAML: \(message)",
                              hint: "check indentation, colons and quoting near this position")
        case let .duplicatedKeysInMapping(duplicates, context):
            return ThemeError(line: context.mark.line, column: context.mark.column,
                              message: "duplicated keys: \(duplicates.joined(separator: ", "))",
                              hint: "each role may appear only once")
        case let .reader(problem, _, _, _):
            return ThemeError(line: 1, column: 1, message: "unreadable YAML: \(problem)")
        default:
            return ThemeError(line: 1, column: 1, message: "invalid YAML: \(error)")
        }
    }
}
