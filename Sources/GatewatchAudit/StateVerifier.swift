import GatewatchCore

/// The second half of `gatewatch audit verify`: a stored rollout state must be one its audit log explains
/// (`StateCheck`), in the embedded store and in MLflow alike.
public enum StateVerifier {
    /// Why the stored state of `slug` is not what its audit log explains, or nil; a state that cannot be read at all
    /// is such a problem too.
    public static func problem(_ slug: String, in registry: any Registry) -> String? {
        do {
            guard let release = try registry.release(slug), let state = try registry.state(slug) else { return nil }
            return StateCheck.problem(release: release, stored: state, events: try registry.auditEvents(release: slug))
        } catch {
            return "the stored state cannot be read: \(error)"
        }
    }
}
