import Foundation
import Testing

/// Signals, crashes and odd terminals against the real binary in tmux: whatever ends the dashboard, the terminal is
/// given back (alternate screen left, cursor shown, canonical mode and echo on), and every terminal size and colour
/// capability either works or says why not.
@Suite("Signals and terminals (end to end)", .serialized, .enabled(if: TmuxSession.shouldRun))
struct SignalsAndTerminalsEndToEndTests {
    /// Starts the demo in an ephemeral store.
    func startDemo(width: Int = 80, height: Int = 24, environment: [String: String?] = [:],
                   extra: [String] = []) throws -> TmuxSession {
        let binary = try TmuxSession.gatewatchBinary()
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("gw-e2e-data-\(UUID().uuidString)").path
        var env = environment
        env["XDG_DATA_HOME"] = data
        return try TmuxSession(arguments: [binary.path, "--ephemeral"] + extra, environment: env,
                               width: width, height: height, reportTerminalState: true)
    }

    /// Expects the terminal of `session` to be fully restored after the program ended with `status`.
    func expectRestored(_ session: TmuxSession, status: Int32, _ label: String) {
        #expect(session.exitStatus(timeout: 15) == status, "\(label): \(session.capture(joinWrapped: true))")
        let state = session.terminalStateAfterExit()
        #expect(state?.canonical == true && state?.echo == true, "\(label): \(session.capture(joinWrapped: true))")
        #expect(!session.isAlternateScreenActive, "\(label): still on the alternate screen")
        #expect(session.isCursorVisible, "\(label): cursor hidden")
    }

    @Test("Ctrl-C typed in the terminal exits 0 with the terminal restored")
    func controlC() throws {
        let session = try startDemo()
        defer { session.kill() }
        #expect(session.waitFor(text: "Stop rules", timeout: 20), "\(session.capture())")
        session.sendKeys("C-c")
        expectRestored(session, status: 0, "Ctrl-C")
        print("signals: Ctrl-C → exit 0, terminal restored")
    }

    @Test("SIGINT and SIGQUIT sent to the process exit 0 and 131 with the terminal restored",
          arguments: [(SIGINT, Int32(0)), (SIGQUIT, Int32(131))])
    func interruptAndQuit(signal: Int32, status: Int32) throws {
        let session = try startDemo()
        defer { session.kill() }
        #expect(session.waitFor(text: "Stop rules", timeout: 20), "\(session.capture())")
        session.signalProgram(signal)
        expectRestored(session, status: status, "signal \(signal)")
        print("signals: signal \(signal) → exit \(status), terminal restored")
    }

