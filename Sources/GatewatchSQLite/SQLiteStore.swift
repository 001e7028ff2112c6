import Foundation
import NIOConcurrencyHelpers
import GRDB
import GRDBSQLite
import GatewatchCore
import GatewatchAudit

/// The embedded store: releases, rollout state, the append-only audit log and metric samples in one SQLite file
/// (WAL mode), or in memory for snapshots and tests.
public final class SQLiteStore: Registry, WritableMetricsStore, AuditTrailReading, Sendable {
    let writer: any DatabaseWriter
    /// Caches of committed ids, shared by the threads that use the store.
    private struct Caches {
        /// Series ids by key.
        var seriesIDs: [String: [SeriesKey: Int64]] = [:]
        /// Series keys by id per release and the highest id known, so a poll reads only series added since.
        var seriesKeys: [String: (keys: [Int64: SeriesKey], newest: Int64)] = [:]
        /// Metric release ids by slug.
        var releaseIDs: [String: Int64] = [:]
        /// Rows read by the last `samples` call (for tests that pin what a poll touches).
        var rowsRead = 0
    }
    private let caches = NIOLockedValueBox(Caches())
    /// Sample rows the last `samples` call read from the database.
    public var lastSampleRowsRead: Int { caches.withLockedValue { $0.rowsRead } }
    /// Why the store was opened read-only (a newer schema, a file or folder without write permission); nil when it
    /// can be written. Every write then throws `RegistryError.readOnly` with these words.
    public let readOnlyReason: String?
    /// The operating-system user this process runs as: the actor of its events and whose grant is its role.
    let processUser: String
    /// The file, nil for an in-memory store.
    let storePath: String?

    /// What a command means to do with a store file.
    public enum Access: Sendable {
        /// Write to it: a missing file is created, a file without write permission is an error.
        case write
        /// Only read it: a missing or empty file is an error (nothing is created), a file or folder without write
        /// permission is opened read-only.
        case read
    }

    /// Opens the store at `path`, creating it if needed for `.write`. A store written by a newer Gatewatch (a
    /// migration this build does not know, or a higher `user_version`) is opened read-only whatever `access` says.
    public convenience init(path: String, access: Access = .write) throws {
        try self.init(path: path, access: access, user: SystemUser.current)
    }

