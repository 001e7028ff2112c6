import Foundation
import Testing

/// The terminal guard of the real binary: no app logic beyond "check the terminal before anything else".
@Suite("Terminal guard (end to end)")
struct TerminalGuardEndToEndTests {
    @Test("TERM=dumb exits 2 and points to 'gatewatch snapshot'")
    func dumbTerminalWithoutTTY() throws {
        let binary = try TmuxSession.gatewatchBinary()
        let result = try ProcessResult.run(binary, environment: ["TERM": "dumb"])
        #expect(result.status == 2, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("gatewatch snapshot"))
        #expect(result.stderr.hasPrefix("gatewatch: no usable terminal"))
        #expect(result.stdout.isEmpty, "nothing may be drawn on stdout: \(result.stdout)")
    }

    @Test("</dev/null >/dev/null exits 2 with the message on stderr")
    func redirectedStreams() throws {
        let binary = try TmuxSession.gatewatchBinary()
        let result = try ProcessResult.run(binary, stdinNull: true, stdoutNull: true)
        #expect(result.status == 2, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("standard output is not a terminal"))
        #expect(result.stderr.contains("gatewatch snapshot"))
        #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
    }

    @Test("stdin not a terminal is refused even when stdout is one", .enabled(if: TmuxSession.shouldRun))
    func stdinRedirectedInTerminal() throws {
        let binary = try TmuxSession.gatewatchBinary()
        let session = try TmuxSession(shellCommand: TmuxSession.shellQuote(binary.path) + " </dev/null")
        defer { session.kill() }
        #expect(session.exitStatus(timeout: 10) == 2)
        #expect(session.waitFor(text: "standard input is not a terminal", timeout: 2), "\(session.capture(joinWrapped: true))")
    }

    @Test("TERM=dumb in a real terminal names the terminal type", .enabled(if: TmuxSession.shouldRun))
    func dumbTerminalInTTY() throws {
        let binary = try TmuxSession.gatewatchBinary()
        let session = try TmuxSession(arguments: [binary.path], environment: ["TERM": "dumb"],
                                      reportTerminalState: true)
        defer { session.kill() }
        #expect(session.exitStatus(timeout: 10) == 2)
        #expect(session.waitFor(text: "TERM=dumb cannot draw the dashboard", timeout: 2), "\(session.capture(joinWrapped: true))")
        #expect(session.capture(joinWrapped: true).contains("gatewatch snapshot"))
        // The guard runs before curses: the terminal was never touched.
        #expect(!session.isAlternateScreenActive)
        let state = session.terminalStateAfterExit()
        #expect(state?.canonical == true && state?.echo == true, "\(session.capture(joinWrapped: true))")
    }

    @Test("TERM unset and unknown TERM exit 2", .enabled(if: TmuxSession.shouldRun),
          arguments: [("unset", Optional<String>.none), ("unknown", Optional("vt-gatewatch-nonexistent"))])
    func termUnsetOrUnknown(label: String, term: String?) throws {
        let binary = try TmuxSession.gatewatchBinary()
        let session = try TmuxSession(arguments: [binary.path], environment: ["TERM": term])
        defer { session.kill() }
        #expect(session.exitStatus(timeout: 10) == 2, "\(label): \(session.capture(joinWrapped: true))")
        let expected = term == nil ? "TERM is not set" : "TERM=\(term!) is not in the terminfo database"
        #expect(session.waitFor(text: expected, timeout: 2), "\(label): \(session.capture(joinWrapped: true))")
    }
}
