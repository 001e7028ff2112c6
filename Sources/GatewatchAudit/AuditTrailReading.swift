/// A registry whose audit events carry the hash chain and can be read back for `gatewatch audit verify`.
public protocol AuditTrailReading {
    /// Releases that have audit events, sorted.
    func auditedReleases() throws -> [String]
    /// The stored events and head of one release, exactly as stored.
    func auditTrail(release: String) throws -> AuditTrail
}
