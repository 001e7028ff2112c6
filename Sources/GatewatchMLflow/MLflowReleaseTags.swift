import Foundation
import GatewatchCore
import GatewatchAudit

/// The tags of one release read from its model version (layout in `MLflowTagLayout`), parsed strictly: a key of
/// another release or of anyone else is ignored, and bad values become clear errors or visible placeholders, never a
/// crash.
struct MLflowReleaseTags {
    struct StateEntry {
        var key: String
        var version: Int64
        var token: String
        var value: String
    }

    struct AuditEntry {
        var key: String
        var sequence: Int64
        var token: String
        var value: String
    }

    let slug: String
    /// Where the tags live, for messages: "model 'm' version 8".
    let place: String
    private(set) var specCount: String?
    private(set) var specChunks: [Int: String] = [:]
    private(set) var states: [StateEntry] = []
    private(set) var audits: [AuditEntry] = []
    /// The value of the `audit.head` tag, when present.
    private(set) var headValue: String?
    /// Every key of the release that was recognised.
    private(set) var keys: [String] = []

    init(slug: String, place: String, tags: [MLflowREST.Tag]) {
        self.slug = slug
        self.place = place
        let prefix = MLflowTagLayout.prefix(slug)
        for tag in tags where tag.key.hasPrefix(prefix) {
            let parts = tag.key.dropFirst(prefix.count).split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            switch parts.count {
            case 2 where parts[0] == "audit" && parts[1] == "head":
                headValue = tag.value
            case 2 where parts[0] == "spec":
                if parts[1] == "chunks" {
                    specCount = tag.value
                } else if Self.isDigits(parts[1]), let index = Int(parts[1]) {
                    specChunks[index] = tag.value
                } else {
                    continue
                }
            case 3 where (parts[0] == "state" || parts[0] == "audit") && Self.isDigits(parts[1]) && Self.isToken(parts[2]):
                guard let number = Int64(parts[1]) else { continue }
                if parts[0] == "state" {
                    states.append(StateEntry(key: tag.key, version: number, token: parts[2], value: tag.value))
                } else {
                    audits.append(AuditEntry(key: tag.key, sequence: number, token: parts[2], value: tag.value))
                }
            default:
                continue
            }
            keys.append(tag.key)
        }
        states.sort { ($0.version, $0.token) < ($1.version, $1.token) }
        audits.sort { ($0.sequence, $0.token) < ($1.sequence, $1.token) }
    }

    static func isDigits(_ s: String) -> Bool { !s.isEmpty && s.count <= 18 && s.allSatisfy { $0.isASCII && $0.isNumber } }
    static func isToken(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 32 && s.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }

    /// True when no tag of the release is present.
    var isEmpty: Bool { specCount == nil && specChunks.isEmpty && states.isEmpty && audits.isEmpty && headValue == nil }

    /// The release spec, or nil when no spec tag is present; an incomplete or unreadable spec is an error.
    func release() throws -> Release? {
        guard let countText = specCount else {
            if specChunks.isEmpty { return nil }
            throw RegistryError.unavailable("the spec of release '\(slug)' on \(place) has no \(MLflowTagLayout.specCountKey(slug)) tag")
        }
        guard let count = Int(countText), count > 0, count < 10_000 else {
            throw RegistryError.unavailable("tag \(MLflowTagLayout.specCountKey(slug)) on \(place) is '\(countText)', not a number of pieces")
        }
        var text = ""
        for index in 0..<count {
            guard let piece = specChunks[index] else {
                throw RegistryError.unavailable("the spec of release '\(slug)' on \(place) is incomplete: tag "
                                                + "\(MLflowTagLayout.specKey(slug, index)) (piece \(index + 1) of \(count)) is missing")
            }
            text += piece
        }
        do {
            return try JSONDecoder().decode(Release.self, from: Data(text.utf8))
        } catch {
            throw RegistryError.unavailable("the spec of release '\(slug)' on \(place) cannot be read (\(MLflowREST.describe(error)))")
        }
    }

    /// The state tag that counts: the highest version; when two writers briefly hold the same version (one of them
    /// is about to withdraw), the smaller token, so that every reader picks the same one.
    var currentEntry: StateEntry? {
        guard let top = states.last?.version else { return nil }
        return states.first { $0.version == top }
    }

    /// The current rollout state, or nil when no state tag is present. A state whose stage index is not a stage of
    /// the release's spec is an error (the analysis would index past the stage plan).
    func state() throws -> RolloutState? {
        guard let entry = currentEntry else { return nil }
        let state = try Self.decodeState(entry, place: place, slug: slug).state
        if let stages = (try? release())?.stages.count, state.stageIndex >= stages {
            throw RegistryError.damagedState(release: slug, problem: "state tag \(entry.key) on \(place) is at stage index \(state.stageIndex), but the "
                                            + "spec of release '\(slug)' has \(stages) stages (0–\(stages - 1))")
        }
        return state
    }

