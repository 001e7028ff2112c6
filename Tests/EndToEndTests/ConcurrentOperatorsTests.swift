import Foundation
import Testing

/// Several operator processes acting on one store at once: no lost or duplicated audit event, and the final state
/// agrees with the successful actions.
@Suite("Concurrent operators (end to end)")
struct ConcurrentOperatorsTests {
    @Test func processesActingAtOnceLoseNothing() throws {
        let binary = try TmuxSession.gatewatchBinary()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gw-concurrent-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = dir.appendingPathComponent("store.sqlite").path
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let spec = root.appendingPathComponent("sample-data/fraud-canary-healthy/release.yaml").path
        let created = try ProcessResult.run(binary, ["import", "--release-spec", spec, "--store", store, "--started", "2026-11-02T09:00:00Z"])
        #expect(created.status == 0, "\(created.stderr)")

        let processes = 4, actionsEach = 5
        final class Tally: @unchecked Sendable {
            let lock = NSLock()
            var succeeded = 0, refused = 0, other: [String] = []
        }
        let tally = Tally()
        DispatchQueue.concurrentPerform(iterations: processes) { p in
            for i in 0..<actionsEach {
                let verb = (p + i) % 2 == 0 ? "pause" : "resume"
                let r = try? ProcessResult.run(binary, [verb, "--store", store, "--as", "oncall", "--operator", "op\(p)"], timeout: 60)
                tally.lock.lock()
                switch r?.status {
                case 0: tally.succeeded += 1
                case 10: tally.refused += 1
                default: tally.other.append("\(verb) by op\(p): \(r.map { "\($0.status) \($0.stderr)" } ?? "did not run")")
                }
                tally.lock.unlock()
            }
        }
        let succeeded = tally.succeeded, refused = tally.refused, other = tally.other
        print("concurrent operators: \(processes) processes × \(actionsEach) actions: \(succeeded) done, \(refused) refused, \(other.count) failed")
        #expect(other.isEmpty, "\(other)")
        #expect(succeeded + refused == processes * actionsEach)
        #expect(succeeded > 0)

        // Every action left exactly one audit event; the state version counts the successful transitions.
        let check = try ProcessResult.run(binary, ["check", "--store", store, "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        let status = try #require(json["status"] as? String)
        let events = try ProcessResult.run(URL(fileURLWithPath: "/usr/bin/sqlite3"), [store, "SELECT kind FROM audit_event ORDER BY id"])
        let kinds = events.stdout.split(separator: "\n").map(String.init)
        #expect(kinds.count == 1 + processes * actionsEach, "audit events: \(kinds.count)")
        #expect(kinds.filter { $0 == "refusal" }.count == refused)
        #expect(kinds.filter { $0 == "pause" || $0 == "resume" }.count == succeeded)
        let version = try ProcessResult.run(URL(fileURLWithPath: "/usr/bin/sqlite3"), [store, "SELECT version FROM rollout_state"])
        #expect(Int(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) == 1 + succeeded)
        // The last successful action decides the status.
        let lastAction = kinds.last { $0 == "pause" || $0 == "resume" }
        #expect(status == (lastAction == "pause" ? "paused" : "running"))
    }
}