    @Test("SIGWINCH storm: ten resizes in a row, then the screen is whole at the final size")
    func resizeStorm() throws {
        let session = try startDemo(width: 120, height: 40)
        defer { session.kill() }
        #expect(session.waitFor(text: "Stop rules", timeout: 20), "\(session.capture())")
        let sizes = [(70, 20), (200, 60), (30, 8), (160, 48), (61, 16), (100, 30), (45, 12), (180, 50), (90, 25), (120, 40)]
        for (w, h) in sizes {
            session.resize(width: w, height: h)
            usleep(30_000)
        }
        let settled = Date()
        var inspection = PaneInspection.of(session)
        #expect(session.waitUntil(timeout: 5) {
            inspection = PaneInspection.of(session)
            return session.capture().contains("Stop rules") && inspection.isClean && inspection.borderedRows > 10
        }, "\(inspection.summary): \(inspection.misalignedRows.prefix(5))\n\(session.capture())")
        let took = Date().timeIntervalSince(settled)
        session.sendKeys("q")
        expectRestored(session, status: 0, "after resizes")
        print("signals: \(sizes.count) resizes 30 ms apart → whole 120x40 screen \(String(format: "%.2f", took)) s after the last"
            + " (\(inspection.summary)), q exits 0")
    }

    @Test("a crash (SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE) restores the terminal and says what happened",
          arguments: [(SIGSEGV, "SIGSEGV"), (SIGABRT, "SIGABRT"), (SIGBUS, "SIGBUS"), (SIGILL, "SIGILL"), (SIGFPE, "SIGFPE")])
    func crashRestoresTheTerminal(signal: Int32, name: String) throws {
        // No backtrace: it is not what is tested and takes seconds to symbolicate.
        let session = try startDemo(environment: ["SWIFT_BACKTRACE": "enable=no"])
        defer { session.kill() }
        #expect(session.waitFor(text: "Stop rules", timeout: 20), "\(session.capture())")
        #expect(session.isAlternateScreenActive)
        session.signalProgram(signal)
        expectRestored(session, status: 128 + signal, name)
        #expect(session.waitFor(text: "gatewatch: crashed (\(name)); the terminal was restored", timeout: 5),
                "\(session.capture(joinWrapped: true))")
        print("signals: \(name) → killed by the signal (status \(128 + signal)), terminal restored, crash reported")
    }

    @Test("a crash with Swift's backtracer on still leaves a usable terminal, the backtrace below the crash line")
    func crashWithBacktrace() throws {
        let session = try startDemo(environment: ["SWIFT_BACKTRACE": "enable=yes,interactive=no,symbolicate=off"])
        defer { session.kill() }
        #expect(session.waitFor(text: "Stop rules", timeout: 20), "\(session.capture())")
        session.signalProgram(SIGSEGV)
        expectRestored(session, status: 128 + SIGSEGV, "SIGSEGV with backtrace")
        // The backtrace is longer than the screen: read the scroll-back too.
        let all = (try? session.tmux(["capture-pane", "-p", "-J", "-S", "-", "-t", "main"]).output) ?? ""
        #expect(all.contains("gatewatch: crashed (SIGSEGV); the terminal was restored"), "\(all)")
        #expect(all.contains("Program crashed"), "Swift's backtracer reports after the crash line: \(all)")
    }

    /// Threads of `pid` (tid, name from /proc).
    static func threads(of pid: pid_t) -> [(tid: pid_t, name: String)] {
        let dir = "/proc/\(pid)/task"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return entries.compactMap { entry in
            guard let tid = pid_t(entry) else { return nil }
            let name = (try? String(contentsOfFile: "\(dir)/\(entry)/comm", encoding: .utf8)) ?? ""
            return (tid, name.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// `tgkill(pid, tid, signal)`: a signal for one thread, as a fault in that thread would raise it.
    static func signalThread(pid: pid_t, tid: pid_t, _ signal: Int32) -> Bool {
        typealias TGKill = @convention(c) (pid_t, pid_t, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "tgkill") else { return false }
        return unsafeBitCast(symbol, to: TGKill.self)(pid, tid, signal) == 0
    }

    @Test("a crash on the poller thread, with Swift's backtracer reporting it, restores the terminal and stops drawing")
    func crashOnThePollerThread() throws {
        let session = try startDemo(environment: ["SWIFT_BACKTRACE": "enable=yes,interactive=no,symbolicate=off"])
        defer { session.kill() }
        #expect(session.waitFor(text: "Stop rules", timeout: 20), "\(session.capture())")
        let pid = try #require(session.programPIDs().first)
        let threads = Self.threads(of: pid)
        // The poller is the only thread besides the main one (its name is not passed to the kernel on Linux).
        let others = threads.filter { $0.tid != pid }
        let poller = try #require(threads.first { $0.name.hasPrefix("gatewatch-poll") } ?? (others.count == 1 ? others.first : nil),
                                  "threads: \(threads)")
        #expect(poller.tid != pid)
        #expect(Self.signalThread(pid: pid, tid: poller.tid, SIGSEGV))
        expectRestored(session, status: 128 + SIGSEGV, "SIGSEGV on the poller thread")
        let after = (try? session.tmux(["capture-pane", "-p", "-J", "-S", "-", "-t", "main"]).output) ?? ""
        #expect(after.contains("gatewatch: crashed (SIGSEGV); the terminal was restored"), "\(after)")
        // The main thread went on running while the backtrace was written, but drew nothing into the restored terminal.
        #expect(!after.contains("Stop rules") && !after.contains("? help"), "drawn after the crash: \(after)")
        print("signals: SIGSEGV on the poller thread (tid \(poller.tid) of \(threads.count)) → status 139, terminal restored,"
            + " crash line shown, no frame drawn after it")
    }

    @Test("tiny terminals (20x5, 1x1) say how large the terminal must be; q still exits 0",
          arguments: [(20, 5), (1, 1), (59, 15)])
    func tinyTerminal(width: Int, height: Int) throws {
        let session = try startDemo(width: width, height: height)
        defer { session.kill() }
        // Nothing crashes; where there is room, the screen says what size it needs.
        usleep(1_500_000)
        #expect(session.isAlternateScreenActive, "\(width)x\(height): \(session.capture())")
        if width >= 20 {
            #expect(session.waitFor(text: "Enlarge", timeout: 10), "\(width)x\(height): \(session.capture())")
        }
        let inspection = PaneInspection.of(session)
        #expect(inspection.misalignedRows.isEmpty && inspection.rows == height, "\(inspection.summary)")
        // Growing the terminal brings the dashboard back.
        session.resize(width: 80, height: 24)
        #expect(session.waitFor(text: "Stop rules", timeout: 10), "\(session.capture())")
        session.sendKeys("q")
        expectRestored(session, status: 0, "\(width)x\(height)")
        print("terminals: \(width)x\(height) → \(width >= 20 ? "asks to enlarge" : "blank, no crash"), resize to 80x24 shows the dashboard, q exits 0")
    }

    @Test("a huge terminal (400x120) shows every panel, rows exactly 400 columns")
    func hugeTerminal() throws {
        let session = try startDemo(width: 400, height: 120)
        defer { session.kill() }
        #expect(session.waitFor(text: "challenger-error-rate", timeout: 20), "\(session.capture())")
        let frame = session.capture()
        #expect(frame.contains("Gates for") && frame.contains("Segments") && frame.contains("Review queue")
                && frame.contains("Scores"))
        let inspection = PaneInspection.of(session)
        #expect(inspection.isClean, "\(inspection.summary) \(inspection.misalignedRows.prefix(3))")
        #expect(inspection.borderedRows > 20)
        session.sendKeys("q")
        expectRestored(session, status: 0, "400x120")
        print("terminals: 400x120 → every panel, \(inspection.summary)")
    }

    /// A terminfo entry for a 16-colour xterm (the system has none installed): xterm-256color with 16 colours.
    static func sixteenColourTerminfo() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gw-terminfo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let source = try TmuxSession.runCapturing("/usr/bin/infocmp", ["-x", "xterm-256color"])
        var lines = source.components(separatedBy: "\n").filter { !$0.hasPrefix("#") }
        guard let nameLine = lines.firstIndex(where: { $0.hasPrefix("xterm-256color|") }) else {
            throw TmuxSession.Failure(description: "infocmp xterm-256color: \(source.prefix(200))")
        }
        lines[nameLine] = "xterm-16color|xterm with 16 colours,"
        let text = lines.joined(separator: "\n")
            .replacingOccurrences(of: #"colors#(0x100|256)"#, with: "colors#16", options: .regularExpression)
            .replacingOccurrences(of: #"pairs#(0x10000|65536|0x7fff|32767)"#, with: "pairs#256", options: .regularExpression)
        let file = dir.appendingPathComponent("xterm-16color.src")
        try text.write(to: file, atomically: true, encoding: .utf8)
        _ = try TmuxSession.runCapturing("/usr/bin/tic", ["-x", "-o", dir.path, file.path])
        return dir.path
    }

    /// The colour parameters of the SGR sequences in `escaped` (38;5;N / 48;5;N as "256:N", 30–37/90–97/40–47/100–107
    /// as "16:N").
    static func colours(in escaped: String) -> (indexed256: Int, basic: Int, rgb: Int) {
        var indexed = 0, basic = 0, rgb = 0
        let regex = try! NSRegularExpression(pattern: "\u{1B}\\[([0-9;:]*)m")
        for match in regex.matches(in: escaped, range: NSRange(escaped.startIndex..., in: escaped)) {
            let params = (escaped as NSString).substring(with: match.range(at: 1)).split(separator: ";").compactMap { Int($0) }
            var i = 0
            while i < params.count {
                let p = params[i]
                if (p == 38 || p == 48), i + 1 < params.count {
                    if params[i + 1] == 5 { indexed += 1; i += 3; continue }
                    if params[i + 1] == 2 { rgb += 1; i += 5; continue }
                }
                if (30...37).contains(p) || (40...47).contains(p) || (90...97).contains(p) || (100...107).contains(p) { basic += 1 }
                i += 1
            }
        }
        return (indexed, basic, rgb)
    }

    @Test("colour capabilities: 256, 16 and 8 colours use only what the terminal has; mono terminals and NO_COLOR use none",
          arguments: [
            ("xterm-256color", nil as String?, "solarized-dark", "256"),
            ("xterm-16color", nil, "solarized-dark", "16"),
            ("screen", nil, "solarized-dark", "8"),
            ("xterm-mono", nil, "default", "none"),
            ("vt100", nil, "default", "none"),
            ("xterm-256color", "1", "default", "none"),
          ])
    func colourCapabilities(term: String, noColor: String?, theme: String, expected: String) throws {
        var env: [String: String?] = ["TERM": term, "NO_COLOR": noColor]
        var terminfo: String?
        if term == "xterm-16color" {
            terminfo = try Self.sixteenColourTerminfo()
            env["TERMINFO"] = terminfo
        }
        defer { if let terminfo { try? FileManager.default.removeItem(atPath: terminfo) } }
        let session = try startDemo(environment: env, extra: ["--theme", theme])
        defer { session.kill() }
        #expect(session.waitFor(text: "Stop rules", timeout: 20), "\(term): \(session.capture(joinWrapped: true))")
        #expect(session.waitFor(text: "challenger-error-ra", timeout: 10))
        let escaped = (try? session.tmux(["capture-pane", "-p", "-e", "-t", "main"]).output) ?? ""
        let c = Self.colours(in: escaped)
        switch expected {
        case "256":
            #expect(c.indexed256 > 0, "\(term): \(c)")
        case "16":
            #expect(c.indexed256 == 0 && c.rgb == 0 && c.basic > 0, "\(term): \(c)")
        case "8":
            #expect(c.indexed256 == 0 && c.rgb == 0 && c.basic > 0, "\(term): \(c)")
            // Only the 8 basic colours: no bright 90–97/100–107.
            #expect(!escaped.contains("\u{1B}[9") && !escaped.contains(";9"), "\(term): bright colours on an 8-colour terminal")
        default:
            #expect(c.indexed256 == 0 && c.rgb == 0 && c.basic == 0, "\(term) NO_COLOR=\(noColor ?? "-"): \(c)")
        }
        // Meaning stays in words and symbols.
        let plain = session.capture()
        #expect((plain.contains("ok") || plain.contains("no data")) && plain.contains("rollback"), "\(plain)")
        let inspection = PaneInspection.of(session)
        #expect(inspection.isClean, "\(term): \(inspection.summary)")
        session.sendKeys("q")
        expectRestored(session, status: 0, term)
        print("terminals: TERM=\(term)\(noColor.map { " NO_COLOR=\($0)" } ?? "") theme \(theme) → \(expected) colours"
            + " (SGR colours: \(c.indexed256) indexed-256, \(c.basic) basic, \(c.rgb) rgb)")
    }
}
