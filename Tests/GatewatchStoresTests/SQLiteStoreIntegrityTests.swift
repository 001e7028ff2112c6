import Foundation
import GRDB
import Testing
import GatewatchCore
@testable import GatewatchSQLite
@testable import GatewatchScenario

/// What the embedded store does with rows it did not write: damaged rollout states, samples that contradict the
/// stored ones, and a schema newer than this build's.
@Suite struct SQLiteStoreIntegrityTests {
    static let slug = "fraud-scoring-v8"

    static func seeded(_ path: String? = nil) throws -> SQLiteStore {
        let store = try path.map { try SQLiteStore(path: $0) } ?? SQLiteStore()
        try store.create(SQLiteStoreTests.release(), state: SQLiteStoreTests.initial,
                         event: SQLiteStoreTests.event(kind: .start, time: SQLiteStoreTests.t0, from: "", to: "shadow"))
        return store
    }

    /// Rewrites one number of the stored state JSON (and the version column for `version`).
    static func damage(_ store: SQLiteStore, field: String, value: Int64) throws {
        try store.writer.write { db in
            let json = try String.fetchOne(db, sql: "SELECT state FROM rollout_state WHERE slug = ?", arguments: [slug])!
            let damaged = json.replacingOccurrences(of: "\"\(field)\":-?[0-9]+", with: "\"\(field)\":\(value)", options: .regularExpression)
            try db.execute(sql: "UPDATE rollout_state SET state = ? WHERE slug = ?", arguments: [damaged, slug])
            if field == "version" { try db.execute(sql: "UPDATE rollout_state SET version = ? WHERE slug = ?", arguments: [value, slug]) }
        }
    }

