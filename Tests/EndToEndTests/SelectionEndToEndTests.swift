import Foundation
import GatewatchTestSupport
import Testing

/// The overview re-sorting under a selected release in a live fleet: the selection stays on the release and
/// `enter` opens it.
@Suite("Selection by identity (end to end)", .serialized, .enabled(if: TmuxSession.shouldRun))
struct SelectionEndToEndTests {
    /// The fleet from 75 simulated minutes on, at 20× (as `gatewatch snapshot --scenario fleet --at 75m`): checkout-risk-v5
    /// (firing) is on top; a few real seconds later login-risk-v3 is rolled back and sorts above it.
    @Test func theOverviewReSortsUnderTheSelectedReleaseAndEnterOpensIt() throws {
        let binary = try TmuxSession.gatewatchBinary()
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("gw-e2e-select-\(UUID().uuidString)").path
        let s = try TmuxSession(arguments: [binary.path, "--ephemeral", "--scenario", "fleet", "--start-at", "75m", "--speed", "20"],
                                environment: ["XDG_DATA_HOME": data], width: 120, height: 30, reportTerminalState: true)
        defer { s.kill() }
        #expect(s.waitFor(text: "gatewatch — 4 releases", timeout: 60), "\(s.capture())")
        func rows() -> [String] {
            s.capture().split(separator: "\n").map(String.init).filter { $0.hasPrefix("│▸ ") || $0.hasPrefix("│  ") }
                .filter { $0.contains("-v") }
        }
        let before = rows()
        #expect(before.first.map { $0.hasPrefix("│▸ checkout-risk-v5") } == true, "the premise: checkout-risk-v5 on top, selected: \(before)")
        #expect(!before.contains { $0.contains("rolled back") }, "the premise: login-risk-v3 not rolled back yet: \(before)")
        // Select it with the keys (down and back up).
        s.sendKeys("j")
        s.sendKeys("k")
        #expect(s.waitUntil(timeout: 5) { rows().first?.hasPrefix("│▸ checkout-risk-v5") == true }, "\(rows())")
        // The rollback re-sorts the overview under the cursor.
        #expect(s.waitUntil(timeout: 60) { rows().first.map { $0.contains("login-risk-v3") && $0.contains("rolled back") } == true },
                "login-risk-v3 was not rolled back to the top: \(rows())")
        let after = rows()
        let selected = after.filter { $0.hasPrefix("│▸ ") }
        #expect(selected.count == 1 && selected.first?.hasPrefix("│▸ checkout-risk-v5") == true, "\(after)")
        s.sendKeys("Enter")
        #expect(s.waitFor(text: "Stages", timeout: 5), "\(s.capture())")
        let header = s.capture().split(separator: "\n").first.map(String.init) ?? ""
        #expect(header.hasPrefix("checkout-risk-v5 "), "enter opened: \(header)")
        s.sendKeys("q")
        #expect(s.exitStatus(timeout: 10) == 0)
    }

    /// `/` on the overview filters the releases as typed in a real terminal at 80×24, the title counts what the filter
    /// hides, `enter` opens the one left; then the events pane: `E`, `j`, `enter` opens an event whole, esc twice closes.
    @Test func theOverviewFilterAndTheEventsPaneAt80Columns() throws {
        let binary = try TmuxSession.gatewatchBinary()
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("gw-e2e-filter-\(UUID().uuidString)").path
        let s = try TmuxSession(arguments: [binary.path, "--ephemeral", "--scenario", "fleet", "--start-at", "80m", "--speed", "1"],
                                environment: ["XDG_DATA_HOME": data], width: 80, height: 24, reportTerminalState: true)
        defer { s.kill() }
        #expect(s.waitFor(text: "gatewatch — 4 releases", timeout: 60), "\(s.capture())")
        s.sendKeys("/")
        s.sendText("check")
        #expect(s.waitFor(text: "filter: check", timeout: 5), "\(s.capture())")
        s.sendKeys("Enter")
        #expect(s.waitUntil(timeout: 5) { s.capture().contains("· 3 hidden (") }, "\(s.capture())")
        let title = s.capture().split(separator: "\n").first { $0.contains("Releases [1/1]") }.map(String.init) ?? ""
        #expect(!title.contains("…"), "the filter's title is whole at 80 columns: \(title)")
        s.sendKeys("Enter")
        #expect(s.waitUntil(timeout: 5) { s.capture().hasPrefix("checkout-risk-v5 ") }, "\(s.capture())")
        s.sendKeys("E")
        #expect(s.waitFor(text: "Events [1/", timeout: 5), "\(s.capture())")
        s.sendKeys("j")
        #expect(s.waitFor(text: "Events [2/", timeout: 5), "j moves the pane's cursor: \(s.capture())")
        s.sendKeys("Enter")
        #expect(s.waitFor(text: "— esc closes", timeout: 5) && s.waitFor(text: "entry     #", timeout: 5), "\(s.capture())")
        s.sendKeys("Escape")
        #expect(s.waitUntil(timeout: 5) { !s.capture().contains("entry     #") && s.capture().contains("Events [2/") }, "\(s.capture())")
        s.sendKeys("Escape")
        #expect(s.waitUntil(timeout: 5) { !s.capture().contains("Events [") }, "\(s.capture())")
        s.sendKeys("q")
        #expect(s.exitStatus(timeout: 10) == 0)
    }
}
