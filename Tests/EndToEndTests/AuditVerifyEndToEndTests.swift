import Foundation
import Testing
import GatewatchTestSupport

/// `gatewatch audit verify` on a store the real binary wrote, before and after someone edits the file with sqlite3.
@Suite("Audit verify (end to end)")
struct AuditVerifyEndToEndTests {
    static let sqlite3 = URL(fileURLWithPath: "/usr/bin/sqlite3")

    /// A store with the sample release and seven actions (some refused): 8 audit events.
    static func seededStore(_ dir: URL, _ name: String) throws -> String {
        let binary = try TmuxSession.gatewatchBinary()
        let store = dir.appendingPathComponent(name).path
        let spec = ConcurrentOperatorsTests.root.appendingPathComponent("sample-data/fraud-canary-healthy/release.yaml").path
        let created = try ProcessResult.run(binary, ["import", "--release-spec", spec, "--store", store, "--started", "2026-11-02T09:00:00Z"])
        #expect(created.status == 0, "\(created.stderr)")
        let actions: [([String], Int32)] = [
            (["pause", "--as", "oncall"], 0),
            (["resume", "--as", "oncall"], 0),
            (["promote"], 10),
            (["promote", "--override", "--reason", "bake time is a formality here"], 0),
            (["pause", "--as", "reviewer"], 10),
            (["rollback", "--as", "oncall", "--reason", "latency"], 0),
            (["resume", "--as", "oncall"], 10),
        ]
        for (arguments, status) in actions {
            let r = try ProcessResult.run(binary, arguments + ["--store", store, "--operator", "ana"])
            #expect(r.status == status, "\(arguments): \(r.stdout)\(r.stderr)")
        }
        return store
    }

    static func verify(_ store: String) throws -> ProcessResult {
        try ProcessResult.run(try TmuxSession.gatewatchBinary(), ["audit", "verify", "--store", store])
    }

    @Test func verifyPassesThenNamesTheEditedOrDeletedEvent() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gw-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        let clean = try Self.seededStore(dir, "clean.sqlite")
        let ok = try Self.verify(clean)
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stdout.contains("fraud-scoring-v8: 8 events checked, head "), "\(ok.stdout)")
        #expect(ok.stdout.contains(", ok\n"), "\(ok.stdout)")
        let head = try ProcessResult.run(Self.sqlite3, [clean, "SELECT hash FROM audit_head"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(head.count == 64 && ok.stdout.contains(head), "the head hash is printed so it can be recorded: \(ok.stdout)")

        // The same store named by a config's registry.
        let config = dir.appendingPathComponent("gatewatch.yaml")
        try "registry:\n  kind: sqlite\n  path: \(clean)\n".write(to: config, atomically: true, encoding: .utf8)
        let viaConfig = try ProcessResult.run(try TmuxSession.gatewatchBinary(), ["audit", "verify", "--config", config.path])
        #expect(viaConfig.status == 0 && viaConfig.stdout.contains(head), "\(viaConfig.stdout)\(viaConfig.stderr)")

        // The store itself refuses the edit.
        let refused = try ProcessResult.run(Self.sqlite3, [clean, "UPDATE audit_event SET reason = 'x' WHERE position = 6"])
        #expect(refused.status != 0 && refused.stderr.contains("append-only"), "\(refused.stderr)")

        // Someone with write access drops the trigger and edits the rollback's reason.
        let edited = try Self.seededStore(dir, "edited.sqlite")
        let edit = try ProcessResult.run(Self.sqlite3, [edited, "DROP TRIGGER audit_event_no_update; UPDATE audit_event SET reason = 'routine' WHERE kind = 'rollback'"])
        #expect(edit.status == 0, "\(edit.stderr)")
        let afterEdit = try Self.verify(edited)
        #expect(afterEdit.status == 3, "\(afterEdit.stdout)\(afterEdit.stderr)")
        #expect(afterEdit.stdout.contains("event 7 was edited: its hash does not match its content"), "\(afterEdit.stdout)")

        // A refusal in the middle deleted.
        let deleted = try Self.seededStore(dir, "deleted.sqlite")
        _ = try ProcessResult.run(Self.sqlite3, [deleted, "DROP TRIGGER audit_event_no_delete; DELETE FROM audit_event WHERE position = 4"])
        let afterDelete = try Self.verify(deleted)
        #expect(afterDelete.status == 3, "\(afterDelete.stdout)\(afterDelete.stderr)")
        #expect(afterDelete.stdout.contains("event 4 is missing: event 5 points to a different previous hash"), "\(afterDelete.stdout)")

        // The newest two events deleted: only the head shows it.
        let truncated = try Self.seededStore(dir, "truncated.sqlite")
        _ = try ProcessResult.run(Self.sqlite3, [truncated, "DROP TRIGGER audit_event_no_delete; DELETE FROM audit_event WHERE position >= 7"])
        let afterTruncate = try Self.verify(truncated)
        #expect(afterTruncate.status == 3, "\(afterTruncate.stdout)\(afterTruncate.stderr)")
        #expect(afterTruncate.stdout.contains("the newest 2 events were deleted: the head says 8 events, 6 found"), "\(afterTruncate.stdout)")

        // No store: a usage error, not a verdict.
        let missing = try Self.verify(dir.appendingPathComponent("none.sqlite").path)
        #expect(missing.status == 2, "\(missing.stdout)\(missing.stderr)")
    }
}
