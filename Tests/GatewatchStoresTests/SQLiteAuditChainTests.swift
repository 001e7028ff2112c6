import Foundation
import GRDB
import Testing
import GatewatchCore
@testable import GatewatchAudit
@testable import GatewatchSQLite

/// The embedded store's audit hash chain: written with every event, upgraded for stores written before it, and
/// broken by any change made to the file behind the store's back.
@Suite struct SQLiteAuditChainTests {
    typealias S = SQLiteStoreTests
    static let slug = "fraud-scoring-v8"

    /// A store file with a release, three transitions, a note and a refusal (6 events).
    static func seeded(_ path: String) throws -> SQLiteStore {
        let store = try SQLiteStore(path: path)
        try store.create(S.release(), state: S.initial, event: S.event(kind: .start, time: S.t0, from: "", to: "shadow"))
        var state = S.initial
        for (i, kind) in [AuditKind.pause, .resume, .promote].enumerated() {
            var next = state
            if kind == .pause { next.status = .paused } else { next.status = .running }
            if kind == .promote { next.stageIndex = 1 }
            try store.transition(slug, expectedVersion: state.version, to: next,
                                 event: S.event(kind: kind, time: S.t0 + Int64(i + 1) * 60, from: "shadow", to: kind == .promote ? "canary-5" : "shadow"))
            state = try #require(try store.state(slug))
        }
        try store.append(S.event(kind: .note, time: S.t0 + 300, from: "canary-5", to: "canary-5", reason: "looks fine"))
        try store.append(S.event(kind: .refusal, time: S.t0 + 360, from: "canary-5", to: "canary-5", actor: "bo", role: .reviewer,
                                 reason: "rollback refused: reviewer may not roll back"))
        return store
    }

    static func verify(_ store: SQLiteStore, _ release: String = slug) throws -> AuditVerification {
        AuditVerifier.verify(try store.auditTrail(release: release))
    }

    /// Runs SQL on the file as another program would (the triggers that keep the log append-only dropped first).
    static func tamper(_ path: String, _ sql: String) throws {
        let db = try DatabaseQueue(path: path)
        try db.write { db in
            try db.execute(sql: """
                DROP TRIGGER IF EXISTS audit_event_no_update; DROP TRIGGER IF EXISTS audit_event_no_delete;
                DROP TRIGGER IF EXISTS audit_head_forward_only; DROP TRIGGER IF EXISTS audit_head_no_delete;
                """)
            try db.execute(sql: sql)
        }
        try db.close()
    }

