import Foundation
import Testing

/// The dashboard driven by keys in a real terminal: move, filter, sort, drill in and out, switch theme, resize.
@Suite("Dashboard keys (end to end)", .serialized, .enabled(if: TmuxSession.shouldRun))
struct DashboardEndToEndTests {
    func start(_ scenario: String, width: Int = 160, height: Int = 48) throws -> TmuxSession {
        let binary = try TmuxSession.gatewatchBinary()
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("gw-e2e-dash-\(UUID().uuidString)").path
        return try TmuxSession(arguments: [binary.path, "--ephemeral", "--scenario", scenario, "--speed", "3600"],
                               environment: ["XDG_DATA_HOME": data], width: width, height: height, reportTerminalState: true)
    }

    @Test func filterSortDrillThemeAndResize() throws {
        let s = try start("eu-segment-regression")
        defer { s.kill() }
        #expect(s.waitFor(text: "Segments (sort: worst FPR", timeout: 20), "\(s.capture())")
        // Focus the segment table, filter to EU, drill into the first EU row and come back.
        s.sendKeys("Tab")
        s.sendKeys("/")
        s.sendKeys("-l", "EU")
        #expect(s.waitFor(text: "/EU", timeout: 5), "\(s.capture())")
        s.sendKeys("Enter")
        #expect(s.waitFor(text: "filter: EU", timeout: 5), "\(s.capture())")
        let segmentRows = s.capture().split(separator: "\n").filter { $0.hasPrefix("│  ") || $0.hasPrefix("│▸ ") }
            .map { String($0.dropFirst(3)) }.filter { $0.hasPrefix("BR/") || $0.hasPrefix("MX/") || $0.hasPrefix("EU/") }
        #expect(!segmentRows.isEmpty && segmentRows.allSatisfy { $0.hasPrefix("EU/") }, "filtered segment rows: \(segmentRows)")
        s.sendKeys("s")
        #expect(s.waitFor(text: "sort: worst precision", timeout: 5), "\(s.capture())")
        s.sendKeys("j")
        s.sendKeys("Enter")
        #expect(s.waitFor(text: "segment market=EU", timeout: 5), "\(s.capture())")
        #expect(s.capture().contains("Scores in this segment"))
        s.sendKeys("Escape")
        #expect(s.waitFor(text: "Gates for", timeout: 5), "\(s.capture())")
        // Switch theme live; an unknown theme is reported, not fatal.
        s.sendKeys(":")
        s.sendKeys("-l", "theme mono")
        s.sendKeys("Enter")
        #expect(s.waitFor(text: "theme mono", timeout: 5), "\(s.capture())")
        s.sendKeys(":")
        s.sendKeys("-l", "theme nosuch")
        s.sendKeys("Enter")
        #expect(s.waitFor(text: "nosuch", timeout: 5), "\(s.capture())")
        // Small and back.
        s.resize(width: 80, height: 24)
        #expect(s.waitFor(text: "tab: ", timeout: 5), "\(s.capture())")
        s.resize(width: 160, height: 48)
        #expect(s.waitFor(text: "Gates for", timeout: 5), "\(s.capture())")
        s.sendKeys("q")
        #expect(s.exitStatus(timeout: 10) == 0)
        let state = s.terminalStateAfterExit()
        #expect(state?.canonical == true && state?.echo == true)
    }

    @Test func fleetStartsOnTheOverviewAndOpensARelease() throws {
        let s = try start("fleet", width: 120, height: 40)
        defer { s.kill() }
        #expect(s.waitFor(text: "4 releases", timeout: 30), "\(s.capture())")
        s.sendKeys("Enter")
        #expect(s.waitFor(text: "Stages", timeout: 5), "\(s.capture())")
        s.sendKeys("Escape")
        #expect(s.waitFor(text: "4 releases", timeout: 5), "\(s.capture())")
        s.sendKeys("q")
        #expect(s.exitStatus(timeout: 10) == 0)
    }

    /// Promote is disabled with its reason; rollback's confirm dialog opens on Cancel, then rolls back with a reason.
    @Test func blockedPromoteAndRollbackThroughTheDialog() throws {
        let binary = try TmuxSession.gatewatchBinary()
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("gw-e2e-act-\(UUID().uuidString)").path
        let s = try TmuxSession(arguments: [binary.path, "--ephemeral", "--as", "oncall"], environment: ["XDG_DATA_HOME": data],
                                width: 160, height: 48, reportTerminalState: true)
        defer { s.kill() }
        #expect(s.waitFor(text: "p promote — blocked: oncall may not promote", timeout: 20), "\(s.capture())")
        s.sendKeys("p")
        #expect(s.waitFor(text: "promote — blocked", timeout: 5))
        s.sendKeys("r")
        #expect(s.waitFor(text: "Roll back fraud-scoring-v8?", timeout: 5), "\(s.capture())")
        #expect(s.capture().contains("[ Cancel ]"), "the dialog must open on Cancel")
        s.sendKeys("Enter")
        #expect(s.waitFor(text: "roll back cancelled", timeout: 5), "\(s.capture())")
        s.sendKeys("r")
        #expect(s.waitFor(text: "[ Cancel ]", timeout: 5))
        s.sendKeys("-l", "errors in BR")
        s.sendKeys("Tab")
        s.sendKeys("Enter")
        #expect(s.waitFor(text: "by \(ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "operator"): errors in BR", timeout: 10), "\(s.capture())")
        #expect(s.capture().contains("rolled back"))
        s.sendKeys("q")
        #expect(s.exitStatus(timeout: 10) == 0)
    }
}
