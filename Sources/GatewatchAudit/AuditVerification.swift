/// What `AuditVerifier` found for one release.
public struct AuditVerification: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        /// The chain is whole and ends at the head.
        case ok
        /// The first place where the stored log does not match its chain, in words.
        case broken(String)
        /// The events were stored before the chain existed and no writer has chained them yet (MLflow only).
        case unchained(String)
    }

    public var release: String
    /// Events read.
    public var checked: Int
    /// The head's hash as stored (the hash of the newest event), to record elsewhere; nil when there is none.
    public var headHash: String?
    /// Events after the head that chain correctly: an append in progress (MLflow only).
    public var pending: Int
    public var outcome: Outcome

    public init(release: String, checked: Int, headHash: String?, pending: Int, outcome: Outcome) {
        self.release = release
        self.checked = checked
        self.headHash = headHash
        self.pending = pending
        self.outcome = outcome
    }

    public var isBroken: Bool { if case .broken = outcome { return true } else { return false } }

    /// One line: "fraud-scoring-v8: 12 events checked, head 3fa1…, ok".
    public var line: String {
        var text = "\(release): \(checked) event\(checked == 1 ? "" : "s") checked, head \(headHash ?? "none")"
        switch outcome {
        case .ok: text += ", ok"
        case .broken(let why): text += ", TAMPERED: \(why)"
        case .unchained(let why): text += ", not chained: \(why)"
        }
        if pending > 0 { text += " (\(pending) newer event\(pending == 1 ? "" : "s") after the head: an append in progress or interrupted)" }
        return text
    }
}
