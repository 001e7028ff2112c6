/// Who the registry says the user is and which role it gives them: the actor of every event and the role every
/// action is checked against. The caller does not choose it; it can only lower the role (`Role.lowered(to:)`).
public struct Identity: Equatable, Sendable {
    /// The name the source authenticated: the operating-system user for the embedded store, the MLflow user.
    public var name: String
    /// The role the source grants; nil: a viewer, who may act on nothing.
    public var role: Role?
    /// Where the role came from, for the header and messages: "store grant", "MLflow MANAGE on fraud-model",
    /// "MLflow admin", "self-declared".
    public var source: String
    /// False when the source cannot prove who the user is (an MLflow server without authentication).
    public var verified: Bool
    /// What to do about it: how to get a role, why it is unverified; nil when nothing needs saying.
    public var note: String?

    public init(name: String, role: Role?, source: String, verified: Bool, note: String? = nil) {
        self.name = name
        self.role = role
        self.source = source
        self.verified = verified
        self.note = note
    }

    /// The role for this session when `wanted` is asked for (`--as`, the config's `operator.role`): the granted
    /// role, or a lower one. Throws `IdentityError` when there is no role or `wanted` would raise it.
    public func role(asking wanted: Role?) throws -> Role {
        guard let role else { throw IdentityError.noRole(self) }
        guard let wanted else { return role }
        guard let lowered = role.lowered(to: wanted) else { throw IdentityError.wouldRaise(self, wanted: wanted) }
        return lowered
    }

    /// One line for the header and `check`: "ana · oncall (store grant)", "ana · viewer (no role)", with
    /// "unverified" when the source cannot prove the name.
    public var summary: String {
        let role = self.role.map { "\($0.rawValue) (\(source))" } ?? "viewer (\(source))"
        return "\(name) · \(role)\(verified ? "" : " · unverified")"
    }
}

/// Why an identity may not act as asked; the words say how to get the role.
public enum IdentityError: Error, Equatable, CustomStringConvertible {
    case noRole(Identity)
    case wouldRaise(Identity, wanted: Role)
    /// `--as` names no person's role.
    case notARole(String)

    public var description: String {
        switch self {
        case .noRole(let who):
            return "\(who.name) has no role here (\(who.source)); \(who.note ?? "ask an owner for one")"
        case .wouldRaise(let who, let wanted):
            return "--as \(wanted.rawValue) would raise the role of \(who.name), who is \(who.role?.rawValue ?? "a viewer") (\(who.source)); --as can only lower a role"
        case .notARole(let text):
            return "--as '\(text)' is not a role (owner, oncall or reviewer)"
        }
    }
}
