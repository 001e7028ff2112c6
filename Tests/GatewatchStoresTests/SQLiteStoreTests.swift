import Foundation
import GRDB
import Testing
import GatewatchCore
@testable import GatewatchSQLite

@Suite struct SQLiteStoreTests {
    static let t0: Timestamp = 1_762_074_000

    static func release(_ slug: String = "fraud-scoring-v8") -> Release {
        Release(slug: slug, title: "v8", model: "card-fraud-scorer", championVersion: "7", challengerVersion: "8", owner: "ana",
                changes: [ChangeObject(kind: .model, from: "7", to: "8")],
                stages: [Stage(name: "shadow", kind: .shadow, trafficPercent: 0, bakeSeconds: 1800),
                         Stage(name: "canary-5", kind: .canary, trafficPercent: 5, bakeSeconds: 2700, requiresApproval: true),
                         Stage(name: "full", kind: .full, trafficPercent: 100, bakeSeconds: 0)],
                rules: [StopRule(name: "err", metric: .errorRate, comparator: .greaterThan, threshold: 0.02, windowSeconds: 300,
                                 forSeconds: 300, severity: .rollback, summary: "errors")],
                segments: [Segment("market=BR,surface=app")], reviewQueueLimit: 4000)
    }

    static func event(_ slug: String = "fraud-scoring-v8", kind: AuditKind, time: Timestamp, from: String, to: String,
                      actor: String = "ana", role: Role = .owner, reason: String = "why") -> AuditEvent {
        AuditEvent(release: slug, time: time, actor: actor, role: role, kind: kind, reason: reason, fromState: from, toState: to)
    }

    static let initial = RolloutState(stageIndex: 0, stageEnteredAt: t0, startedAt: t0, status: .running, version: 1)

