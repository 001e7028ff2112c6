/// One moment a reviewer can step to: a stage change, a decision, a rule transition, an acknowledgement, a note,
/// a pause, a label-maturity milestone or a piece of reviewer work.
public struct TimelineEvent: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case start, promotion, rollback, pause, acknowledgement, note, refusal
        /// A stop rule became pending or firing, or resolved.
        case rule
        /// A dry-run rule changed state: shown with what it would have done.
        case dryRun = "dry-run"
        /// A share of the release's decisions got its label.
        case labels
        /// Reviewer checklist ticks and the sign-off.
        case review
    }

    public var time: Timestamp
    public var kind: Kind
    /// One line, e.g. "promoted canary-1 → canary-5".
    public var title: String
    /// Reason, value against threshold, or other detail.
    public var detail: String
    /// Who did it (nil for rule transitions and milestones).
    public var actor: String?
    /// The audit event it comes from, if any.
    public var auditID: Int64?
    /// The segment of a per-segment rule's transition (written `[segment]` in the title; screens may shorten it).
    public var segment: String?

    public init(time: Timestamp, kind: Kind, title: String, detail: String = "", actor: String? = nil, auditID: Int64? = nil,
                segment: String? = nil) {
        self.segment = segment
        self.time = time
        self.kind = kind
        self.title = title
        self.detail = detail
        self.actor = actor
        self.auditID = auditID
    }

    /// The key that ties a reviewer note to this event (stored in the note's `fromState`).
    public var reference: String { "event@\(time) \(kind.rawValue): \(title)" }
}