    @Test(arguments: [("stageIndex", Int64(-3)), ("stageIndex", 3), ("stageIndex", Int64(Int.max)), ("stageEnteredAt", Int64.min),
                      ("startedAt", Int64.max), ("version", Int64.max), ("version", -1)])
    func aDamagedStateIsAnErrorNamingTheFieldTheValueAndTheRelease(field: String, value: Int64) throws {
        let store = try Self.seeded()
        try Self.damage(store, field: field, value: value)
        do {
            let state = try store.state(Self.slug)
            Issue.record("read a damaged state: \(String(describing: state))")
        } catch let error as RegistryError {
            guard case .damagedState(let release, let problem) = error else { Issue.record("\(error)"); return }
            #expect(release == Self.slug)
            #expect(problem.contains("\(field) \(value)"), "\(problem)")
            #expect("\(error)".contains("'\(Self.slug)'") && "\(error)".contains("\(field) \(value)"), "\(error)")
        }
        // A transition on it is refused the same way, and changes nothing.
        var next = SQLiteStoreTests.initial
        next.stageIndex = 1
        #expect(throws: RegistryError.self) {
            try store.transition(Self.slug, expectedVersion: 1, to: next,
                                 event: SQLiteStoreTests.event(kind: .promote, time: SQLiteStoreTests.t0 + 60, from: "shadow", to: "canary-5"))
        }
        #expect(try store.auditEvents(release: Self.slug).count == 1)
    }

    @Test func aDamagedStateIsReplacedOnlyWhileItIsDamaged() throws {
        let store = try Self.seeded()
        try Self.damage(store, field: "version", value: Int64.max)
        var rolledBack = SQLiteStoreTests.initial
        rolledBack.status = .rolledBack
        let event = SQLiteStoreTests.event(kind: .rollback, time: SQLiteStoreTests.t0 + 60, from: "damaged state", to: "rolled back")
        try store.replaceDamagedState(Self.slug, with: rolledBack, event: event)
        let state = try #require(try store.state(Self.slug))
        #expect(state.status == .rolledBack && state.version == 1)
        #expect(try store.auditEvents(release: Self.slug).map(\.kind) == [.start, .rollback])
        // Once readable, the state changes only through `transition`.
        #expect(throws: RegistryError.self) { try store.replaceDamagedState(Self.slug, with: rolledBack, event: event) }
        #expect(try store.auditEvents(release: Self.slug).count == 2)
    }

    // MARK: Samples

    static let key = SeriesKey(.decisions, arm: .challenger, segment: "market=BR,surface=app", extra: "allow")

    static func everySample(_ store: SQLiteStore) throws -> [Row] {
        try store.writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM sample ORDER BY release_id, time, series_id") }
    }

    @Test func importingTheSameSamplesAgainIsANoOp() throws {
        let store = try SQLiteStore()
        let text = """
            gatewatch_decisions_total{release="r",arm="challenger",segment="market=BR,surface=app",action="allow"} 289 1793610060
            gatewatch_decisions_total{release="r",arm="challenger",segment="market=BR,surface=app",action="allow"} 562 1793610120
            # EOF

            """
        let first = try OpenMetricsImporter.load(text, file: "a.om", into: store)
        #expect(first.sampleCount == 2 && first.alreadyPresent == 0)
        let stored = try Self.everySample(store)
        let second = try OpenMetricsImporter.load(text, file: "a.om", into: store)
        #expect(second.alreadyPresent == 2)
        #expect(second.lines.contains { $0.contains("2 samples already present") }, "\(second.lines)")
        #expect(try Self.everySample(store) == stored)
    }

    @Test func aConflictingSampleNamesSeriesTimeAndLineAndWritesNothing() throws {
        let store = try SQLiteStore()
        try store.append(release: "r", samples: [Self.key: [Sample(time: 1_793_610_060, value: 289), Sample(time: 1_793_610_120, value: 562)]])
        let stored = try Self.everySample(store)
        let text = """
            gatewatch_review_queue_depth{release="r"} 12 1793610060
            gatewatch_decisions_total{release="r",arm="challenger",segment="market=BR,surface=app",action="allow"} 289 1793610060
            gatewatch_decisions_total{release="r",arm="challenger",segment="market=BR,surface=app",action="allow"} 56 1793610120
            gatewatch_decisions_total{release="r",arm="challenger",segment="market=BR,surface=app",action="allow"} 849 1793610180
            # EOF

            """
        do {
            try OpenMetricsImporter.load(text, file: "b.om", into: store)
            Issue.record("a conflicting sample was accepted")
        } catch let error as InputError {
            #expect(error.file == "b.om" && error.line == 3, "\(error)")
            #expect(error.message.contains("gatewatch_decisions_total{release=\"r\",arm=\"challenger\",segment=\"market=BR,surface=app\",action=\"allow\"}"), "\(error)")
            #expect(error.message.contains("1793610120") && error.message.contains("562") && error.message.contains("56"), "\(error)")
        }
        #expect(try Self.everySample(store) == stored, "nothing of the file is written")
        #expect(try store.samples(release: "r", after: nil, through: .max)[SeriesKey(.reviewQueueDepth)] == nil)
    }

    /// The store's own writers (the demo's simulator) never rewrite a sample either: a second append of a different
    /// value for the same series and second is refused, the first value kept.
    @Test func appendRefusesToRewriteASample() throws {
        let store = try SQLiteStore()
        try store.append(release: "r", samples: [Self.key: [Sample(time: 100, value: 1)]])
        try store.append(release: "r", samples: [Self.key: [Sample(time: 100, value: 1)]])
        #expect(throws: SampleConflict.self) { try store.append(release: "r", samples: [Self.key: [Sample(time: 100, value: 2)]]) }
        #expect(try store.samples(release: "r", after: nil, through: .max)[Self.key] == [Sample(time: 100, value: 1)])
    }

    // MARK: Schema versions

    @Test(arguments: ["INSERT INTO grdb_migrations(identifier) VALUES ('v9-from-the-future')", "PRAGMA user_version = 99"])
    func aStoreOfANewerSchemaIsOpenedReadOnly(marker: String) throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let path = dir.appendingPathComponent("store.sqlite").path
        try Self.seeded(path).writer.writeWithoutTransaction { db in try db.execute(sql: marker) }

        let store = try SQLiteStore(path: path)
        let why = try #require(store.readOnlyReason)
        #expect(why.hasPrefix("store \(path) was written by a newer Gatewatch (schema "), "\(why)")
        #expect(why.hasSuffix("); opened read-only"), "\(why)")
        #expect(try store.state(Self.slug) == SQLiteStoreTests.initial)
        #expect(throws: RegistryError.readOnly(why)) {
            try store.append(SQLiteStoreTests.event(kind: .note, time: SQLiteStoreTests.t0, from: "", to: ""))
        }
        #expect(throws: RegistryError.readOnly(why)) { try store.append(release: "r", samples: [Self.key: [Sample(time: 1, value: 1)]]) }
        #expect(try store.auditEvents(release: Self.slug).count == 1)
    }

    @Test func thisBuildsStoresAreNotNewer() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let path = dir.appendingPathComponent("store.sqlite").path
        _ = try Self.seeded(path)
        #expect(try SQLiteStore(path: path).readOnlyReason == nil)
        #expect(try SQLiteStore(path: path, access: .read).readOnlyReason == nil)
    }

    @Test func readingAnEmptyOrMissingFileCreatesNothing() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let empty = dir.appendingPathComponent("empty.sqlite").path
        FileManager.default.createFile(atPath: empty, contents: Data())
        #expect(throws: SQLiteStoreError.notAStore(path: empty, why: "is empty")) { try SQLiteStore(path: empty, access: .read) }
        let missing = dir.appendingPathComponent("missing.sqlite").path
        #expect(throws: SQLiteStoreError.notAStore(path: missing, why: "does not exist")) { try SQLiteStore(path: missing, access: .read) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["empty.sqlite"])
        #expect(try FileManager.default.attributesOfItem(atPath: empty)[.size] as? Int == 0)
    }
}