    /// The store as `user` would open it (tests of other users' roles; the public inits use the kernel's user).
    init(path: String, access: Access, user: String) throws {
        processUser = user
        storePath = path
        let files = FileManager.default
        let exists = files.fileExists(atPath: path)
        if access == .read {
            guard exists else { throw SQLiteStoreError.notAStore(path: path, why: "does not exist") }
            if (try? files.attributesOfItem(atPath: path)[.size] as? Int) == 0 { throw SQLiteStoreError.notAStore(path: path, why: "is empty") }
        }
        do {
            if exists && !Self.isWritable(path) {
                guard access == .read else { throw SQLiteStoreError.notWritable(path: path) }
                let reader = try Self.openReadOnly(path)
                if let newer = try Self.newerSchema(reader) {
                    readOnlyReason = Self.newerWords(path, newer)
                } else {
                    guard try reader.read({ db in try Self.migrator.hasCompletedMigrations(db) }) else { throw SQLiteStoreError.needsUpgrade(path: path) }
                    readOnlyReason = SQLiteStoreError.notWritable(path: path).description
                }
                writer = reader
                return
            }
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty { try files.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            var config = Configuration()
            config.busyMode = .timeout(5)
            let pool = try DatabasePool(path: path, configuration: config)
            if let newer = try Self.newerSchema(pool) {
                readOnlyReason = Self.newerWords(path, newer)
                writer = try Self.openReadOnly(path)
                return
            }
            try Self.migrator.migrate(pool)
            try Self.markSchemaVersion(pool)
            readOnlyReason = nil
            writer = pool
            try seedFirstOwner()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw SQLiteStoreError.notAStore(path: path, why: "is not a SQLite database")
        }
    }

    /// An in-memory store; this process's user is its owner.
    public convenience init() throws {
        try self.init(user: SystemUser.current)
    }

    init(user: String) throws {
        writer = try DatabaseQueue()
        readOnlyReason = nil
        processUser = user
        storePath = nil
        try Self.migrator.migrate(writer)
        try seedFirstOwner()
    }

    /// Whether this process may write the file and the folder beside it (where SQLite keeps its -wal and -shm files).
    static func isWritable(_ path: String) -> Bool {
        let directory = (path as NSString).deletingLastPathComponent
        return access(path, W_OK) == 0 && access(directory.isEmpty ? "." : directory, W_OK) == 0
    }

    /// A read-only connection. In a folder this process cannot write, SQLite cannot create the shared-memory file a
    /// WAL database needs, so the file is opened as immutable (nobody without write permission can be changing it).
    static func openReadOnly(_ path: String) throws -> DatabaseQueue {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(5)
        let directory = (path as NSString).deletingLastPathComponent
        guard access(directory.isEmpty ? "." : directory, W_OK) != 0, !FileManager.default.fileExists(atPath: path + "-shm") else {
            return try DatabaseQueue(path: path, configuration: config)
        }
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        let escaped = path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
        return try DatabaseQueue(path: "file:\(escaped)?immutable=1", configuration: config)
    }

    /// The schema version this build writes to `PRAGMA user_version`: the number of migrations it knows.
    static var schemaVersion: Int { migrator.migrations.count }

    /// What marks the store as written by a newer Gatewatch: migrations this build does not know, or a
    /// `user_version` above `schemaVersion`; nil for a store this build can write.
    static func newerSchema(_ reader: any DatabaseReader) throws -> String? {
        try reader.read { db in
            let unknown = try migrator.appliedIdentifiers(db).subtracting(migrator.migrations).sorted()
            if !unknown.isEmpty { return unknown.joined(separator: ", ") }
            let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            return version > schemaVersion ? "version \(version); this build writes version \(schemaVersion)" : nil
        }
    }

    static func newerWords(_ path: String, _ schema: String) -> String {
        "store \(path) was written by a newer Gatewatch (schema \(schema)); opened read-only"
    }

    /// Records `schemaVersion` in `PRAGMA user_version`, so that an older build can tell it is older.
    static func markSchemaVersion(_ writer: any DatabaseWriter) throws {
        let version = schemaVersion
        guard try writer.read({ db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }) < version else { return }
        try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA user_version = \(version)") }
    }

    /// `writer.write`, unless the store was opened read-only.
    private func write<T>(_ updates: (Database) throws -> T) throws -> T {
        if let readOnlyReason { throw RegistryError.readOnly(readOnlyReason) }
        return try writer.write(updates)
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE release (
                    slug TEXT PRIMARY KEY NOT NULL,
                    spec TEXT NOT NULL);
                CREATE TABLE rollout_state (
                    slug TEXT PRIMARY KEY NOT NULL REFERENCES release(slug),
                    state TEXT NOT NULL,
                    version INTEGER NOT NULL);
                CREATE TABLE audit_event (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    release TEXT NOT NULL,
                    time INTEGER NOT NULL,
                    actor TEXT NOT NULL,
                    role TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    from_state TEXT NOT NULL,
                    to_state TEXT NOT NULL);
                CREATE INDEX audit_event_release ON audit_event(release, id);
                CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
                    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
                CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
                    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
                CREATE TABLE series (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    release TEXT NOT NULL,
                    name TEXT NOT NULL,
                    arm TEXT NOT NULL DEFAULT '',
                    segment TEXT NOT NULL DEFAULT '',
                    extra TEXT NOT NULL DEFAULT '',
                    UNIQUE(release, name, arm, segment, extra));
                CREATE TABLE sample (
                    series_id INTEGER NOT NULL REFERENCES series(id),
                    time INTEGER NOT NULL,
                    value REAL NOT NULL,
                    PRIMARY KEY(series_id, time)) WITHOUT ROWID;
                CREATE TABLE simulation_clock (
                    scenario TEXT PRIMARY KEY NOT NULL,
                    time INTEGER NOT NULL);
                """)
        }
        // Samples keyed by (release, time, series): a poll for what is new since the last one is one range scan of the
        // primary key that touches only the new rows of that release, whatever the history and the number of series.
        m.registerMigration("v2-samples-by-release-and-time") { db in
            try db.execute(sql: """
                CREATE TABLE metric_release (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    slug TEXT NOT NULL UNIQUE);
                INSERT INTO metric_release(slug) SELECT DISTINCT release FROM series ORDER BY release;
                CREATE TABLE sample_v2 (
                    release_id INTEGER NOT NULL REFERENCES metric_release(id),
                    time INTEGER NOT NULL,
                    series_id INTEGER NOT NULL REFERENCES series(id),
                    value REAL NOT NULL,
                    PRIMARY KEY(release_id, time, series_id)) WITHOUT ROWID;
                INSERT INTO sample_v2(release_id, time, series_id, value)
                    SELECT r.id, s.time, s.series_id, s.value
                    FROM sample s JOIN series ON series.id = s.series_id JOIN metric_release r ON r.slug = series.release;
                DROP TABLE sample;
                ALTER TABLE sample_v2 RENAME TO sample;
                """)
        }
        // A poll asks for the series added since the last one: an index range scan that finds none, instead of a
        // walk over every series of the release (24,000 at 500 segments) once a second.
        m.registerMigration("v3-series-by-release-and-id") { db in
            try db.execute(sql: "CREATE INDEX series_by_release_id ON series(release, id)")
        }
        // The audit log becomes a hash chain per release (see `AuditChain`): every event gets its position, the
        // previous event's hash and its own; `audit_head` keeps each release's count and newest hash, written in the
        // same transaction as the event, so that removing the newest events shows. Events already stored are chained
        // here, in the order they were written.
        m.registerMigration("v4-audit-hash-chain") { db in
            try db.execute(sql: """
                CREATE TABLE audit_event_chained (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    release TEXT NOT NULL,
                    time INTEGER NOT NULL,
                    actor TEXT NOT NULL,
                    role TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    from_state TEXT NOT NULL,
                    to_state TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL,
                    UNIQUE(release, position));
                CREATE TABLE audit_head (
                    release TEXT PRIMARY KEY NOT NULL,
                    count INTEGER NOT NULL,
                    hash TEXT NOT NULL);
                """)
            var heads: [String: AuditHead] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM audit_event ORDER BY id") {
                let event = Self.event(row)
                let link = AuditChain.link(event, after: heads[event.release])
                try db.execute(sql: """
                    INSERT INTO audit_event_chained(id, release, time, actor, role, kind, reason, from_state, to_state, position, prev_hash, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [row["id"] as Int64, event.release, event.time, event.actor, row["role"] as String, row["kind"] as String,
                                     event.reason, event.fromState, event.toState, link.position, link.previousHash, link.hash])
                heads[event.release] = AuditHead(count: link.position, hash: link.hash)
            }
            for (release, head) in heads {
                try db.execute(sql: "INSERT INTO audit_head(release, count, hash) VALUES (?, ?, ?)", arguments: [release, head.count, head.hash])
            }
            try db.execute(sql: """
                DROP TABLE audit_event;
                ALTER TABLE audit_event_chained RENAME TO audit_event;
                CREATE INDEX audit_event_release ON audit_event(release, id);
                CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
                    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
                CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
                    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
                CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head WHEN NEW.count <> OLD.count + 1
                    BEGIN SELECT RAISE(ABORT, 'the audit head only moves forward, one event at a time'); END;
                CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
                    BEGIN SELECT RAISE(ABORT, 'the audit head only moves forward, one event at a time'); END;
                """)
        }
        // Which releases the demo's simulator drives, and under which clock key: only those are judged by the demo's
        // own clock (every other release of a store runs on the wall clock), and only those may the demo write to.
        // Releases of stores made before this are matched to a clock key by name: `<fleet>/<slug>`, or the only
        // clock of a store with only one release.
        m.registerMigration("v5-demo-releases") { db in
            try db.execute(sql: """
                CREATE TABLE demo_release (
                    slug TEXT PRIMARY KEY NOT NULL,
                    clock_key TEXT NOT NULL);
                INSERT INTO demo_release(slug, clock_key)
                    SELECT r.slug, c.scenario FROM release r JOIN simulation_clock c ON c.scenario LIKE '%/' || r.slug;
                INSERT OR IGNORE INTO demo_release(slug, clock_key)
                    SELECT r.slug, c.scenario FROM release r, simulation_clock c
                    WHERE (SELECT COUNT(*) FROM release) = 1 AND (SELECT COUNT(*) FROM simulation_clock) = 1;
                """)
        }
        // Identities: the name an actor gave beside the one the store knows (`AuditEvent.actorDisplay`), and the
        // roles of operating-system users (`SQLiteStore+Roles`); the store log's first event makes the file's
        // owner the store's owner when a writer first opens it.
        m.registerMigration("v6-identity") { db in
            try db.execute(sql: """
                ALTER TABLE audit_event ADD COLUMN actor_display TEXT;
                CREATE TABLE role_grant (
                    user TEXT PRIMARY KEY NOT NULL,
                    role TEXT NOT NULL);
                CREATE TABLE role_event (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    time INTEGER NOT NULL,
                    actor TEXT NOT NULL,
                    role TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    from_state TEXT NOT NULL,
                    to_state TEXT NOT NULL,
                    position INTEGER NOT NULL UNIQUE,
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL);
                CREATE TABLE role_head (
                    one INTEGER PRIMARY KEY CHECK (one = 1),
                    count INTEGER NOT NULL,
                    hash TEXT NOT NULL);
                CREATE TRIGGER role_event_no_update BEFORE UPDATE ON role_event
                    BEGIN SELECT RAISE(ABORT, 'role events are append-only'); END;
                CREATE TRIGGER role_event_no_delete BEFORE DELETE ON role_event
                    BEGIN SELECT RAISE(ABORT, 'role events are append-only'); END;
                CREATE TRIGGER role_head_forward_only BEFORE UPDATE ON role_head WHEN NEW.count <> OLD.count + 1
                    BEGIN SELECT RAISE(ABORT, 'the role head only moves forward, one event at a time'); END;
                CREATE TRIGGER role_head_no_delete BEFORE DELETE ON role_head
                    BEGIN SELECT RAISE(ABORT, 'the role head only moves forward, one event at a time'); END;
                """)
        }
        return m
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    // MARK: Registry

