import Testing
@testable import GatewatchTerminal

@Suite("Terminal guard messages")
struct TerminalCheckTests {
    private func check(_ env: [String: String], stdin: Bool = true, stdout: Bool = true,
                       terminfo: TerminfoStatus = .usable) -> TerminalProblem? {
        TerminalCheck.check(environment: env, stdinIsTTY: stdin, stdoutIsTTY: stdout, terminfo: { _ in terminfo })
    }

    @Test func usableTerminalPasses() {
        #expect(check(["TERM": "xterm-256color"]) == nil)
    }

    @Test func dumbTerminal() throws {
        let problem = try #require(check(["TERM": "dumb"]))
        #expect(problem.reason == .cannotAddressCursor("dumb"))
        #expect(problem.message == "gatewatch: no usable terminal (TERM=dumb cannot draw the dashboard). "
            + "Use 'gatewatch snapshot' to print the screen or 'gatewatch check' for a headless verdict.")
    }

    @Test func stdoutNotATerminal() throws {
        let problem = try #require(check(["TERM": "xterm"], stdout: false))
        #expect(problem.reason == .stdoutNotTerminal)
        #expect(problem.message.contains("standard output is not a terminal"))
        // stdout is reported first when both are redirected
        #expect(check(["TERM": "xterm"], stdin: false, stdout: false)?.reason == .stdoutNotTerminal)
    }

    @Test func stdinNotATerminal() throws {
        let problem = try #require(check(["TERM": "xterm"], stdin: false))
        #expect(problem.reason == .stdinNotTerminal)
        #expect(problem.message.contains("standard input is not a terminal"))
    }

    @Test func termUnsetOrEmpty() {
        #expect(check([:])?.reason == .termUnset)
        #expect(check(["TERM": ""])?.reason == .termUnset)
        #expect(check(["TERM": "  "])?.message.contains("TERM is not set") == true)
    }

    @Test func termUnknownToTerminfo() throws {
        let problem = try #require(check(["TERM": "vt-imaginary"], terminfo: .unknown))
        #expect(problem.reason == .termUnknown("vt-imaginary"))
        #expect(problem.message.contains("TERM=vt-imaginary is not in the terminfo database"))
    }

    @Test func noCursorAddressingAndNoDatabase() {
        #expect(check(["TERM": "lpr"], terminfo: .cannotAddressCursor)?.message.contains("TERM=lpr cannot draw") == true)
        #expect(check(["TERM": "xterm"], terminfo: .noDatabase)?.reason == .noTerminfoDatabase("xterm"))
    }

    @Test("every message is one line naming the alternatives")
    func messagesAreOneLine() {
        let reasons: [TerminalProblem.Reason] = [
            .stdoutNotTerminal, .stdinNotTerminal, .termUnset, .termUnknown("x\ny"), .noTerminfoDatabase("x"),
            .cannotAddressCursor("dumb"), .initializationFailed("x"),
        ]
        for reason in reasons {
            let message = TerminalProblem(reason).message
            #expect(!message.contains("\n"))
            #expect(message.hasPrefix("gatewatch: no usable terminal ("))
            #expect(message.contains("'gatewatch snapshot'"))
            #expect(message.contains("'gatewatch check'"))
        }
        #expect(TerminalProblem.exitStatus == 2)
    }

    @Test func signalExitStatusConvention() {
        #expect(SignalWatcher.exitStatus(for: 2) == 130)
        #expect(SignalWatcher.exitStatus(for: 15) == 143)
        #expect(SignalWatcher.exitStatus(for: 1) == 129)
    }
}
