/// Where an audit event sits in its release's hash chain: its position (1 for the first event), the hash of the
/// event before it and its own hash (see `AuditChain`).
public struct AuditLink: Codable, Sendable, Hashable {
    public var position: Int64
    public var previousHash: String
    public var hash: String

    public init(position: Int64, previousHash: String, hash: String) {
        self.position = position
        self.previousHash = previousHash
        self.hash = hash
    }
}
