import GatewatchYAML
import Yams

extension Theme {
    /// Roles a theme file sets that no screen uses (usually typos such as `rule.fring`), with their positions.
    /// Call it on a file that `parse(yaml:name:base:)` accepted; unreadable YAML gives no findings here.
    public static func unknownRoles(inYAML yaml: String, known: [String] = Theme.knownRoles) -> [ThemeError] {
        guard let root = try? YAMLLimits.compose(yaml: yaml), let top = root.mapping else { return [] }
        let knownSet = Set(known)
        var findings: [ThemeError] = []
        for (keyNode, value) in top where keyNode.string == "roles" {
            guard let roles = value.mapping else { continue }
            for (roleNode, _) in roles {
                guard let role = roleNode.string, !knownSet.contains(role) else { continue }
                let family = known.filter { $0.hasPrefix(role.split(separator: ".").first.map(String.init) ?? role) }
                let hint: String
                if let near = closest(to: role, among: known) {
                    hint = "did you mean `\(near)`?"
                } else if !family.isEmpty {
                    hint = "did you mean one of " + family.joined(separator: ", ") + "?"
                } else {
                    hint = "known roles: " + known.joined(separator: ", ")
                }
                findings.append(ThemeError(
                    line: roleNode.mark?.line ?? 1, column: roleNode.mark?.column ?? 1,
                    message: "unknown role `\(role)` (ignored)", hint: hint))
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

extension Theme {
    /// The known name closest to `name` by edit distance (case-insensitive), if close enough to be a typo: one edit
    /// for names of up to four characters, two up to eight, three beyond (the rule of `Spelling` in GatewatchCore,
    /// which this module does not depend on).
    static func closest(to name: String, among known: [String]) -> String? {
        let a = Array(name.lowercased())
        guard !a.isEmpty else { return nil }
        let limit = a.count <= 4 ? 1 : (a.count <= 8 ? 2 : 3)
        var best: (name: String, distance: Int)? = nil
        for candidate in known {
            let b = Array(candidate.lowercased())
            var previous = Array(0...b.count)
            for i in 1...a.count {
                var current = [i] + [Int](repeating: 0, count: b.count)
                for j in stride(from: 1, through: b.count, by: 1) {
                    current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                }
                previous = current
            }
            if previous[b.count] <= limit, previous[b.count] < (best?.distance ?? Int.max) { best = (candidate, previous[b.count]) }
        }
        return best?.name
    }
}