    func withStoreFile(_ body: (String) throws -> Void) throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        try body(dir.appendingPathComponent("store.sqlite").path)
    }

    @Test func aFreshStoreChainsEveryEventAndVerifies() throws {
        try withStoreFile { path in
            let store = try Self.seeded(path)
            let trail = try store.auditTrail(release: Self.slug)
            #expect(trail.records.compactMap(\.link?.position) == [1, 2, 3, 4, 5, 6])
            #expect(trail.records.first?.link?.previousHash == AuditChain.genesis)
            #expect(trail.head == AuditHead(count: 6, hash: try #require(trail.records.last?.link?.hash)))
            let result = AuditVerifier.verify(trail)
            #expect(result.outcome == .ok)
            #expect(result.checked == 6)
            // The events read as before.
            #expect(try store.auditEvents(release: Self.slug).map(\.kind) == [.start, .pause, .resume, .promote, .note, .refusal])
            #expect(try store.auditedReleases() == [Self.slug])
            // Another release has a chain of its own.
            try store.append(S.event("other", kind: .note, time: S.t0, from: "", to: ""))
            #expect(try store.auditTrail(release: "other").records.first?.link?.position == 1)
            #expect(try Self.verify(store, "other").outcome == .ok)
            #expect(try Self.verify(store).outcome == .ok)
        }
    }

    /// A conflicting transition writes neither its event nor a head move.
    @Test func aRefusedTransitionLeavesTheChainAlone() throws {
        try withStoreFile { path in
            let store = try Self.seeded(path)
            let before = try store.auditTrail(release: Self.slug)
            #expect(throws: RegistryError.self) {
                try store.transition(Self.slug, expectedVersion: 1, to: S.initial, event: S.event(kind: .pause, time: S.t0, from: "", to: ""))
            }
            #expect(try store.auditTrail(release: Self.slug) == before)
        }
    }

    @Test func theStoreRefusesToEditOrDeleteEventsOrMoveTheHeadBack() throws {
        try withStoreFile { path in
            let store = try Self.seeded(path)
            for sql in ["UPDATE audit_event SET reason = 'x' WHERE position = 2", "DELETE FROM audit_event WHERE position = 6",
                        "UPDATE audit_head SET count = 5", "DELETE FROM audit_head"] {
                #expect(throws: DatabaseError.self, "\(sql)") { try store.writer.write { try $0.execute(sql: sql) } }
            }
            #expect(try Self.verify(store).outcome == .ok)
        }
    }

    @Test func editsAndDeletionsBehindTheStoresBackAreDetected() throws {
        let cases: [(String, String)] = [
            ("UPDATE audit_event SET reason = 'nothing to see' WHERE position = 3", "event 3 was edited: its hash does not match its content"),
            ("UPDATE audit_event SET actor = 'mallory' WHERE position = 6", "event 6 was edited"),
            ("UPDATE audit_event SET time = time + 1 WHERE position = 1", "event 1 was edited"),
            ("DELETE FROM audit_event WHERE position = 4", "event 4 is missing: event 5 points to a different previous hash"),
            ("DELETE FROM audit_event WHERE position = 6", "the newest event was deleted: the head says 6 events, 5 found"),
            ("DELETE FROM audit_event WHERE position >= 5", "the newest 2 events were deleted: the head says 6 events, 4 found"),
            ("DELETE FROM audit_head", "the head is missing"),
            ("UPDATE audit_event SET role = 'root' WHERE position = 2", "event 2 (id 2) cannot be read"),
            // Two events' contents swapped, chain fields and all: the order no longer matches the positions.
            ("""
             UPDATE audit_event SET id = -id WHERE position IN (2, 3);
             UPDATE audit_event SET id = CASE position WHEN 2 THEN 3 ELSE 2 END WHERE position IN (2, 3);
             """, "events are out of order: event 3 is stored where event 2 belongs"),
        ]
        for (sql, expected) in cases {
            try withStoreFile { path in
                _ = try Self.seeded(path)
                try Self.tamper(path, sql)
                let result = try Self.verify(try SQLiteStore(path: path))
                guard case .broken(let why) = result.outcome else {
                    Issue.record("not detected: \(sql)")
                    return
                }
                #expect(why.hasPrefix(expected), "\(sql): \(why)")
            }
        }
    }

    /// A store written before the chain (migrations v1–v3) gets its events chained when it is opened, in the order
    /// they were written, per release; ids are kept and appends continue the chain.
    @Test func aVersionThreeStoreIsChainedWhenOpened() throws {
        try withStoreFile { path in
            do {
                let old = try DatabaseQueue(path: path)
                try SQLiteStore.migrator.migrate(old, upTo: "v3-series-by-release-and-id")
                try old.write { db in
                    for slug in ["a", "b"] {
                        var release = S.release(slug)
                        release.slug = slug
                        try db.execute(sql: "INSERT INTO release(slug, spec) VALUES (?, ?)",
                                       arguments: [slug, String(decoding: try JSONEncoder().encode(release), as: UTF8.self)])
                        try db.execute(sql: "INSERT INTO rollout_state(slug, state, version) VALUES (?, ?, 1)",
                                       arguments: [slug, String(decoding: try JSONEncoder().encode(S.initial), as: UTF8.self)])
                    }
                    // Interleaved releases, as several operators write them.
                    for (i, slug) in ["a", "b", "a", "a", "b"].enumerated() {
                        try db.execute(sql: """
                            INSERT INTO audit_event(release, time, actor, role, kind, reason, from_state, to_state)
                            VALUES (?, ?, 'ana', 'owner', ?, ?, 'shadow', 'shadow')
                            """, arguments: [slug, S.t0 + Int64(i), i < 2 ? "start" : "note", "event \(i)"])
                    }
                }
                try old.close()
            }
            let store = try SQLiteStore(path: path)
            let a = try store.auditTrail(release: "a"), b = try store.auditTrail(release: "b")
            #expect(a.records.compactMap(\.link?.position) == [1, 2, 3])
            #expect(b.records.compactMap(\.link?.position) == [1, 2])
            #expect(a.records.compactMap(\.event?.reason) == ["event 0", "event 2", "event 3"])
            #expect(try store.auditEvents(release: nil).compactMap(\.id) == [1, 2, 3, 4, 5])
            #expect(try Self.verify(store, "a").outcome == .ok)
            #expect(try Self.verify(store, "b").outcome == .ok)
            #expect(a.head?.count == 3 && b.head?.count == 2)

            try store.append(S.event("a", kind: .note, time: S.t0 + 10, from: "shadow", to: "shadow"))
            let after = try store.auditTrail(release: "a")
            #expect(after.records.last?.link?.position == 4)
            #expect(after.records.last?.link?.previousHash == a.head?.hash)
            #expect(try Self.verify(store, "a").outcome == .ok)
            // The upgraded store still refuses edits.
            #expect(throws: DatabaseError.self) { try store.writer.write { try $0.execute(sql: "DELETE FROM audit_event") } }
        }
    }

    /// Threads appending to one release through one store at once: one chain, every event once.
    @Test func concurrentAppendsKeepOneChain() throws {
        try withStoreFile { path in
            let store = try Self.seeded(path)
            DispatchQueue.concurrentPerform(iterations: 4) { t in
                for n in 0..<25 {
                    try? store.append(S.event(kind: .note, time: S.t0 + Int64(n), from: "", to: "", actor: "op\(t)", reason: "\(t)-\(n)"))
                }
            }
            let trail = try store.auditTrail(release: Self.slug)
            #expect(trail.records.count == 106)
            let notes = trail.records.compactMap(\.event).filter { $0.actor.hasPrefix("op") }.map(\.reason)
            #expect(notes.count == 100 && Set(notes).count == 100)
            #expect(try Self.verify(store).outcome == .ok)
        }
    }
}
