import Foundation
import GatewatchCore
import GatewatchAudit

/// Names and values of the MLflow tags and aliases that hold Gatewatch's releases (the mapping is described on
/// `MLflowRegistry`).
///
/// On the registered model:
/// - `gatewatch.managed` = `true` — lets `releaseSlugs()` find the models that hold releases with one search;
/// - `gatewatch.release.<slug>` = the challenger version — the release index; written last when a release is created.
///
/// On the challenger's model version, every key starting with `gatewatch.<slug>.`:
/// - `spec.chunks` = N and `spec.000` … — the release spec as JSON, cut into pieces of at most `chunkLimit` characters;
/// - `state.<version, 8 digits>.<writer token>` = `{"state": RolloutState, "written_at": seconds}` — one tag per
///   state version, never rewritten;
/// - `audit.<sequence, 8 digits>.<writer token>` = one `AuditEvent` as JSON (without `id`; the id is the sequence),
///   with its hash-chain fields `position`, `prev_hash` and `hash` (see `AuditChain`);
/// - `audit.head` = `{"count": N, "hash": H, "sequence": S}` — the newest end of the chain: how many events, the
///   newest one's hash and its sequence number; written after each event.
enum MLflowTagLayout {
    /// The largest tag value written, in characters. MLflow 3.17.2 accepts 100,000 characters through the REST API,
    /// but its schema declares registered-model tag values as VARCHAR(5000) (SQLite ignores that, MySQL and
    /// PostgreSQL do not), so 5,000 is the limit that holds on every backend.
    static let chunkLimit = 5000
    /// MLflow's limit on tag keys.
    static let keyLimit = 250
    /// Longest slug whose keys stay within `keyLimit`.
    static let slugLimit = 200

    static let managedKey = "gatewatch.managed"
    static let indexPrefix = "gatewatch.release."
    static let championAlias = "champion"
    static let challengerAlias = "challenger"

    static func indexKey(_ slug: String) -> String { indexPrefix + slug }
    static func prefix(_ slug: String) -> String { "gatewatch.\(slug)." }
    static func specCountKey(_ slug: String) -> String { prefix(slug) + "spec.chunks" }
    static func specKey(_ slug: String, _ index: Int) -> String { prefix(slug) + "spec." + pad(index, 3) }
    static func stateKey(_ slug: String, version: Int64, token: String) -> String {
        prefix(slug) + "state." + pad(version, 8) + "." + token
    }
    static func auditKey(_ slug: String, sequence: Int64, token: String) -> String {
        prefix(slug) + "audit." + pad(sequence, 8) + "." + token
    }
    static func auditHeadKey(_ slug: String) -> String { prefix(slug) + "audit.head" }

    static func pad<T: BinaryInteger>(_ n: T, _ width: Int) -> String {
        let text = String(n)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    /// Why `slug` cannot name MLflow tags, or nil when it can. Tag keys allow letters, digits, `_ - . : /` and spaces;
    /// slugs are kept to letters, digits, `-`, `_` and `.` so that every key parses back unambiguously.
    static func slugProblem(_ slug: String) -> String? {
        if slug.isEmpty { return "the slug is empty" }
        if slug.count > slugLimit { return "the slug is longer than \(slugLimit) characters" }
        let allowed = slug.unicodeScalars.allSatisfy { s in
            (s.isASCII && (CharacterSet.alphanumerics.contains(s))) || s == "-" || s == "_" || s == "."
        }
        if !allowed { return "the slug '\(slug)' has characters other than ASCII letters, digits, '-', '_' and '.'" }
        if slug.hasPrefix(".") || slug.hasSuffix(".") || slug.contains("..") { return "the slug '\(slug)' has an empty part between dots" }
        return nil
    }

    /// A fresh writer token: 12 lowercase hex digits.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let n = generator.next() & 0xFFFF_FFFF_FFFF
        let hex = String(n, radix: 16)
        return String(repeating: "0", count: 12 - hex.count) + hex
    }

