/// A release's stored audit events in stored order, and its head, as read for verification.
public struct AuditTrail: Sendable, Hashable {
    public var release: String
    public var records: [AuditRecord]
    public var head: AuditHead?
    /// Whether events after the head are an append still in progress rather than tampering. In MLflow the event
    /// and the head are two writes, so a writer between them (or one that stopped there) leaves events after the
    /// head; in SQLite both are one transaction, so an event after the head was added outside Gatewatch.
    /// Writers wait for an append in progress to finish before appending, so at most one event can be after the head.
    public var eventsAfterHeadMayBePending: Bool
    /// Why the stored head could not be read, when it is there but unreadable.
    public var headProblem: String?

    public init(release: String, records: [AuditRecord], head: AuditHead?, eventsAfterHeadMayBePending: Bool, headProblem: String? = nil) {
        self.release = release
        self.records = records
        self.head = head
        self.eventsAfterHeadMayBePending = eventsAfterHeadMayBePending
        self.headProblem = headProblem
    }
}
