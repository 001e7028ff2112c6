import Foundation
import GatewatchTestSupport
import Testing

/// `gatewatch audit verify` finds a state no audited transition explains: the state row of a store changed with
/// sqlite3 to "full, complete" used to verify as ok (the events' chain is intact) while `check` said "full (complete)".
@Suite("State tampering (end to end)")
struct StateTamperEndToEndTests {
    @Test func anEditedStateRowFailsVerification() throws {
        let binary = try TmuxSession.gatewatchBinary()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gw-e2e-state-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let demo = try ProcessResult.run(binary, ["demo", "--segments", "2", "--releases", "1", "--history", "10m", "--store", path], timeout: 120)
        #expect(demo.status == 0, "\(demo.stderr)")
        let clean = try ProcessResult.run(binary, ["audit", "verify", "--store", path], timeout: 60)
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        let update = try ProcessResult.run(URL(fileURLWithPath: "/usr/bin/sqlite3"),
                                           [path, "UPDATE rollout_state SET state = json_set(state, '$.stageIndex', 5, '$.status', 'complete')"])
        #expect(update.status == 0, "\(update.stderr)")
        let tampered = try ProcessResult.run(binary, ["audit", "verify", "--store", path], timeout: 60)
        #expect(tampered.status == 3, "\(tampered.stdout)\(tampered.stderr)")
        #expect(tampered.stdout.contains("TAMPERED: the stored state is not what the audit log explains: stage "),
                "\(tampered.stdout)")
    }
}