    /// `text` cut into pieces of at most `limit` Unicode scalars (MLflow counts characters as Python does).
    static func chunks(_ text: String, limit: Int = chunkLimit) -> [String] {
        let scalars = Array(text.unicodeScalars)
        guard !scalars.isEmpty else { return [""] }
        return stride(from: 0, to: scalars.count, by: limit).map { start in
            var piece = String.UnicodeScalarView()
            piece.append(contentsOf: scalars[start..<min(start + limit, scalars.count)])
            return String(piece)
        }
    }

    static func length(_ text: String) -> Int { text.unicodeScalars.count }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The value of a state tag.
    struct StoredState: Codable {
        var state: RolloutState
        /// Wall-clock seconds when the tag was written (tells a stale, half-created release from one being created).
        var writtenAt: Int64

        enum CodingKeys: String, CodingKey {
            case state
            case writtenAt = "written_at"
        }
    }

    /// The value of the `audit.head` tag.
    struct StoredHead: Codable, Equatable {
        var count: Int64
        var hash: String
        /// The sequence number of the newest event's tag (tags after it are appends in progress).
        var sequence: Int64

        static let empty = StoredHead(count: 0, hash: AuditChain.genesis, sequence: 0)
        var head: AuditHead { AuditHead(count: count, hash: hash) }
    }

    /// The value of an audit tag: the event's fields (as `AuditEvent` encodes them, without `id`) and its chain
    /// fields `position`, `prev_hash` and `hash` beside them.
    struct StoredEvent: Codable {
        var event: AuditEvent
        var link: AuditLink?

        enum LinkKeys: String, CodingKey {
            case position
            case previousHash = "prev_hash"
            case hash
        }

        init(event: AuditEvent, link: AuditLink?) {
            self.event = event
            self.link = link
        }

        init(from decoder: Decoder) throws {
            event = try AuditEvent(from: decoder)
            let c = try decoder.container(keyedBy: LinkKeys.self)
            if let position = try c.decodeIfPresent(Int64.self, forKey: .position),
               let previous = try c.decodeIfPresent(String.self, forKey: .previousHash),
               let hash = try c.decodeIfPresent(String.self, forKey: .hash) {
                link = AuditLink(position: position, previousHash: previous, hash: hash)
            } else {
                link = nil
            }
        }

        func encode(to encoder: Encoder) throws {
            try event.encode(to: encoder)
            guard let link else { return }
            var c = encoder.container(keyedBy: LinkKeys.self)
            try c.encode(link.position, forKey: .position)
            try c.encode(link.previousHash, forKey: .previousHash)
            try c.encode(link.hash, forKey: .hash)
        }
    }

    /// The value of an audit tag for `event` appended after `head`, and its chain link. A reason too long for one tag
    /// is shortened (ending in `…`) rather than split, so that an event is always one tag — one write that either
    /// happened or did not; the hash covers the reason as stored.
    static func auditValue(_ event: AuditEvent, after head: StoredHead) throws -> (value: String, link: AuditLink) {
        try auditValue(event) { AuditChain.link($0, after: head.count == 0 ? nil : head.head) }
    }

    /// The value of an audit tag for `event` with the link `chain` gives for the event as stored.
    static func auditValue(_ event: AuditEvent, chain: (AuditEvent) -> AuditLink) throws -> (value: String, link: AuditLink) {
        var stored = event
        stored.id = nil
        var link = chain(stored)
        var text = try json(StoredEvent(event: stored, link: link))
        while length(text) > chunkLimit {
            let excess = length(text) - chunkLimit
            let reason = Array(stored.reason.unicodeScalars)
            guard reason.count > 1 else {
                throw RegistryError.unavailable("an audit event of '\(event.release)' is longer than \(chunkLimit) characters even without its reason")
            }
            var cut = String.UnicodeScalarView()
            cut.append(contentsOf: reason[0..<max(0, reason.count - excess - 8)])
            stored.reason = String(cut) + "…"
            link = chain(stored)
            text = try json(StoredEvent(event: stored, link: link))
        }
        return (text, link)
    }
}
