import Foundation
import GatewatchCore
import GatewatchAlertmanager
import Testing
import GatewatchTestSupport

/// The embedded store file under `gatewatch`: damaged state rows, re-imports, stores of a newer schema, read-only
/// files and folders, files that are not stores, and acknowledging twice.
@Suite("Embedded store (end to end)")
struct EmbeddedStoreEndToEndTests {
    static let sqlite3 = URL(fileURLWithPath: "/usr/bin/sqlite3")
    static let slug = "fraud-scoring-v8"

    /// A store holding the sample release (started 2026-11-02T09:00:00Z) and nothing else.
    static func importedStore(_ dir: URL, _ name: String = "store.sqlite") throws -> String {
        let store = dir.appendingPathComponent(name).path
        let spec = ConcurrentOperatorsTests.root.appendingPathComponent("sample-data/fraud-canary-healthy/release.yaml").path
        let created = try gatewatch(["import", "--release-spec", spec, "--store", store, "--started", "2026-11-02T09:00:00Z"])
        #expect(created.status == 0, "\(created.stderr)")
        return store
    }

    static func gatewatch(_ arguments: [String], environment: [String: String?] = [:]) throws -> ProcessResult {
        try ProcessResult.run(try TmuxSession.gatewatchBinary(), arguments, environment: environment, timeout: 60)
    }

    static func sql(_ store: String, _ statement: String) throws -> String {
        let r = try ProcessResult.run(sqlite3, [store, statement])
        #expect(r.status == 0, "\(statement): \(r.stderr)")
        return r.stdout
    }

    static func auditKinds(_ store: String) throws -> [String] {
        try sql(store, "SELECT kind FROM audit_event ORDER BY id").split(separator: "\n").map(String.init)
    }

    static func temporaryDirectory() throws -> URL {
        try TestProcesses.temporaryDirectory(prefix: "gw-store")
    }

    /// Replaces one number in the release's stored state (and the version column with it).
    static func damage(_ store: String, field: String, value: String) throws {
        let json = try sql(store, "SELECT state FROM rollout_state WHERE slug = '\(slug)'").trimmingCharacters(in: .whitespacesAndNewlines)
        let damaged = json.replacingOccurrences(of: "\"\(field)\":-?[0-9]+", with: "\"\(field)\":\(value)", options: .regularExpression)
        #expect(damaged != json, "no \(field) in \(json)")
        _ = try sql(store, "UPDATE rollout_state SET state = '\(damaged)' WHERE slug = '\(slug)'")
        if field == "version" { _ = try sql(store, "UPDATE rollout_state SET version = \(value) WHERE slug = '\(slug)'") }
    }

    // MARK: Damaged state

