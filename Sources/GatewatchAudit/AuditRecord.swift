import GatewatchCore

/// One audit event as stored, with the chain fields read back as they are (nil where the store has none or they
/// cannot be read), for `AuditVerifier`.
public struct AuditRecord: Sendable, Hashable {
    /// The event's content; nil when the stored event cannot be read at all.
    public var event: AuditEvent?
    public var link: AuditLink?
    /// Where the event is stored, for messages ("id 12", "tag gatewatch.x.audit.00000003.ab12…").
    public var location: String

    public init(event: AuditEvent?, link: AuditLink?, location: String) {
        self.event = event
        self.link = link
        self.location = location
    }
}