    /// Times in a state tag must be within this many seconds of the epoch (about 3,000 years either way): anything
    /// further is not a time in seconds, and subtracting it from the clock would overflow.
    static let timeLimit: Int64 = 100_000_000_000

    /// The stored state of a tag; values no writer produces (a negative stage index, a time out of any plausible
    /// range) are errors here, not crashes in whatever reads the state next. Tags are plain data on the server that
    /// anyone with edit rights on the model can write. Each is `RegistryError.damagedState` for `slug`: a rollback
    /// (`MLflowRegistry.replaceDamagedState`) writes a sound state over it.
    static func decodeState(_ entry: StateEntry, place: String, slug: String) throws -> MLflowTagLayout.StoredState {
        var stored: MLflowTagLayout.StoredState
        do {
            stored = try JSONDecoder().decode(MLflowTagLayout.StoredState.self, from: Data(entry.value.utf8))
        } catch {
            throw RegistryError.damagedState(release: slug, problem: "state tag \(entry.key) on \(place) cannot be read (\(MLflowREST.describe(error)))")
        }
        stored.state.version = entry.version
        let state = stored.state
        if state.stageIndex < 0 {
            throw RegistryError.damagedState(release: slug, problem: "state tag \(entry.key) on \(place) has the stage index \(state.stageIndex), not a stage")
        }
        let limit = -timeLimit...timeLimit
        for (field, time) in [("startedAt", state.startedAt), ("stageEnteredAt", state.stageEnteredAt), ("written_at", stored.writtenAt)]
        where !limit.contains(time) {
            throw RegistryError.damagedState(release: slug, problem: "state tag \(entry.key) on \(place) has \(field) \(time), not a time in seconds")
        }
        return stored
    }

    /// State tags other than the writer's at `version` or later.
    func stateRivals(version: Int64, token: String) -> [StateEntry] {
        states.filter { $0.version >= version && $0.token != token }
    }

    /// Audit tags other than the writer's at `sequence` or later.
    func auditRivals(sequence: Int64, token: String) -> [AuditEntry] {
        audits.filter { $0.sequence >= sequence && $0.token != token }
    }

    /// The highest audit sequence number in use (0 when none).
    var lastSequence: Int64 { audits.last?.sequence ?? 0 }

    /// The stored head of the audit chain; `.empty` when there is no head tag yet. An unreadable head is an error.
    func chainHead() throws -> MLflowTagLayout.StoredHead {
        guard let headValue else { return .empty }
        guard let head = try? JSONDecoder().decode(MLflowTagLayout.StoredHead.self, from: Data(headValue.utf8)) else {
            throw RegistryError.unavailable("tag \(MLflowTagLayout.auditHeadKey(slug)) on \(place) cannot be read: '\(headValue.prefix(80))'")
        }
        return head
    }

    /// An audit tag's event and chain link, or nil when the tag cannot be read.
    static func storedEvent(_ entry: AuditEntry) -> MLflowTagLayout.StoredEvent? {
        try? JSONDecoder().decode(MLflowTagLayout.StoredEvent.self, from: Data(entry.value.utf8))
    }

    /// True when the release's events were written before the hash chain (no head, no event with chain fields).
    var needsChainUpgrade: Bool {
        headValue == nil && !audits.isEmpty && audits.allSatisfy { Self.storedEvent($0)?.link == nil }
    }

    /// The audit events in stored order with their chain fields, and the head, for `AuditVerifier`.
    func auditTrail() -> AuditTrail {
        let records = audits.map { entry -> AuditRecord in
            let stored = Self.storedEvent(entry)
            return AuditRecord(event: stored?.event, link: stored?.link, location: "tag \(entry.key)")
        }
        let head = headValue.flatMap { try? JSONDecoder().decode(MLflowTagLayout.StoredHead.self, from: Data($0.utf8)) }
        let problem = headValue != nil && head == nil ? "the head tag \(MLflowTagLayout.auditHeadKey(slug)) cannot be read" : nil
        return AuditTrail(release: slug, records: records, head: head?.head, eventsAfterHeadMayBePending: true, headProblem: problem)
    }

    /// The audit events in order, with ids = sequence numbers. An unreadable tag shows up as a note saying so.
    func events() -> [AuditEvent] {
        audits.map { entry in
            if var event = try? JSONDecoder().decode(AuditEvent.self, from: Data(entry.value.utf8)) {
                event.id = entry.sequence
                event.release = slug
                return event
            }
            return AuditEvent(id: entry.sequence, release: slug, time: 0, actor: "?", role: .reviewer, kind: .note,
                              reason: "unreadable audit tag \(entry.key) on \(place)", fromState: "", toState: "")
        }
    }
}
