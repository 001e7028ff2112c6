import Foundation
import GatewatchTestSupport
import Testing

/// Text pasted into the dashboard with tmux's `paste-buffer -p` (which adds the bracketed-paste markers only when the
/// program turned the mode on) goes into the open field as text and never runs as keys; the mode is off again once
/// the program has left.
@Suite("Bracketed paste (end to end)", .serialized, .enabled(if: TmuxSession.shouldRun))
struct PasteEndToEndTests {
    static let sqlite3 = URL(fileURLWithPath: "/usr/bin/sqlite3")
    static let incident = "Rolling back per INC-1234\n \t\n"

    /// The demo dashboard as the owner, on a store file the test reads afterwards.
    func start(_ folder: URL, prefix: String = "") throws -> TmuxSession {
        let binary = try TmuxSession.gatewatchBinary()
        let command = [binary.path, "--store", folder.appendingPathComponent("store.sqlite").path, "--as", "owner",
                       "--speed", "60"].map(TmuxSession.shellQuote).joined(separator: " ")
        // No backtrace after a crash: it is not what is tested and takes seconds.
        return try TmuxSession(shellCommand: prefix + command,
                               environment: ["XDG_DATA_HOME": folder.path, "SWIFT_BACKTRACE": "enable=no"],
                               width: 160, height: 48, reportTerminalState: true)
    }

    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gw-e2e-paste-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `set-buffer` + `paste-buffer -p`: the text exactly, with the markers when the program asked for them.
    func paste(_ text: String, into s: TmuxSession) throws {
        #expect(try s.tmux(["set-buffer", "-b", "gw", "--", text]).status == 0)
        #expect(try s.tmux(["paste-buffer", "-p", "-b", "gw", "-t", "main"]).status == 0)
    }

    /// The kinds of the audit events in the store.
    func auditKinds(_ folder: URL) throws -> [String] {
        let store = folder.appendingPathComponent("store.sqlite").path
        let rows = try ProcessResult.run(Self.sqlite3, [store, "SELECT kind FROM audit_event ORDER BY id"])
        #expect(rows.status == 0, "\(rows.stderr)")
        return rows.stdout.split(separator: "\n").map(String.init)
    }

    @Test func aPasteIntoTheRollbackReasonStaysInTheFieldAndNothingElseIsDone() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = try start(dir)
        defer { s.kill() }
        #expect(s.waitFor(text: "Stages", timeout: 30), "\(s.capture())")
        s.sendKeys("r")
        #expect(s.waitFor(text: "Roll back fraud-scoring-v8?", timeout: 5), "\(s.capture())")
        try paste(Self.incident, into: s)
        #expect(s.waitFor(text: "reason: Rolling back per INC-1234", timeout: 5), "\(s.capture())")
        // Give the rest of the paste time to do harm, if it were going to.
        Thread.sleep(forTimeInterval: 1.5)
        let screen = s.capture()
        #expect(screen.contains("Roll back fraud-scoring-v8?"), "the dialog must stay open:\n\(screen)")
        #expect(screen.contains("[ Cancel ]"), "the focus must stay on Cancel:\n\(screen)")
        #expect(screen.contains("reason: Rolling back per INC-1234    █"), "\(screen)")
        #expect(!screen.contains("cancelled") && !screen.contains("Pause fraud-scoring-v8?") && !screen.contains("paused"),
                "\(screen)")
        s.sendKeys("Escape")
        #expect(s.waitFor(text: "roll back cancelled", timeout: 5), "\(s.capture())")
        s.sendKeys("q")
        #expect(s.exitStatus(timeout: 10) == 0)
        let kinds = try auditKinds(dir)
        #expect(!kinds.isEmpty && !kinds.contains("rollback") && !kinds.contains("pause"), "audit events: \(kinds)")
    }

    @Test func aPasteHoldingEscapeAndQNeitherCancelsNorQuits() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = try start(dir)
        defer { s.kill() }
        #expect(s.waitFor(text: "Stages", timeout: 30), "\(s.capture())")
        s.sendKeys("r")
        #expect(s.waitFor(text: "Roll back fraud-scoring-v8?", timeout: 5), "\(s.capture())")
        try paste("stop \u{1B}q now\u{1B}", into: s)
        #expect(s.waitFor(text: "reason: stop q now█", timeout: 5), "\(s.capture())")
        Thread.sleep(forTimeInterval: 1)
        let screen = s.capture()
        #expect(screen.contains("Roll back fraud-scoring-v8?") && screen.contains("2 control characters left out"), "\(screen)")
        #expect(s.exitStatus(timeout: 0.5) == nil, "the paste quit the dashboard")
        // With no text field open, a paste does nothing but say so.
        s.sendKeys("Escape")
        #expect(s.waitFor(text: "roll back cancelled", timeout: 5), "\(s.capture())")
        try paste("q", into: s)
        #expect(s.waitFor(text: "paste ignored: no text field is open", timeout: 5), "\(s.capture())")
        #expect(s.exitStatus(timeout: 0.5) == nil, "the paste quit the dashboard")
        s.sendKeys("q")
        #expect(s.exitStatus(timeout: 10) == 0)
        let kinds = try auditKinds(dir)
        #expect(!kinds.contains("rollback") && !kinds.contains("pause"), "audit events: \(kinds)")
    }

    /// tmux 3.3a has no format for the mode, so the pane's raw output is recorded (`pipe-pane`); after the program
    /// has gone, a paste into the shell that remains shows whether the markers still come (echoed as `^[[200~`).
    @Test func theTerminalLeavesBracketedPasteOnQuitAndOnACrash() throws {
        for way in ["quit", "crash"] {
            let dir = try folder()
            defer { try? FileManager.default.removeItem(at: dir) }
            let raw = dir.appendingPathComponent("raw").path
            // The program starts a moment late, so the recording catches its first bytes.
            let s = try start(dir, prefix: "sleep 1; ")
            defer { s.kill() }
            #expect(try s.tmux(["pipe-pane", "-o", "-t", "main", "cat >> \(TmuxSession.shellQuote(raw))"]).status == 0)
            #expect(s.waitFor(text: "Stages", timeout: 30), "\(s.capture())")
            let on = "\u{1B}[?2004h", off = "\u{1B}[?2004l"
            if way == "quit" {
                s.sendKeys("q")
                #expect(s.exitStatus(timeout: 10) == 0)
            } else {
                s.signalProgram(SIGSEGV)
                #expect(s.exitStatus(timeout: 10) == 139)
            }
            #expect(s.terminalStateAfterExit()?.canonical == true)
            var output = ""
            _ = s.waitUntil(timeout: 5) {
                output = String(decoding: FileManager.default.contents(atPath: raw) ?? Data(), as: UTF8.self)
                return output.contains(off)
            }
            let lastOn = output.range(of: on, options: .backwards), lastOff = output.range(of: off, options: .backwards)
            #expect(lastOn != nil, "\(way): bracketed paste was never turned on")
            #expect(lastOff != nil && lastOn.map { lastOff!.lowerBound > $0.lowerBound } == true,
                    "\(way): bracketed paste is still on after the program left")
            try paste("after-\(way)", into: s)
            #expect(s.waitFor(text: "after-\(way)", timeout: 5), "\(s.capture())")
            #expect(!s.capture().contains("^[[200~"), "\(way): the shell got paste markers:\n\(s.capture())")
        }
    }
}
