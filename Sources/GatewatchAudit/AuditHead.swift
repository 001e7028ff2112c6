/// The newest end of a release's audit chain, kept beside the events and written with each append: how many
/// events the release has and the hash of the newest one. It is what shows that the newest events were removed.
public struct AuditHead: Codable, Sendable, Hashable {
    public var count: Int64
    public var hash: String

    public init(count: Int64, hash: String) {
        self.count = count
        self.hash = hash
    }
}
