import GatewatchCore
import GatewatchUI

/// The header's "who you are": name, role, where the role came from, and what limits it.
enum IdentityBadge {
    /// The longest of these that fits `width`: "root · owner (store grant) · read-only", "root · owner · read-only",
    /// "root·owner"; empty when not even the short one fits. A viewer reads "viewer", an unverified identity
    /// carries "unverified".
    static func text(_ identity: Identity, readOnly: Bool, width: Int) -> String {
        let role = identity.role?.rawValue ?? "viewer"
        let limits = (identity.verified ? [] : ["unverified"]) + (readOnly ? ["read-only"] : [])
        let tail = limits.map { " · \($0)" }.joined()
        let candidates = [
            "\(identity.name) · \(role) (\(identity.source))\(tail)",
            "\(identity.name) · \(role)\(tail)",
            "\(identity.name) · \(role)\(limits.isEmpty ? "" : " · " + limits.map { String($0.prefix(5)) }.joined(separator: ","))",
            "\(DisplayWidth.truncate(identity.name, toWidth: 10))·\(role)\(limits.isEmpty ? "" : "!")",
        ]
        return candidates.first { DisplayWidth.of($0) <= width } ?? ""
    }

    /// "owner", "oncall or owner": the people's roles that may do `action`, highest last.
    static func needed(_ action: OperatorAction) -> String {
        Role.people.reversed().filter { action.allowedRoles.contains($0) }.map(\.rawValue).joined(separator: " or ")
    }
}
