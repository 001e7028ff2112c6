import Foundation
import GatewatchTestSupport
import Testing

/// A slow hook does not hold the dashboard: the rollback runs on a thread of its own, the screen answers keys and
/// shows the hook running, and the outcome arrives when the hook is done.
@Suite("Hooks (end to end)", .enabled(if: TmuxSession.shouldRun))
struct HookEndToEndTests {
    @Test func aSlowHookLeavesTheScreenAnswering() throws {
        let binary = try TmuxSession.gatewatchBinary()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gw-e2e-hook-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("gatewatch"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let marker = dir.appendingPathComponent("router-done").path
        try "hooks:\n  rollback: \"sleep 6; echo ok > '\(marker)'\"\n"
            .write(toFile: dir.appendingPathComponent("gatewatch/config.yaml").path, atomically: true, encoding: .utf8)
        let s = try TmuxSession(arguments: [binary.path, "--ephemeral", "--as", "owner", "--speed", "60"],
                                environment: ["XDG_CONFIG_HOME": dir.path, "XDG_DATA_HOME": dir.path], width: 160, height: 48)
        defer { s.kill() }
        #expect(s.waitFor(text: "Stages", timeout: 30), "\(s.capture())")
        s.sendKeys("r")
        #expect(s.waitFor(text: "[ Cancel ]", timeout: 5), "\(s.capture())")
        s.sendKeys("-l", "router test")
        s.sendKeys("Tab")
        s.sendKeys("Enter")
        #expect(s.waitFor(text: "running hook 'sleep 6;", timeout: 5), "the screen shows the hook at work:\n\(s.capture())")
        // While the hook sleeps, help opens at once (it used to wait for the hook: 9.8 s for a 15 s hook).
        let asked = Date()
        s.sendKeys("?")
        #expect(s.waitFor(text: "close this help", timeout: 3), "\(s.capture())")
        let answered = Date().timeIntervalSince(asked)
        #expect(answered < 1.5, "help took \(answered) s while the hook ran")
        #expect(!FileManager.default.fileExists(atPath: marker), "the premise: the hook is still running")
        s.sendKeys("?")
        #expect(s.waitFor(text: "rolled back fraud-scoring-v8", timeout: 15), "\(s.capture())")
        #expect(FileManager.default.fileExists(atPath: marker), "the hook ran to its end")
        print("hook end to end: help answered in \(Int(answered * 1000)) ms while a 6 s hook ran")
        s.sendKeys("q")
        #expect(s.exitStatus(timeout: 10) == 0)
    }
}