    func withStoreFile(_ body: (String) throws -> Void) throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        try body(dir.appendingPathComponent("store.sqlite").path)
    }

    @Test func createStoresReleaseStateAndStartEvent() throws {
        try withStoreFile { path in
            let store = try SQLiteStore(path: path)
            try store.create(Self.release(), state: Self.initial, event: Self.event(kind: .start, time: Self.t0, from: "", to: "shadow"))
            #expect(try store.releaseSlugs() == ["fraud-scoring-v8"])
            #expect(try store.release("fraud-scoring-v8") == Self.release())
            #expect(try store.state("fraud-scoring-v8") == Self.initial)
            #expect(try store.release("nope") == nil)
            #expect(try store.state("nope") == nil)
            let events = try store.auditEvents(release: "fraud-scoring-v8")
            #expect(events.count == 1)
            #expect(events.first?.kind == .start)
            #expect(events.first?.toState == "shadow")
            #expect(events.first?.id != nil)
            #expect(throws: RegistryError.alreadyExists("fraud-scoring-v8")) {
                try store.create(Self.release(), state: Self.initial, event: Self.event(kind: .start, time: Self.t0, from: "", to: "shadow"))
            }
            #expect(try store.auditEvents(release: nil).count == 1)
        }
    }

    @Test func transitionWithTheExpectedVersionBumpsItAndAppendsTheEvent() throws {
        let store = try SQLiteStore()
        try store.create(Self.release(), state: Self.initial, event: Self.event(kind: .start, time: Self.t0, from: "", to: "shadow"))
        var next = Self.initial
        next.stageIndex = 1
        next.stageEnteredAt = Self.t0 + 1800
        try store.transition("fraud-scoring-v8", expectedVersion: 1, to: next,
                             event: Self.event(kind: .promote, time: Self.t0 + 1800, from: "shadow", to: "canary-5"))
        let state = try #require(try store.state("fraud-scoring-v8"))
        #expect(state.version == 2)
        #expect(state.stageIndex == 1)
        #expect(state.stageEnteredAt == Self.t0 + 1800)
        let events = try store.auditEvents(release: "fraud-scoring-v8")
        #expect(events.map(\.kind) == [.start, .promote])
        #expect(events.map(\.fromState) == ["", "shadow"])
        #expect(events.compactMap(\.id) == events.compactMap(\.id).sorted())
        #expect(Set(events.compactMap(\.id)).count == 2)

        // the next writer must know version 2
        var third = state
        third.status = .paused
        try store.transition("fraud-scoring-v8", expectedVersion: 2, to: third,
                             event: Self.event(kind: .pause, time: Self.t0 + 1900, from: "canary-5", to: "canary-5"))
        #expect(try store.state("fraud-scoring-v8")?.version == 3)
        #expect(try store.state("fraud-scoring-v8")?.status == .paused)
    }

    @Test func aStaleVersionConflictsAndWritesNothing() throws {
        let store = try SQLiteStore()
        try store.create(Self.release(), state: Self.initial, event: Self.event(kind: .start, time: Self.t0, from: "", to: "shadow"))
        var next = Self.initial
        next.stageIndex = 1
        try store.transition("fraud-scoring-v8", expectedVersion: 1, to: next,
                             event: Self.event(kind: .promote, time: Self.t0 + 60, from: "shadow", to: "canary-5"))
        let before = try store.auditEvents(release: nil)
        let stateBefore = try store.state("fraud-scoring-v8")

        var rollback = Self.initial
        rollback.status = .rolledBack
        #expect(throws: RegistryError.conflict(release: "fraud-scoring-v8", expected: 1, found: 2)) {
            try store.transition("fraud-scoring-v8", expectedVersion: 1, to: rollback,
                                 event: Self.event(kind: .rollback, time: Self.t0 + 120, from: "shadow", to: "rolled back"))
        }
        #expect(try store.auditEvents(release: nil) == before)
        #expect(try store.state("fraud-scoring-v8") == stateBefore)
        #expect(throws: RegistryError.unknownRelease("ghost")) {
            try store.transition("ghost", expectedVersion: 1, to: rollback,
                                 event: Self.event("ghost", kind: .rollback, time: Self.t0, from: "", to: ""))
        }
        #expect(try store.auditEvents(release: nil).count == before.count)
    }

    @Test func auditEventsAreAppendOnlyAtTheDatabase() throws {
        try withStoreFile { path in
            let store = try SQLiteStore(path: path)
            try store.create(Self.release(), state: Self.initial, event: Self.event(kind: .start, time: Self.t0, from: "", to: "shadow"))
            try store.append(Self.event(kind: .note, time: Self.t0 + 5, from: "shadow", to: "shadow", reason: "looks fine"))

            let db = try DatabaseQueue(path: path)
            #expect(throws: DatabaseError.self) {
                try db.write { try $0.execute(sql: "UPDATE audit_event SET reason = 'rewritten'") }
            }
            #expect(throws: DatabaseError.self) {
                try db.write { try $0.execute(sql: "DELETE FROM audit_event WHERE kind = 'note'") }
            }
            #expect(throws: DatabaseError.self) {
                try db.write { try $0.execute(sql: "DELETE FROM audit_event") }
            }
            // inserting is what append-only allows (with the chain fields, as the store writes them)
            try db.write { db in
                try SQLiteStore.insert(Self.event(kind: .acknowledge, time: Self.t0 + 10, from: "shadow", to: "shadow",
                                                  actor: "bob", role: .oncall, reason: "seen"), db)
            }
            let reasons = try db.read { try String.fetchAll($0, sql: "SELECT reason FROM audit_event ORDER BY id") }
            #expect(reasons == ["why", "looks fine", "seen"])
            #expect(try store.auditEvents(release: "fraud-scoring-v8").map(\.kind) == [.start, .note, .acknowledge])
        }
    }

    static let decisions = SeriesKey(.decisions, arm: .challenger, segment: "market=BR,surface=app", extra: "allow")
    static let errors = SeriesKey(.errors, arm: .champion, segment: "market=BR,surface=app")
    static let queue = SeriesKey(.reviewQueueDepth)

    static func samples(_ times: ClosedRange<Int64>) -> [SeriesKey: [Sample]] {
        [
            decisions: times.map { Sample(time: t0 + $0 * 60, value: Double($0) * 10) },
            errors: times.map { Sample(time: t0 + $0 * 60, value: Double($0) / 4) },
            queue: times.map { Sample(time: t0 + $0 * 60, value: 100 + Double($0 % 7)) },
        ]
    }

    /// A poll reads only the rows that are new, whatever the history and however many other releases share the
    /// store: the sample table is keyed by (release, time, series), and the poll is one range scan of that key.
    @Test func anIncrementalPollTouchesOnlyTheNewRowsOfItsRelease() throws {
        var touched: [Int] = []
        for hours in [1, 10] {
            let store = try SQLiteStore()
            let history = Self.samples(0...Int64(hours * 60 - 1))
            try store.append(releases: ["r": history, "other": history])
            _ = try store.samples(release: "r", after: nil, through: .max)
            #expect(store.lastSampleRowsRead == 3 * hours * 60)
            let cursor = Self.t0 + Int64(hours * 60 - 1) * 60
            let next = Self.samples(Int64(hours * 60)...Int64(hours * 60))
            try store.append(releases: ["r": next, "other": next])
            let fresh = try store.samples(release: "r", after: cursor, through: .max)
            #expect(fresh == next)
            touched.append(store.lastSampleRowsRead)
            _ = try store.samples(release: "r", after: cursor + 60, through: .max)
            #expect(store.lastSampleRowsRead == 0, "a poll with nothing new reads nothing")
        }
        #expect(touched == [3, 3], "one new minute of three series is three rows, after 1 h or 10 h of history")

        let store = try SQLiteStore()
        let plan = try store.writer.read { db in
            try Row.fetchAll(db, sql: """
                EXPLAIN QUERY PLAN SELECT series_id, time, value FROM sample WHERE release_id = ? AND time > ? AND time <= ? ORDER BY time
                """, arguments: [1, 0, 1]).map { $0["detail"] as String }
        }
        #expect(plan.count == 1 && plan[0].hasPrefix("SEARCH sample USING PRIMARY KEY (release_id=? AND time>? AND time<?)"), "\(plan)")
        let seriesPlan = try store.writer.read { db in
            try Row.fetchAll(db, sql: """
                EXPLAIN QUERY PLAN SELECT id, name, arm, segment, extra FROM series WHERE release = ? AND id > ? ORDER BY id
                """, arguments: ["r", 0]).map { $0["detail"] as String }
        }
        #expect(seriesPlan.count == 1 && seriesPlan[0].contains("USING INDEX series_by_release_id (release=? AND id>?)"), "\(seriesPlan)")
    }

    /// A store written before samples were keyed by release keeps every sample when it is opened.
    @Test func aVersionOneStoreIsMigrated() throws {
        try withStoreFile { path in
            do {
                let old = try DatabaseQueue(path: path)
                try SQLiteStore.migrator.migrate(old, upTo: "v1")
                try old.write { db in
                    for (id, release) in [(1, "a"), (2, "b")] {
                        try db.execute(sql: "INSERT INTO series(id, release, name, arm) VALUES (?, ?, 'gatewatch_errors_total', 'champion')",
                                       arguments: [id, release])
                        for k in 0..<5 {
                            try db.execute(sql: "INSERT INTO sample(series_id, time, value) VALUES (?, ?, ?)",
                                           arguments: [id, Self.t0 + Int64(k * 60), Double(id * 100 + k)])
                        }
                    }
                }
                try old.close()
            }
            let store = try SQLiteStore(path: path)
            let key = SeriesKey(.errors, arm: .champion)
            #expect(try store.samples(release: "a", after: nil, through: .max)[key]?.map(\.value) == [100, 101, 102, 103, 104])
            #expect(try store.samples(release: "b", after: Self.t0 + 120, through: .max)[key]?.map(\.value) == [203, 204])
            try store.append(release: "b", samples: [key: [Sample(time: Self.t0 + 300, value: 205)]])
            #expect(try store.samples(release: "b", after: Self.t0 + 240, through: .max)[key]?.map(\.value) == [205])
        }
    }

    @Test func samplesRoundTripWithAfterThroughCursor() throws {
        let store = try SQLiteStore()
        let first = Self.samples(0...9)
        try store.append(release: "r", samples: first)
        #expect(try store.samples(release: "r", after: nil, through: .max) == first)
        #expect(try store.samples(release: "other", after: nil, through: .max).isEmpty)

        // (after, through]: both ends at sample times
        let window = try store.samples(release: "r", after: Self.t0 + 2 * 60, through: Self.t0 + 5 * 60)
        #expect(window[Self.decisions]?.map(\.time) == [3, 4, 5].map { Self.t0 + $0 * 60 })
        #expect(window.keys.sorted() == [Self.decisions, Self.errors, Self.queue].sorted())
        // a window holding nothing leaves the series out
        #expect(try store.samples(release: "r", after: Self.t0 + 9 * 60, through: .max).isEmpty)

        // incremental poll: remember the cursor, append, read only the new rows
        let cursor = Self.t0 + 9 * 60
        let second = Self.samples(10...14)
        try store.append(release: "r", samples: second)
        let fresh = try store.samples(release: "r", after: cursor, through: Self.t0 + 14 * 60)
        #expect(fresh == second)
        // merging the poll into what was read before gives the full history
        var merged = MetricSeriesSet(first)
        for (k, v) in fresh { merged.append(v, to: k) }
        #expect(merged.series == MetricSeriesSet(try store.samples(release: "r", after: nil, through: .max)).series)
        #expect(merged.series[Self.decisions]?.count == 15)

        // writing the same time again with another value is refused: stored history is never replaced
        let stored = try #require(try store.samples(release: "r", after: nil, through: Self.t0)[Self.queue])
        #expect(throws: SampleConflict.self) { try store.append(release: "r", samples: [Self.queue: [Sample(time: Self.t0, value: 999)]]) }
        #expect(try store.samples(release: "r", after: nil, through: Self.t0)[Self.queue] == stored)
        #expect(try store.latestValues(release: "r", atOrBefore: Self.t0 + 3 * 60)[Self.decisions] == 30)
    }

    @Test func reopeningTheFileKeepsEverything() throws {
        try withStoreFile { path in
            do {
                let store = try SQLiteStore(path: path)
                try store.create(Self.release(), state: Self.initial, event: Self.event(kind: .start, time: Self.t0, from: "", to: "shadow"))
                var next = Self.initial
                next.stageIndex = 1
                try store.transition("fraud-scoring-v8", expectedVersion: 1, to: next,
                                     event: Self.event(kind: .promote, time: Self.t0 + 60, from: "shadow", to: "canary-5"))
                try store.append(release: "fraud-scoring-v8", samples: Self.samples(0...20))
                try store.setSimulationClock("fraud-canary-healthy", Self.t0 + 1200)
                try store.setSimulationClock("fraud-canary-healthy", Self.t0 + 1260)
            }
            let reopened = try SQLiteStore(path: path)
            #expect(try reopened.release("fraud-scoring-v8") == Self.release())
            #expect(try reopened.state("fraud-scoring-v8")?.version == 2)
            #expect(try reopened.state("fraud-scoring-v8")?.stageIndex == 1)
            #expect(try reopened.auditEvents(release: nil).map(\.kind) == [.start, .promote])
            #expect(try reopened.samples(release: "fraud-scoring-v8", after: nil, through: .max) == Self.samples(0...20))
            #expect(try reopened.simulationClock("fraud-canary-healthy") == Self.t0 + 1260)
            #expect(try reopened.simulationClock("other") == nil)
            // and it keeps working: new series and samples after reopening
            try reopened.append(release: "fraud-scoring-v8", samples: Self.samples(21...22))
            #expect(try reopened.samples(release: "fraud-scoring-v8", after: nil, through: .max)[Self.decisions]?.count == 23)
        }
    }

    /// A rejected batch must not leave the store's series-id cache pointing at a rolled-back row.
    @Test
    func aFailedAppendDoesNotMixUpSeries() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gw-rollback-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try SQLiteStore(path: path)
        // Fault injection: a trigger that rejects negative values makes a whole batch roll back.
        let raw = try DatabaseQueue(path: path)
        try raw.write { db in
            try db.execute(sql: "CREATE TRIGGER reject_negative BEFORE INSERT ON sample WHEN NEW.value < 0 BEGIN SELECT RAISE(ABORT, 'negative'); END")
        }
        let a = SeriesKey(.decisions, arm: .champion, segment: "a", extra: "allow")
        let b = SeriesKey(.decisions, arm: .champion, segment: "b", extra: "allow")
        #expect(throws: (any Error).self) { try store.append(release: "r", samples: [a: [Sample(time: Self.t0, value: -1)]]) }
        try store.append(release: "r", samples: [b: [Sample(time: Self.t0, value: 1)]])
        try store.append(release: "r", samples: [a: [Sample(time: Self.t0 + 60, value: 2)]])
        let all = try store.samples(release: "r", after: nil, through: .max)
        #expect(all[b] == [Sample(time: Self.t0, value: 1)])
        #expect(all[a] == [Sample(time: Self.t0 + 60, value: 2)])
    }

    /// NaN (Prometheus' staleness marker) is dropped; the rest of the batch is stored.
    @Test func nanSamplesAreDroppedNotFatal() throws {
        let store = try SQLiteStore()
        let a = SeriesKey(.errors, arm: .champion, segment: "a")
        try store.append(release: "r", samples: [a: [Sample(time: Self.t0, value: 1), Sample(time: Self.t0 + 60, value: .nan),
                                                      Sample(time: Self.t0 + 120, value: 3)]])
        let all = try store.samples(release: "r", after: nil, through: .max)
        #expect(all[a] == [Sample(time: Self.t0, value: 1), Sample(time: Self.t0 + 120, value: 3)])
    }
}
