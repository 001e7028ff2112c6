import Foundation
import Testing
import GatewatchCore
@testable import GatewatchAudit

/// The audit hash chain and its verifier, on hand-built trails.
@Suite struct AuditChainTests {
    static let base = AuditEvent(release: "fraud-scoring-v8", time: 1_762_074_000, actor: "ana", role: .owner, kind: .promote,
                                 reason: "all gates passed", fromState: "shadow", toState: "canary-1")

    /// A trail of `count` chained events and its head.
    static func trail(_ count: Int, pendingAllowed: Bool = false) -> AuditTrail {
        let events = (0..<count).map { (i: Int) -> AuditEvent in
            let even = i % 2 == 0
            let kind: AuditKind = even ? .pause : .resume
            let to = even ? "paused" : "canary-1"
            return AuditEvent(release: "r", time: 1_000 + Int64(i), actor: "op\(i % 3)", role: .oncall, kind: kind,
                              reason: "step \(i)", fromState: "canary-1", toState: to)
        }
        let (links, head) = AuditChain.links(events)
        let records = zip(events, links).map { AuditRecord(event: $0, link: $1, location: "id \($1.position)") }
        return AuditTrail(release: "r", records: records, head: head, eventsAfterHeadMayBePending: pendingAllowed)
    }

    static func problem(_ trail: AuditTrail) -> String? {
        if case .broken(let why) = AuditVerifier.verify(trail).outcome { return why }
        return nil
    }

    @Test func changingAnySingleFieldChangesTheHash() {
        let e = Self.base
        let original = AuditChain.hash(e, position: 4, previousHash: AuditChain.genesis)
        var variants: [String: String] = [:]
        func variant(_ name: String, _ change: (inout AuditEvent) -> Void, position: Int64 = 4, previous: String = AuditChain.genesis) {
            var copy = e
            change(&copy)
            variants[name] = AuditChain.hash(copy, position: position, previousHash: previous)
        }
        variant("release") { $0.release = "fraud-scoring-v9" }
        variant("time") { $0.time += 1 }
        variant("actor") { $0.actor = "bo" }
        variant("role") { $0.role = .oncall }
        variant("kind") { $0.kind = .override }
        variant("reason") { $0.reason = "all gates passed." }
        variant("fromState") { $0.fromState = "canary-5" }
        variant("toState") { $0.toState = "canary-25" }
        variant("position", { _ in }, position: 5)
        variant("previousHash", { _ in }, previous: String(repeating: "0", count: 63) + "1")
        // Moving characters across a field boundary changes it too (every field is length-prefixed).
        variant("boundary") { $0.fromState = "shadowc"; $0.toState = "anary-1" }
        variant("id") { $0.id = 99 }
        for (name, hash) in variants where name != "id" {
            #expect(hash != original, "changing \(name) kept the hash")
        }
        #expect(variants["id"] == original, "the store's id is where the event is kept, not part of what happened")
        #expect(Set(variants.values.filter { $0 != original }).count == variants.count - 1)
        #expect(original.count == 64 && original.allSatisfy { "0123456789abcdef".contains($0) })
    }

    /// The encoding is a contract (hashes stored today must verify tomorrow): pinned for one event.
    @Test func theEncodingIsStable() {
        let encoding = AuditChain.encoding(Self.base, position: 1, previousHash: AuditChain.genesis)
        #expect(Array(encoding.prefix(26)) == [0, 0, 0, 0, 0, 0, 0, 18] + Array("gatewatch.audit.v1".utf8))
        #expect(AuditChain.hash(Self.base, position: 1, previousHash: AuditChain.genesis) == Self.pinnedHash)
    }
    static let pinnedHash = "0ca6650c97622265d009720675c70ef6c65da1f441ca97db61d4e773e47c2d27"

    @Test func anUntouchedTrailVerifies() {
        let result = AuditVerifier.verify(Self.trail(6))
        #expect(result.outcome == .ok)
        #expect(result.checked == 6)
        #expect(result.headHash == Self.trail(6).records.last?.link?.hash)
        #expect(AuditVerifier.verify(AuditTrail(release: "r", records: [], head: nil, eventsAfterHeadMayBePending: false)).outcome == .ok)
    }

    @Test func anEditedEventIsNamed() {
        var trail = Self.trail(6)
        trail.records[2].event?.reason = "step 2, but nicer"
        #expect(Self.problem(trail) == "event 3 was edited: its hash does not match its content (id 3)")
        var actor = Self.trail(6)
        actor.records[4].event?.actor = "mallory"
        #expect(Self.problem(actor)?.hasPrefix("event 5 was edited") == true)
    }

