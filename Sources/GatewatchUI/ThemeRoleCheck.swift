import Yams

extension Theme {
    /// Roles a theme file sets that no screen uses (usually typos such as `rule.fring`), with their positions.
    /// Call it on a file that `parse(yaml:name:base:)` accepted; unreadable YAML gives no findings here.
    public static func unknownRoles(inYAML yaml: String, known: [String] = Theme.knownRoles) -> [ThemeError] {
        guard let root = try? Yams.compose(yaml: yaml), let top = root.mapping else { return [] }
        let knownSet = Set(known)
        var findings: [ThemeError] = []
        for (keyNode, value) in top where keyNode.string == "roles" {
            guard let roles = value.mapping else { continue }
            for (roleNode, _) in roles {
                guard let role = roleNode.string, !knownSet.contains(role) else { continue }
                let near = known.filter { $0.hasPrefix(role.split(separator: ".").first.map(String.init) ?? role) }
                findings.append(ThemeError(
                    line: roleNode.mark?.line ?? 1, column: roleNode.mark?.column ?? 1,
                    message: "unknown role `\(role)` (ignored)",
                    hint: near.isEmpty ? "known roles: " + known.joined(separator: ", ") : "did you mean one of " + near.joined(separator: ", ") + "?"))
            }
        }
        return findings
    }

    /// The theme for a terminal without colour (`NO_COLOR`, or a monochrome terminal): every colour removed.
    /// The built-in default becomes `mono`, whose attributes were chosen to tell states apart without colour
    /// (stripping the default's colours would leave `rule.ok` and `rule.pending` looking the same).
    public func forNoColor() -> Theme {
        if roles == Theme.default.roles { return Theme(name: name, roles: Theme.mono.roles) }
        return withoutColor()
    }
}
