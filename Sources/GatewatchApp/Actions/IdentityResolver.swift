import GatewatchCore

/// Turns what the registry proves (`Registry.identity`) and what the user asks for (`--as`, the config's
/// `operator.role`, `--operator`) into the `Operator` every action is checked as. The actor is always the
/// registry's name; the asked role can only lower the granted one; the given name is recorded beside the actor.
public enum IdentityResolver {
    /// The identity, or a viewer naming the failure when the registry cannot say who the user is (a server that
    /// cannot be reached acts as if nobody had a role: nothing is allowed that the registry has not granted).
    public static func identity(_ registry: any Registry, release: String?) -> Identity {
        do {
            return try registry.identity(release: release)
        } catch {
            return Identity(name: SystemUser.current, role: nil, source: "the registry could not say who you are", verified: false,
                            note: "\(error)")
        }
    }

    /// The session's operator; throws `IdentityError` when there is no role or `asking` would raise it.
    public static func actingOperator(_ identity: Identity, asking: Role?, displayName: String?, readOnly: Bool = false) throws -> Operator {
        let role = try identity.role(asking: asking)
        return Operator(name: identity.name, role: role, readOnly: readOnly, displayName: displayName)
    }

    /// `--as` text to a person's role; nil for nil; throws the words for anything else.
    public static func askedRole(_ text: String?) throws -> Role? {
        guard let text else { return nil }
        guard let role = Role(rawValue: text), role != .controller else {
            throw IdentityError.notARole(text)
        }
        return role
    }
}