    /// Whoever edits an event and recomputes its hash is caught by the next event, which points at the old hash.
    @Test func anEditedAndRehashedEventIsCaughtByItsSuccessor() throws {
        var trail = Self.trail(6)
        var link = try #require(trail.records[2].link)
        trail.records[2].event?.reason = "rewritten"
        link.hash = AuditChain.hash(trail.records[2].event!, position: link.position, previousHash: link.previousHash)
        trail.records[2].link = link
        #expect(Self.problem(trail)?.hasPrefix("event 4 does not follow event 3") == true)
    }

    @Test func aDeletedEventInTheMiddleIsNamed() {
        var trail = Self.trail(7)
        trail.records.remove(at: 4)
        #expect(Self.problem(trail) == "event 5 is missing: event 6 points to a different previous hash")
        var two = Self.trail(7)
        two.records.removeSubrange(1...2)
        #expect(Self.problem(two) == "events 2–3 are missing: event 4 points to a different previous hash")
        var first = Self.trail(3)
        first.records.removeFirst()
        #expect(Self.problem(first) == "event 1 is missing: event 2 points to a different previous hash")
    }

    @Test func deletedNewestEventsAreCaughtByTheHead() {
        var one = Self.trail(9)
        one.records.removeLast()
        #expect(Self.problem(one) == "the newest event was deleted: the head says 9 events, 8 found")
        var two = Self.trail(9)
        two.records.removeLast(2)
        #expect(Self.problem(two) == "the newest 2 events were deleted: the head says 9 events, 7 found")
        var all = Self.trail(2)
        all.records.removeAll()
        #expect(Self.problem(all) == "the newest 2 events were deleted: the head says 2 events, 0 found")
    }

    @Test func reorderedEventsAreNamed() {
        var trail = Self.trail(6)
        trail.records.swapAt(2, 3)
        #expect(Self.problem(trail)?.hasPrefix("events are out of order: event 4 is stored where event 3 belongs") == true)
    }

    @Test func theHeadMustMatchTheNewestEvent() {
        var replaced = Self.trail(4)
        replaced.head?.hash = String(repeating: "a", count: 64)
        #expect(Self.problem(replaced)?.hasPrefix("the head hash does not match event 4") == true)
        var headless = Self.trail(4)
        headless.head = nil
        #expect(Self.problem(headless) == "the head is missing: 4 events found but no head recorded")
        // In SQLite the head moves in the event's transaction: an event after it was added outside Gatewatch.
        var behind = Self.trail(5)
        behind.head = Self.trail(4).head
        #expect(Self.problem(behind) == "1 event after the head: the head says 4 events, 5 found")
    }

    /// In MLflow one event after the head is an append between its two writes; more is not.
    @Test func oneEventAfterTheHeadIsPendingInMLflow() {
        var pending = Self.trail(5, pendingAllowed: true)
        pending.head = Self.trail(4).head
        let result = AuditVerifier.verify(pending)
        #expect(result.outcome == .ok)
        #expect(result.pending == 1)
        var tooMany = Self.trail(5, pendingAllowed: true)
        tooMany.head = Self.trail(3).head
        #expect(Self.problem(tooMany) == "2 events after the head: the head says 3 events, 5 found")
        var noHead = Self.trail(1, pendingAllowed: true)
        noHead.head = nil
        #expect(AuditVerifier.verify(noHead).pending == 1)
        noHead = Self.trail(2, pendingAllowed: true)
        noHead.head = nil
        #expect(Self.problem(noHead) == "the head is missing: 2 events found but no head recorded")
    }

    @Test func unreadableAndUnchainedEventsAreReported() {
        var unreadable = Self.trail(3)
        unreadable.records[1].event = nil
        #expect(Self.problem(unreadable) == "event 2 (id 2) cannot be read")
        var stripped = Self.trail(3)
        stripped.records[2].link = nil
        #expect(Self.problem(stripped) == "event 3 (id 3) has no hash: its chain fields were removed")
        var legacy = Self.trail(3)
        for i in legacy.records.indices { legacy.records[i].link = nil }
        legacy.head = nil
        guard case .unchained = AuditVerifier.verify(legacy).outcome else {
            Issue.record("a log written before the chain is reported as not chained yet, not as tampered")
            return
        }
    }

    /// What the chain cannot catch: the whole chain and its head rewritten consistently (hence: record the head hash).
    @Test func aConsistentRewriteOfChainAndHeadIsNotDetected() {
        let original = Self.trail(4)
        var events = original.records.compactMap(\.event)
        events[1].reason = "history rewritten"
        let (links, head) = AuditChain.links(events)
        let rewritten = AuditTrail(release: "r", records: zip(events, links).map { AuditRecord(event: $0, link: $1, location: "x") },
                                   head: head, eventsAfterHeadMayBePending: false)
        #expect(AuditVerifier.verify(rewritten).outcome == .ok)
        #expect(AuditVerifier.verify(rewritten).headHash != AuditVerifier.verify(original).headHash,
                "a head hash recorded elsewhere shows the rewrite")
    }
}
