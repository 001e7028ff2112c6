import Foundation
import Testing

/// The real binary on the demo canary in tmux: first frame, help, quit, signals, resize.
@Suite("Live demo (end to end)", .serialized, .enabled(if: TmuxSession.shouldRun))
struct DemoEndToEndTests {
    /// Starts the demo in an ephemeral store.
    func startDemo(width: Int = 80, height: Int = 24) throws -> TmuxSession {
        let binary = try TmuxSession.gatewatchBinary()
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("gw-e2e-data-\(UUID().uuidString)").path
        return try TmuxSession(arguments: [binary.path, "--ephemeral"], environment: ["XDG_DATA_HOME": data],
                               width: width, height: height, reportTerminalState: true)
    }

    @Test("80x24: stage strip appears, ? shows help, q exits 0 with the terminal restored")
    func helpThenQuit() throws {
        let session = try startDemo()
        defer { session.kill() }
        #expect(session.waitFor(text: "shadow", timeout: 20), "\(session.capture())")
        let frame = session.capture()
        #expect(frame.contains("Stages"))
        #expect(frame.contains("Stop rules"))
        #expect(frame.contains("fraud-scoring-v8"))
        session.sendKeys("?")
        // At 80×24 the help starts with the focused panel's keys and scrolls to the rest.
        #expect(session.waitFor(text: "Stop rules panel", timeout: 5), "\(session.capture())")
        #expect(session.capture().contains("Keys [1–"), "\(session.capture())")
        session.sendKeys("G")
        #expect(session.waitFor(text: "close this help", timeout: 5), "\(session.capture())")
        session.sendKeys("q")
        #expect(session.exitStatus(timeout: 10) == 0, "\(session.capture())")
        let state = session.terminalStateAfterExit()
        #expect(state?.canonical == true && state?.echo == true, "\(session.capture())")
        #expect(!session.isAlternateScreenActive)
    }

    @Test("SIGTERM exits 0 with the terminal restored")
    func terminate() throws {
        let session = try startDemo()
        defer { session.kill() }
        #expect(session.waitFor(text: "Stop rules", timeout: 20), "\(session.capture())")
        session.signalProgram(SIGTERM)
        #expect(session.exitStatus(timeout: 10) == 0, "\(session.capture())")
        let state = session.terminalStateAfterExit()
        #expect(state?.canonical == true && state?.echo == true, "\(session.capture())")
        #expect(!session.isAlternateScreenActive)
    }

    @Test("SIGHUP exits 129 with the terminal restored")
    func hangUp() throws {
        let session = try startDemo()
        defer { session.kill() }
        #expect(session.waitFor(text: "Stop rules", timeout: 20), "\(session.capture())")
        session.signalProgram(SIGHUP)
        #expect(session.exitStatus(timeout: 10) == 129, "\(session.capture())")
        let state = session.terminalStateAfterExit()
        #expect(state?.canonical == true && state?.echo == true, "\(session.capture())")
    }

    @Test("160x48 shows the full screen; a resize to 70x20 and back re-flows it; the clock moves")
    func largeAndResize() throws {
        let session = try startDemo(width: 160, height: 48)
        defer { session.kill() }
        #expect(session.waitFor(text: "challenger-error-rate", timeout: 20), "\(session.capture())")
        let first = session.capture()
        #expect(first.contains("Gates for") && first.contains("Segments") && first.contains("Review queue"),
                "the wide layout shows every panel: \(first)")
        session.resize(width: 70, height: 20)
        #expect(session.waitFor(text: "tab: [Stop rules]", timeout: 5), "\(session.capture())")
        session.sendKeys("Tab")
        #expect(session.waitFor(text: "[Segments]", timeout: 5), "\(session.capture())")
        session.resize(width: 40, height: 10)
        #expect(session.waitFor(text: "Enlarge it to at least", timeout: 5), "\(session.capture())")
        session.resize(width: 160, height: 48)
        #expect(session.waitFor(text: "Gates for", timeout: 5), "\(session.capture())")
        // The simulated clock advances (60× real time): the status line changes within a few seconds.
        let statusBefore = session.capture().split(separator: "\n").last { $0.contains("sim ") }
        #expect(session.waitUntil(timeout: 8) {
            session.capture().split(separator: "\n").last { $0.contains("sim ") } != statusBefore
        })
        session.sendKeys("q")
        #expect(session.exitStatus(timeout: 10) == 0)
    }
}