    public func releaseSlugs() throws -> [String] {
        try writer.read { db in try String.fetchAll(db, sql: "SELECT slug FROM release ORDER BY slug") }
    }

    public func release(_ slug: String) throws -> Release? {
        try writer.read { db in
            guard let json = try String.fetchOne(db, sql: "SELECT spec FROM release WHERE slug = ?", arguments: [slug]) else { return nil }
            return try JSONDecoder().decode(Release.self, from: Data(json.utf8))
        }
    }

    public func state(_ slug: String) throws -> RolloutState? {
        try writer.read { db in try Self.readState(db, slug) }
    }

    /// The stored state, checked against the spec's stage count (`StoredStateCheck`): a state no writer produces is
    /// `RegistryError.damagedState`, never a value for the analysis to crash on.
    static func readState(_ db: Database, _ slug: String) throws -> RolloutState? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT s.state AS state, json_array_length(r.spec, '$.stages') AS stages
            FROM rollout_state s LEFT JOIN release r ON r.slug = s.slug WHERE s.slug = ?
            """, arguments: [slug]) else { return nil }
        let json: String = row["state"]
        let state: RolloutState
        do {
            state = try JSONDecoder().decode(RolloutState.self, from: Data(json.utf8))
        } catch {
            throw RegistryError.damagedState(release: slug, problem: "the stored state cannot be read (\(error))")
        }
        if let problem = StoredStateCheck.problem(state, stages: row["stages"]) {
            throw RegistryError.damagedState(release: slug, problem: problem)
        }
        return state
    }

    public func create(_ release: Release, state: RolloutState, event: AuditEvent) throws {
        let spec = String(decoding: try Self.encoder.encode(release), as: UTF8.self)
        let stateJSON = String(decoding: try Self.encoder.encode(state), as: UTF8.self)
        try write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM release WHERE slug = ?", arguments: [release.slug]) == true {
                throw RegistryError.alreadyExists(release.slug)
            }
            try db.execute(sql: "INSERT INTO release(slug, spec) VALUES (?, ?)", arguments: [release.slug, spec])
            try db.execute(sql: "INSERT INTO rollout_state(slug, state, version) VALUES (?, ?, ?)",
                           arguments: [release.slug, stateJSON, state.version])
            try Self.insert(event, db)
        }
    }

    public func transition(_ slug: String, expectedVersion: Int64, to newState: RolloutState, event: AuditEvent) throws {
        var next = newState
        try write { db in
            guard let current = try Self.readState(db, slug) else { throw RegistryError.unknownRelease(slug) }
            guard current.version == expectedVersion else {
                throw RegistryError.conflict(release: slug, expected: expectedVersion, found: current.version)
            }
            next.version = expectedVersion + 1
            let json = String(decoding: try Self.encoder.encode(next), as: UTF8.self)
            try db.execute(sql: "UPDATE rollout_state SET state = ?, version = ? WHERE slug = ? AND version = ?",
                           arguments: [json, next.version, slug, expectedVersion])
            try Self.insert(event, db)
        }
    }

    public func append(_ event: AuditEvent) throws {
        try write { db in try Self.insert(event, db) }
    }

    /// The check reads the release's events inside an IMMEDIATE transaction: it holds the file's write lock from
    /// its start, so no other process can append between the check and the insert (a deferred transaction would
    /// read an older snapshot and then fail to write).
    public func append(_ event: AuditEvent, unlessCoveredBy prior: @Sendable ([AuditEvent]) -> AuditEvent?) throws -> AuditEvent? {
        if let readOnlyReason { throw RegistryError.readOnly(readOnlyReason) }
        return try writer.writeWithoutTransaction { db in
            var covering: AuditEvent?
            try db.inTransaction(.immediate) {
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM audit_event WHERE release = ? ORDER BY id", arguments: [event.release])
                covering = prior(rows.map(Self.event))
                if covering == nil { try Self.insert(event, db) }
                return .commit
            }
            return covering
        }
    }

    /// Replaces a damaged state (one `state` throws `RegistryError.damagedState` for) and appends `event`, in one
    /// transaction. The new state's version follows the stored version column when that is a count, else starts at 1.
    public func replaceDamagedState(_ slug: String, with newState: RolloutState, event: AuditEvent) throws {
        try write { db in
            do {
                guard try Self.readState(db, slug) != nil else { throw RegistryError.unknownRelease(slug) }
                throw RegistryError.unavailable("the rollout state of '\(slug)' is not damaged; it changes only by a checked transition")
            } catch RegistryError.damagedState {
                var next = newState
                let stored = try Int64.fetchOne(db, sql: "SELECT version FROM rollout_state WHERE slug = ?", arguments: [slug])
                next.version = stored.flatMap { (0..<StoredStateCheck.versionLimit).contains($0) ? $0 + 1 : nil } ?? 1
                let json = String(decoding: try Self.encoder.encode(next), as: UTF8.self)
                try db.execute(sql: "UPDATE rollout_state SET state = ?, version = ? WHERE slug = ?", arguments: [json, next.version, slug])
                try Self.insert(event, db)
            }
        }
    }

    /// Appends `e` to its release's hash chain and moves the release's head, inside the caller's transaction.
    static func insert(_ e: AuditEvent, _ db: Database) throws {
        let link = AuditChain.link(e, after: try readHead(db, e.release))
        try db.execute(sql: """
            INSERT INTO audit_event(release, time, actor, actor_display, role, kind, reason, from_state, to_state, position, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [e.release, e.time, e.actor, e.actorDisplay, e.role.rawValue, e.kind.rawValue, e.reason, e.fromState, e.toState,
                             link.position, link.previousHash, link.hash])
        try db.execute(sql: """
            INSERT INTO audit_head(release, count, hash) VALUES (?, ?, ?)
            ON CONFLICT(release) DO UPDATE SET count = excluded.count, hash = excluded.hash
            """, arguments: [e.release, link.position, link.hash])
    }

    static func readHead(_ db: Database, _ release: String) throws -> AuditHead? {
        guard let row = try Row.fetchOne(db, sql: "SELECT count, hash FROM audit_head WHERE release = ?", arguments: [release]) else { return nil }
        return AuditHead(count: row["count"], hash: row["hash"])
    }

    /// An event from an `audit_event` row (an unknown role or kind reads as reviewer or note).
    static func event(_ row: Row) -> AuditEvent {
        AuditEvent(id: row["id"], release: row["release"], time: row["time"], actor: row["actor"], actorDisplay: row["actor_display"],
                   role: Role(rawValue: row["role"]) ?? .reviewer, kind: AuditKind(rawValue: row["kind"]) ?? .note,
                   reason: row["reason"], fromState: row["from_state"], toState: row["to_state"])
    }

    public func auditEvents(release: String?) throws -> [AuditEvent] {
        try writer.read { db in
            let rows: [Row]
            if let release {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM audit_event WHERE release = ? ORDER BY id", arguments: [release])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM audit_event ORDER BY id")
            }
            return rows.map(Self.event)
        }
    }

    // MARK: Audit chain

    public func auditedReleases() throws -> [String] {
        try writer.read { db in
            try String.fetchAll(db, sql: "SELECT release FROM audit_event UNION SELECT release FROM audit_head UNION SELECT slug FROM release ORDER BY 1")
        }
    }

    /// The release's events in the order they were written (by id), with their chain fields, and its head. A row whose
    /// role or kind is not one Gatewatch writes is reported as unreadable rather than read as something else.
    public func auditTrail(release: String) throws -> AuditTrail {
        try writer.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM audit_event WHERE release = ? ORDER BY id", arguments: [release])
            let records = rows.map { row -> AuditRecord in
                let id: Int64 = row["id"]
                let readable = Role(rawValue: row["role"]) != nil && AuditKind(rawValue: row["kind"]) != nil
                let position: Int64? = row["position"], previous: String? = row["prev_hash"], hash: String? = row["hash"]
                let link = position.flatMap { p in previous.flatMap { v in hash.map { AuditLink(position: p, previousHash: v, hash: $0) } } }
                return AuditRecord(event: readable ? Self.event(row) : nil, link: link, location: "id \(id)")
            }
            return AuditTrail(release: release, records: records, head: try Self.readHead(db, release), eventsAfterHeadMayBePending: false)
        }
    }

    // MARK: Metrics

    /// The samples of a release in `(after, through]`: one range scan of the primary key (release, time, series).
    /// Series keys are cached, so a poll reads only the series rows added since the previous one.
    public func samples(release: String, after: Timestamp?, through: Timestamp) throws -> [SeriesKey: [Sample]] {
        try writer.read { db in
            guard let releaseID = try Int64.fetchOne(db, sql: "SELECT id FROM metric_release WHERE slug = ?", arguments: [release]) else {
                setRowsRead(0)
                return [:]
            }
            let keys = try seriesKeys(release: release, db)
            let statement = try db.cachedStatement(sql: """
                SELECT series_id, time, value FROM sample WHERE release_id = ? AND time > ? AND time <= ? ORDER BY time
                """)
            try statement.setArguments([releaseID, after ?? Int64.min, through])
            // Stepped through the C API: a poll reads one row per series, tens of thousands of them, and a row
            // object per sample costs more than the read itself.
            let handle = statement.sqliteStatement
            defer { sqlite3_reset(handle) }
            var bySeries: [Int64: [Sample]] = [:]
            bySeries.reserveCapacity(keys.count)
            var rows = 0
            while true {
                let code = sqlite3_step(handle)
                if code == SQLITE_DONE { break }
                guard code == SQLITE_ROW else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
                rows += 1
                bySeries[sqlite3_column_int64(handle, 0), default: []]
                    .append(Sample(time: sqlite3_column_int64(handle, 1), value: sqlite3_column_double(handle, 2)))
            }
            setRowsRead(rows)
            var result: [SeriesKey: [Sample]] = [:]
            result.reserveCapacity(bySeries.count)
            for (id, list) in bySeries {
                if let key = keys[id] { result[key] = list }
            }
            return result
        }
    }

    private func setRowsRead(_ n: Int) {
        caches.withLockedValue { $0.rowsRead = n }
    }

    /// Keys of the release's series by id, reading only series added since the last call.
    private func seriesKeys(release: String, _ db: Database) throws -> [Int64: SeriesKey] {
        var known: (keys: [Int64: SeriesKey], newest: Int64) = caches.withLockedValue { $0.seriesKeys[release] } ?? (keys: [:], newest: 0)
        let rows = try Row.fetchAll(db, sql: "SELECT id, name, arm, segment, extra FROM series WHERE release = ? AND id > ? ORDER BY id",
                                    arguments: [release, known.newest])
        guard !rows.isEmpty else { return known.keys }
        for row in rows {
            let id: Int64 = row["id"]
            known.newest = max(known.newest, id)
            guard let family = MetricFamily(rawValue: row["name"]) else { continue }
            let arm: String = row["arm"], segment: String = row["segment"], extra: String = row["extra"]
            known.keys[id] = SeriesKey(family, arm: Arm(rawValue: arm), segment: segment.isEmpty ? nil : segment,
                                       extra: extra.isEmpty ? nil : extra)
        }
        caches.withLockedValue { [known] in $0.seriesKeys[release] = known }
        return known.keys
    }

    /// Appends samples in one transaction. NaN values (Prometheus' staleness marker) are not stored: SQLite has no
    /// NaN, and a missing sample means the same to the analysis.
    public func append(release: String, samples: [SeriesKey: [Sample]]) throws {
        _ = try append(releases: [release: samples])
    }

    /// Appends the samples of several releases in one transaction: all of them or none. Stored samples are never
    /// rewritten: one already stored with the same value is left as it is (counted in the result), one with another
    /// value is a `SampleConflict`, and nothing of the call is written.
    /// - Returns: how many of the samples were already stored.
    @discardableResult
    public func append(releases: [String: [SeriesKey: [Sample]]]) throws -> Int {
        var created: [String: [SeriesKey: Int64]] = [:]
        var present = 0
        try write { db in
            created.removeAll()
            present = 0
            let insert = try db.cachedStatement(sql: """
                INSERT INTO sample(release_id, time, series_id, value) VALUES (?, ?, ?, ?)
                ON CONFLICT(release_id, time, series_id) DO NOTHING
                """)
            let stored = try db.cachedStatement(sql: "SELECT value FROM sample WHERE release_id = ? AND time = ? AND series_id = ?")
            // Bound and stepped through the C API: a scenario writes millions of rows, and an argument array per row
            // costs more than the insert.
            let handle = insert.sqliteStatement
            for (release, samples) in releases {
                let releaseID = try metricReleaseID(release, db)
                for (key, list) in samples where !list.isEmpty {
                    let id = try seriesID(for: key, release: release, db, created: &created[release, default: [:]])
                    for s in list where !s.value.isNaN {
                        sqlite3_bind_int64(handle, 1, releaseID)
                        sqlite3_bind_int64(handle, 2, s.time)
                        sqlite3_bind_int64(handle, 3, id)
                        sqlite3_bind_double(handle, 4, s.value)
                        let code = sqlite3_step(handle)
                        sqlite3_reset(handle)
                        guard code == SQLITE_DONE else {
                            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                        }
                        guard db.changesCount == 0 else { continue }
                        let value = try Double.fetchOne(stored, arguments: [releaseID, s.time, id])
                        guard value == s.value else {
                            throw SampleConflict(release: release, key: key, time: s.time, stored: value ?? .nan, new: s.value)
                        }
                        present += 1
                    }
                }
            }
        }
        // Ids of new series are cached only once their rows are committed.
        guard !created.isEmpty else { return present }
        caches.withLockedValue { c in for (release, ids) in created { c.seriesIDs[release, default: [:]].merge(ids) { $1 } } }
        return present
    }

    private func metricReleaseID(_ release: String, _ db: Database) throws -> Int64 {
        let cached = caches.withLockedValue { $0.releaseIDs[release] }
        if let cached { return cached }
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM metric_release WHERE slug = ?", arguments: [release]) {
            // Committed by an earlier transaction, so it can be cached.
            caches.withLockedValue { $0.releaseIDs[release] = id }
            return id
        }
        // New in this transaction: not cached, since a rollback would give the id away again.
        try db.execute(sql: "INSERT INTO metric_release(slug) VALUES (?)", arguments: [release])
        return db.lastInsertedRowID
    }

    private func seriesID(for key: SeriesKey, release: String, _ db: Database, created: inout [SeriesKey: Int64]) throws -> Int64 {
        let cached = caches.withLockedValue { $0.seriesIDs[release]?[key] }
        if let cached { return cached }
        if let fresh = created[key] { return fresh }
        let args: StatementArguments = [release, key.family.rawValue, key.arm?.rawValue ?? "", key.segment ?? "", key.extra ?? ""]
        try db.execute(sql: "INSERT OR IGNORE INTO series(release, name, arm, segment, extra) VALUES (?, ?, ?, ?, ?)", arguments: args)
        let id = try Int64.fetchOne(db, sql: "SELECT id FROM series WHERE release = ? AND name = ? AND arm = ? AND segment = ? AND extra = ?", arguments: args)!
        created[key] = id
        return id
    }

    /// The newest sample value of each counter series of a release at or before `time` (to resume a simulation).
    public func latestValues(release: String, atOrBefore time: Timestamp) throws -> [SeriesKey: Double] {
        let all = try samples(release: release, after: nil, through: time)
        return all.compactMapValues { $0.last?.value }
    }

    // MARK: Simulation clock

    /// The stored simulated time of a scenario, if it ran before.
    public func simulationClock(_ scenario: String) throws -> Timestamp? {
        try writer.read { db in try Int64.fetchOne(db, sql: "SELECT time FROM simulation_clock WHERE scenario = ?", arguments: [scenario]) }
    }

    /// Records that the demo's simulator drives `release` under the clock `clockKey`.
    public func markDemoRelease(_ release: String, clockKey: String) throws {
        try write { db in
            try db.execute(sql: "INSERT INTO demo_release(slug, clock_key) VALUES (?, ?) ON CONFLICT(slug) DO UPDATE SET clock_key = excluded.clock_key",
                           arguments: [release, clockKey])
        }
    }

    /// The clock key of a release the demo drives, or nil for any other release (one imported or made elsewhere).
    public func demoClockKey(release: String) throws -> String? {
        try writer.read { db in try String.fetchOne(db, sql: "SELECT clock_key FROM demo_release WHERE slug = ?", arguments: [release]) }
    }

    /// The demo's simulated time for a release it drives; nil for a release on the wall clock.
    public func demoClock(release: String) throws -> Timestamp? {
        try writer.read { db in
            try Int64.fetchOne(db, sql: """
                SELECT c.time FROM demo_release d JOIN simulation_clock c ON c.scenario = d.clock_key WHERE d.slug = ?
                """, arguments: [release])
        }
    }

    /// Samples of `release` dated after `time`: a read through `time` leaves them out (see `MetricsStore`).
    public func futureSamples(release: String, after time: Timestamp) throws -> FutureSamples? {
        try writer.read { db in
            guard let releaseID = try Int64.fetchOne(db, sql: "SELECT id FROM metric_release WHERE slug = ?", arguments: [release]),
                  let row = try Row.fetchOne(db, sql: """
                      SELECT s.time AS time, series.name AS name, (SELECT COUNT(*) FROM sample WHERE release_id = ? AND time > ?) AS n
                      FROM sample s JOIN series ON series.id = s.series_id
                      WHERE s.release_id = ? AND s.time > ? ORDER BY s.time LIMIT 1
                      """, arguments: [releaseID, time, releaseID, time])
            else { return nil }
            return FutureSamples(count: row["n"], first: row["time"], family: MetricFamily(rawValue: row["name"] as String))
        }
    }

    public func setSimulationClock(_ scenario: String, _ time: Timestamp) throws {
        try write { db in
            try db.execute(sql: "INSERT INTO simulation_clock(scenario, time) VALUES (?, ?) ON CONFLICT(scenario) DO UPDATE SET time = excluded.time",
                           arguments: [scenario, time])
        }
    }
}