    @Test(arguments: [("stageIndex", "-3"), ("stageIndex", "6"), ("stageEnteredAt", "-9223372036854775808"),
                      ("version", "9223372036854775807")])
    func aDamagedStateIsReportedByCheckAndRollbackResetsItFromTheSpec(field: String, value: String) throws {
        let dir = try Self.temporaryDirectory()
        defer { TestProcesses.removeDirectory(dir) }
        let store = try Self.importedStore(dir)
        try Self.damage(store, field: field, value: value)

        let check = try Self.gatewatch(["check", "--store", store])
        #expect(check.status == 2, "\(check.stdout)\(check.stderr)")
        #expect(check.stderr.contains("'\(Self.slug)'") && check.stderr.contains("\(field) \(value)"), "\(check.stderr)")

        let rollback = try Self.gatewatch(["rollback", "--store", store, "--as", "oncall", "--operator", "omar", "--reason", "state is damaged"])
        #expect(rollback.status == 0, "\(rollback.stdout)\(rollback.stderr)")
        #expect(rollback.stdout.contains("rolled back \(Self.slug)"), "\(rollback.stdout)")
        #expect(try Self.auditKinds(store) == ["start", "rollback"])
        let event = try Self.sql(store, "SELECT actor, actor_display, reason, from_state, to_state FROM audit_event WHERE kind = 'rollback'")
        #expect(event.contains("\(SystemUser.current)|omar|state is damaged") && event.contains("\(field) \(value)") && event.contains("rolled back"), "\(event)")

        let after = try Self.gatewatch(["check", "--store", store])
        #expect([0, 10, 20].contains(after.status), "\(after.stdout)\(after.stderr)")
        #expect(after.stdout.contains("rolled back"), "\(after.stdout)")
        let verify = try Self.gatewatch(["audit", "verify", "--store", store])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    // MARK: Re-import

    static let samples = """
        # TYPE gatewatch_decisions counter
        gatewatch_decisions_total{release="fraud-scoring-v8",arm="challenger",segment="market=BR,surface=app",action="allow"} 289 1793610060
        gatewatch_decisions_total{release="fraud-scoring-v8",arm="challenger",segment="market=BR,surface=app",action="allow"} 562 1793610120
        # TYPE gatewatch_review_queue_depth gauge
        gatewatch_review_queue_depth{release="fraud-scoring-v8"} 12 1793610060
        # EOF

        """

    static func allSamples(_ store: String) throws -> String {
        try sql(store, "SELECT release_id, time, series_id, value FROM sample ORDER BY 1, 2, 3")
    }

    @Test func reimportingTheSameSamplesIsANoOpAndAConflictingOneWritesNothing() throws {
        let dir = try Self.temporaryDirectory()
        defer { TestProcesses.removeDirectory(dir) }
        let store = dir.appendingPathComponent("store.sqlite").path
        let file = dir.appendingPathComponent("in.om")
        try Self.samples.write(to: file, atomically: true, encoding: .utf8)
        let first = try Self.gatewatch(["import", "--openmetrics", file.path, "--store", store])
        #expect(first.status == 0, "\(first.stderr)")
        let stored = try Self.allSamples(store)
        #expect(stored.split(separator: "\n").count == 3)

        let again = try Self.gatewatch(["import", "--openmetrics", file.path, "--store", store])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("3 samples already present"), "\(again.stdout)")
        #expect(try Self.allSamples(store) == stored)

        // An overlapping file: one new sample, one already there, and one that says something else about 1793610120.
        let conflicting = dir.appendingPathComponent("conflict.om")
        try """
            # TYPE gatewatch_decisions counter
            gatewatch_decisions_total{release="fraud-scoring-v8",arm="challenger",segment="market=BR,surface=app",action="allow"} 289 1793610060
            gatewatch_decisions_total{release="fraud-scoring-v8",arm="challenger",segment="market=BR,surface=app",action="allow"} 56 1793610120
            gatewatch_decisions_total{release="fraud-scoring-v8",arm="challenger",segment="market=BR,surface=app",action="allow"} 849 1793610180
            # EOF

            """.write(to: conflicting, atomically: true, encoding: .utf8)
        let refused = try Self.gatewatch(["import", "--openmetrics", conflicting.path, "--store", store])
        #expect(refused.status == 2, "\(refused.stdout)\(refused.stderr)")
        #expect(refused.stderr.contains("\(conflicting.path):3:"), "\(refused.stderr)")
        #expect(refused.stderr.contains("gatewatch_decisions_total{release=\"fraud-scoring-v8\",arm=\"challenger\",segment=\"market=BR,surface=app\",action=\"allow\"}"),
                "\(refused.stderr)")
        #expect(refused.stderr.contains("1793610120") && refused.stderr.contains("562") && refused.stderr.contains("56"), "\(refused.stderr)")
        #expect(try Self.allSamples(store) == stored, "nothing of the refused import is written")
    }

    // MARK: Newer schema

    @Test(arguments: ["INSERT INTO grdb_migrations(identifier) VALUES ('v9-from-the-future')", "PRAGMA user_version = 99"])
    func aStoreOfANewerGatewatchOpensReadOnly(marker: String) throws {
        let dir = try Self.temporaryDirectory()
        defer { TestProcesses.removeDirectory(dir) }
        let store = try Self.importedStore(dir)
        _ = try Self.sql(store, marker)
        let before = try Self.sql(store, ".dump")

        let check = try Self.gatewatch(["check", "--store", store])
        #expect([0, 10, 20].contains(check.status), "\(check.stdout)\(check.stderr)")
        #expect(check.stderr.contains("store \(store) was written by a newer Gatewatch (schema "), "\(check.stderr)")
        #expect(check.stderr.contains("opened read-only"), "\(check.stderr)")

        let pause = try Self.gatewatch(["pause", "--store", store, "--as", "oncall"])
        #expect(pause.status == 2, "\(pause.stdout)\(pause.stderr)")
        #expect(pause.stderr.contains("was written by a newer Gatewatch"), "\(pause.stderr)")
        let file = dir.appendingPathComponent("in.om")
        try Self.samples.write(to: file, atomically: true, encoding: .utf8)
        let imported = try Self.gatewatch(["import", "--openmetrics", file.path, "--store", store])
        #expect(imported.status == 2, "\(imported.stdout)\(imported.stderr)")
        #expect(imported.stderr.contains("was written by a newer Gatewatch"), "\(imported.stderr)")
        #expect(try Self.sql(store, ".dump") == before, "nothing written")
    }

    // MARK: Read-only files and folders

    /// Runs gatewatch as `nobody` when the tests run as root (for whom permission bits do not stop writes).
    static func unprivileged(_ arguments: [String], home: URL) throws -> ProcessResult {
        let environment: [String: String?] = ["HOME": home.path, "XDG_CONFIG_HOME": home.path, "XDG_DATA_HOME": home.path]
        guard getuid() == 0 else { return try gatewatch(arguments, environment: environment) }
        return try ProcessResult.run(URL(fileURLWithPath: "/usr/bin/setpriv"),
                                     ["--reuid=65534", "--regid=65534", "--clear-groups", try TmuxSession.gatewatchBinary().path] + arguments,
                                     environment: environment, timeout: 60)
    }

    @Test(arguments: ["file", "folder"])
    func aReadOnlyStoreIsReadByReadCommandsAndRefusedByWriteCommands(what: String) throws {
        let dir = try Self.temporaryDirectory()
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)
            TestProcesses.removeDirectory(dir)
        }
        let folder = dir.appendingPathComponent("stores")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try Self.importedStore(folder)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)
        if what == "file" {
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: store)
            try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: folder.path)
        } else {
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: store)
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: store))

        let check = try Self.unprivileged(["check", "--store", store], home: dir)
        #expect([0, 10, 20].contains(check.status), "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains(Self.slug), "\(check.stdout)")
        let verify = try Self.unprivileged(["audit", "verify", "--store", store], home: dir)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("\(Self.slug): 1 event checked"), "\(verify.stdout)")

        let pause = try Self.unprivileged(["pause", "--store", store, "--as", "oncall"], home: dir)
        #expect(pause.status == 2, "\(pause.stdout)\(pause.stderr)")
        #expect(pause.stderr.contains("store \(store) is read-only"), "\(pause.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: store)) == before)
    }

    // MARK: Not a store

    @Test func auditVerifyOfAnEmptyOrMissingFileChangesNothing() throws {
        let dir = try Self.temporaryDirectory()
        defer { TestProcesses.removeDirectory(dir) }
        let empty = dir.appendingPathComponent("empty.sqlite").path
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        let then = Date(timeIntervalSince1970: 1_700_000_000)
        try FileManager.default.setAttributes([.modificationDate: then], ofItemAtPath: empty)

        let verify = try Self.gatewatch(["audit", "verify", "--store", empty])
        #expect(verify.status == 2, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stderr.contains("\(empty) is empty, not a Gatewatch store"), "\(verify.stderr)")
        let attributes = try FileManager.default.attributesOfItem(atPath: empty)
        #expect(attributes[.size] as? Int == 0)
        #expect(attributes[.modificationDate] as? Date == then)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["empty.sqlite"])

        let check = try Self.gatewatch(["check", "--store", empty])
        #expect(check.status == 2, "\(check.stdout)\(check.stderr)")
        #expect(try FileManager.default.attributesOfItem(atPath: empty)[.size] as? Int == 0)

        let missing = dir.appendingPathComponent("none.sqlite").path
        let none = try Self.gatewatch(["audit", "verify", "--store", missing])
        #expect(none.status == 2, "\(none.stdout)\(none.stderr)")
        #expect(!FileManager.default.fileExists(atPath: missing))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["empty.sqlite"])
    }

    // MARK: Acknowledging twice

    @Test func aSecondAcknowledgementOfTheSameEpisodeIsANoOp() throws {
        let dir = try Self.temporaryDirectory()
        defer { TestProcesses.removeDirectory(dir) }
        let store = dir.appendingPathComponent("store.sqlite").path
        let spec = dir.appendingPathComponent("spec.yaml")
        // A warn rule that fires without data, so there is something to acknowledge in a store without metrics.
        try ConcurrentOperatorsTests.loadSpec(slug: "ack-twice").write(to: spec, atomically: true, encoding: .utf8)
        let created = try Self.gatewatch(["import", "--release-spec", spec.path, "--store", store, "--started", "2026-11-02T09:00:00Z"])
        #expect(created.status == 0, "\(created.stderr)")

        let first = try Self.gatewatch(["ack", "--rule", "no-data-watch", "--store", store, "--as", "oncall", "--operator", "omar"])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout.contains("acknowledged no-data-watch"), "\(first.stdout)")
        let second = try Self.gatewatch(["ack", "--rule", "no-data-watch", "--store", store, "--as", "oncall", "--operator", "rita"])
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(second.stdout.contains("already acknowledged by \(SystemUser.current) (as “omar”) at "), "\(second.stdout)")
        #expect(try Self.auditKinds(store) == ["start", "acknowledge"])
    }

    // MARK: Acknowledging silences the rule's alerts in Alertmanager

    /// With `alertmanager:` in the config, `gatewatch ack` also creates a silence in a real Alertmanager 0.25, scoped
    /// to the rule and the release and naming the episode; a second acknowledgement of the episode makes none. When
    /// Alertmanager is down the acknowledgement still stands, and the failed silence is said and audited.
    @Test func acknowledgingSilencesTheRulesAlertsInAlertmanager() throws {
        let dir = try Self.temporaryDirectory()
        defer { TestProcesses.removeDirectory(dir) }
        let alertmanager = try AlertmanagerServer.start()
        defer { alertmanager.stop() }
        func setUp(_ slug: String) throws -> URL {
            let store = dir.appendingPathComponent("\(slug).sqlite").path
            let spec = dir.appendingPathComponent("\(slug).yaml")
            try ConcurrentOperatorsTests.loadSpec(slug: slug).write(to: spec, atomically: true, encoding: .utf8)
            let created = try Self.gatewatch(["import", "--release-spec", spec.path, "--store", store, "--started", "2026-11-02T09:00:00Z"])
            #expect(created.status == 0, "\(created.stderr)")
            let config = dir.appendingPathComponent("\(slug)-config.yaml")
            try """
                registry: { kind: sqlite, path: \(store) }
                metrics: { kind: sqlite, path: \(store) }
                alertmanager: { url: "\(alertmanager.url.absoluteString)", timeout: 2s }

                """.write(to: config, atomically: true, encoding: .utf8)
            return config
        }
        let config = try setUp("ack-am")
        let first = try Self.gatewatch(["ack", "--rule", "no-data-watch", "--config", config.path, "--as", "oncall", "--operator", "omar"])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout.contains("acknowledged no-data-watch · Alertmanager silence "), "\(first.stdout)")
        let client = try AlertmanagerClient(options: AlertmanagerOptions(url: alertmanager.url))
        let silences = try client.silences(release: "ack-am")
        #expect(silences.count == 1)
        #expect(silences.first?.matchers == [.init("release", "ack-am"), .init("gatewatch_rule", "no-data-watch")])
        #expect(silences.first?.createdBy == "gatewatch" && silences.first.flatMap(EpisodeSilence.episode(of:)) != nil,
                "\(String(describing: silences.first))")
        #expect(first.stdout.contains(String(silences.first?.id.prefix(8) ?? "?")), "the message names the silence")
        let second = try Self.gatewatch(["ack", "--rule", "no-data-watch", "--config", config.path, "--as", "oncall", "--operator", "rita"])
        #expect(second.stdout.contains("already acknowledged"), "\(second.stdout)")
        #expect(try client.silences(release: "ack-am").count == 1, "no second silence for the same episode")

        // Alertmanager down: the acknowledgement is written, the silence's failure said and audited.
        let other = try setUp("ack-am-down")
        alertmanager.stop()
        let down = try Self.gatewatch(["ack", "--rule", "no-data-watch", "--config", other.path, "--as", "oncall", "--operator", "omar"])
        #expect(down.status == 0, "\(down.stdout)\(down.stderr)")
        #expect(down.stdout.contains("acknowledged no-data-watch — but the Alertmanager silence failed: Alertmanager: "), "\(down.stdout)")
        let store = dir.appendingPathComponent("ack-am-down.sqlite").path
        #expect(try Self.auditKinds(store) == ["start", "acknowledge", "note"])
    }
}

