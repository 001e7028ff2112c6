import CNCursesW
import CSignalFlag
import Foundation
import GatewatchUI
import Testing
@testable import GatewatchTerminal

/// Everything that touches curses' global state (screens, terminfo, locale, signal dispositions) runs here, one test
/// at a time.
@Suite("Curses backend (headless)", .serialized)
struct CursesBackendTests {
    private func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("gw-term-\(UUID().uuidString).out").path
    }

    private func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? NSNumber)?.intValue ?? -1
    }

    @Test func terminfoProbe() {
        #expect(TerminalCheck.probeTerminfo("xterm-256color") == .usable)
        #expect(TerminalCheck.probeTerminfo("dumb") == .cannotAddressCursor)
        #expect(TerminalCheck.probeTerminfo("no-such-terminal-gw") == .unknown)
        // The real guard consults terminfo for TERM values other than dumb.
        let problem = TerminalCheck.check(environment: ["TERM": "no-such-terminal-gw"], stdinIsTTY: true,
                                          stdoutIsTTY: true)
        #expect(problem?.reason == .termUnknown("no-such-terminal-gw"))
    }

    @Test func unknownTerminalTypeThrowsInsteadOfExiting() {
        #expect(throws: TerminalProblem.self) {
            _ = try CursesBackend.headless(terminalType: "no-such-terminal-gw")
        }
    }

    @Test func presentsTextStylesAndWideCharacters() throws {
        let backend = try CursesBackend.headless(width: 20, height: 5)
        defer { backend.restore() }
        #expect(backend.unicode)
        #expect(backend.colorCount == 256)
        #expect(backend.size.width == 20 && backend.size.height == 5)

        let red = Style(foreground: .red, background: .default, bold: true)
        var canvas = TestCanvas.make(width: 20, height: 5, rows: [("Hello 界!", .plain), ("status: ok", red)],
                                     wide: ["界"])
        TestCanvas.write("é", x: 19, y: 4, style: Style(underline: true, reverse: true), into: &canvas)
        let written = backend.present(canvas)
        #expect(written == 100)

        #expect(backend.readRow(0).hasPrefix("Hello 界!"))
        #expect(backend.readRow(1).hasPrefix("status: ok"))
        let wide = try #require(backend.readCell(x: 6, y: 0))
        #expect(wide.text == "界")
        #expect(backend.readCell(x: 8, y: 0)?.text == "!")

        let styled = try #require(backend.readCell(x: 0, y: 1))
        #expect(styled.text == "s")
        #expect(styled.attributes & CursesBackend.boldAttribute != 0)
        #expect(styled.pair == backend.colorPair(foreground: .red, background: .default))
        #expect(styled.pair != 0)

        let corner = try #require(backend.readCell(x: 19, y: 4))
        #expect(corner.text == "é")
        #expect(corner.attributes & CursesBackend.underlineAttribute != 0)
        #expect(corner.attributes & CursesBackend.reverseAttribute != 0)
        #expect(backend.readCell(x: 0, y: 0)?.pair == 0)
    }

    @Test func identicalFrameWritesNothing() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let backend = try CursesBackend.headless(outputPath: path, width: 30, height: 4)
        defer { backend.restore() }
        let canvas = TestCanvas.make(width: 30, height: 4, rows: [("gate: pass", .plain)])
        #expect(backend.present(canvas) == 120)
        let updates = backend.updateCount
        let bytes = fileSize(path)
        #expect(bytes > 0)

        #expect(backend.present(canvas) == 0)
        // An equal value built separately is also identical.
        #expect(backend.present(TestCanvas.make(width: 30, height: 4, rows: [("gate: pass", .plain)])) == 0)
        #expect(backend.updateCount == updates)
        #expect(fileSize(path) == bytes)
    }

    @Test func oneChangedCellWritesOneOrTwoCells() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let backend = try CursesBackend.headless(outputPath: path, width: 30, height: 4)
        defer { backend.restore() }
        var canvas = TestCanvas.make(width: 30, height: 4, rows: [("gate: pass", .plain)])
        backend.present(canvas)
        let bytes = fileSize(path)
        TestCanvas.write("F", x: 6, y: 0, into: &canvas)
        let written = backend.present(canvas)
        #expect((1...2).contains(written))
        #expect(backend.readRow(0).hasPrefix("gate: Fass"))
        let delta = fileSize(path) - bytes
        #expect(delta > 0 && delta < 40, "a one-cell change should emit a few bytes, got \(delta)")

        // Replacing a wide character by a narrow one (change reported at the continuation cell only).
        TestCanvas.write("界", x: 20, y: 2, wide: ["界"], into: &canvas)
        #expect(backend.present(canvas) == 2)
        #expect(backend.readCell(x: 20, y: 2)?.text == "界")
        TestCanvas.write("x", x: 21, y: 2, into: &canvas)
        let rewritten = backend.present(canvas)
        #expect((1...2).contains(rewritten))
        #expect(backend.readCell(x: 21, y: 2)?.text == "x")
    }

    @Test("cells whose canvas width disagrees with the C library's wcwidth keep the row aligned")
    func widthMismatchKeepsAlignment() throws {
        let backend = try CursesBackend.headless(width: 12, height: 2)
        defer { backend.restore() }
        var canvas = TestCanvas.make(width: 12, height: 2, rows: [("abcdef", .plain)])
        backend.present(canvas)
        // "❤️" (U+2764 U+FE0F) is 2 columns on the canvas but wcwidth(U+2764) is 1: the continuation column must not
        // keep the stale "b".
        TestCanvas.write("❤️", x: 0, y: 0, into: &canvas)
        #expect(canvas[0, 0].width == 2)
        backend.present(canvas)
        #expect(backend.readCell(x: 0, y: 0)?.text.unicodeScalars.first?.value == 0x2764)
        #expect(backend.readCell(x: 1, y: 0)?.text == " ")
        #expect(backend.readCell(x: 2, y: 0)?.text == "c")

        // A character the C library finds wider than the canvas does is shown as "?" (searched, since it depends on
        // the tables of both).
        let tooWide = (0x2000...0x1FAFF).lazy.compactMap(Unicode.Scalar.init).first { scalar in
            DisplayWidth.of(Character(scalar)) == 1 && gw_wcwidth(wchar_t(bitPattern: scalar.value)) == 2
        }
        if let tooWide {
            TestCanvas.write(String(Character(tooWide)), x: 4, y: 1, into: &canvas)
            backend.present(canvas)
            #expect(backend.readCell(x: 4, y: 1)?.text == "?", "U+\(String(tooWide.value, radix: 16))")
            #expect(backend.readCell(x: 5, y: 1)?.text == " ")
        }
    }

    @Test("a ZWJ sequence, a flag or a skin tone is drawn by its first character, and no joiner reaches the terminal")
    func multiCharacterClustersAreDrawnByTheirFirstCharacter() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let backend = try CursesBackend.headless(outputPath: path, width: 20, height: 2)
        // 👩‍💻 (ZWJ sequence), 🇧🇷 (flag: two regional indicators), 👍🏽 (skin tone), ❤️ (VS16), é̂ (combining marks).
        let text = "👩\u{200D}💻|🇧🇷|👍🏽|❤\u{FE0F}|e\u{301}\u{302}|"
        let canvas = TestCanvas.make(width: 20, height: 2, rows: [(text, .plain)])
        #expect(DisplayWidth.of(text) == 14)
        backend.present(canvas)
        #expect(backend.readCell(x: 0, y: 0)?.text == "👩")
        #expect(backend.readCell(x: 2, y: 0)?.text == "|")
        #expect(backend.readCell(x: 3, y: 0)?.text == "🇧")
        #expect(backend.readCell(x: 5, y: 0)?.text == "|")
        #expect(backend.readCell(x: 6, y: 0)?.text == "👍")
        #expect(backend.readCell(x: 8, y: 0)?.text == "|")
        #expect(backend.readCell(x: 9, y: 0)?.text == "❤")
        #expect(backend.readCell(x: 11, y: 0)?.text == "|")
        #expect(backend.readCell(x: 12, y: 0)?.text == "e\u{301}\u{302}")
        #expect(backend.readCell(x: 13, y: 0)?.text == "|")
        backend.restore()
        let written = String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
        #expect(written.contains("👩") && written.contains("e\u{301}\u{302}"))
        for dropped: Unicode.Scalar in ["\u{200D}", "💻", "🇷", "🏽", "\u{FE0F}"] {
            #expect(!written.unicodeScalars.contains(dropped), "U+\(String(dropped.value, radix: 16)) was written")
        }
    }

    @Test func colourPairCache() throws {
        let backend = try CursesBackend.headless(width: 10, height: 2)
        defer { backend.restore() }
        let a = backend.colorPair(foreground: .red, background: .black)
        let b = backend.colorPair(foreground: .red, background: .black)
        let c = backend.colorPair(foreground: .indexed(33), background: .default)
        #expect(a == b)
        #expect(a != c)
        #expect(a > 0 && c > 0)
        #expect(backend.colorPair(foreground: .default, background: .default) == 0)
        #expect(backend.allocatedPairCount == 2)
        var fg: Int16 = 0, bg: Int16 = 0
        #expect(pair_content(Int16(c), &fg, &bg) == OK)
        #expect(fg == 33 && bg == -1)
    }

    @Test func eightColourTerminalReducesIndexedColours() throws {
        let backend = try CursesBackend.headless(terminalType: "xterm", width: 10, height: 2)
        defer { backend.restore() }
        #expect(backend.colorCount == 8)
        let pair = backend.colorPair(foreground: .indexed(196), background: .brightBlue)
        var fg: Int16 = 0, bg: Int16 = 0
        #expect(pair_content(Int16(pair), &fg, &bg) == OK)
        #expect(fg == 1 && bg == 4)
    }

    @Test func noColorDisablesColours() throws {
        let backend = try CursesBackend.headless(width: 10, height: 2, environment: ["NO_COLOR": "1"])
        defer { backend.restore() }
        #expect(backend.colorCount == 0)
        #expect(backend.colorPair(foreground: .red, background: .blue) == 0)
        let canvas = TestCanvas.make(width: 10, height: 2, rows: [("x", Style(foreground: .red, bold: true))])
        backend.present(canvas)
        #expect(backend.readCell(x: 0, y: 0)?.pair == 0)
        #expect((backend.readCell(x: 0, y: 0)?.attributes ?? 0) & CursesBackend.boldAttribute != 0)
    }

    @Test func resizeRedrawsEverything() throws {
        let backend = try CursesBackend.headless(width: 20, height: 4)
        defer { backend.restore() }
        let small = TestCanvas.make(width: 20, height: 4, rows: [("before", .plain)])
        backend.present(small)
        #expect(backend.present(small) == 0)
        backend.resize(width: 24, height: 5)
        #expect(backend.size.width == 24 && backend.size.height == 5)
        let big = TestCanvas.make(width: 24, height: 5, rows: [("after", .plain)])
        #expect(backend.present(big) == 120)
        #expect(backend.readRow(0).hasPrefix("after "))
        // The same-size frame after a forced invalidate is redrawn in full as well.
        backend.invalidate()
        #expect(backend.present(big) == 120)
        #expect(backend.present(big) == 0)
    }

    @Test func canvasLargerThanScreenIsClipped() throws {
        let backend = try CursesBackend.headless(width: 10, height: 2)
        defer { backend.restore() }
        let canvas = TestCanvas.make(width: 12, height: 3, rows: [("0123456789AB", .plain), ("x", .plain)])
        #expect(backend.present(canvas) == 20)
        #expect(backend.readRow(0) == "0123456789")
    }

    @Test func asciiFallbackKeepsWidths() throws {
        let backend = try CursesBackend.headless(width: 12, height: 2, asciiOnly: true)
        defer { backend.restore() }
        #expect(!backend.unicode)
        let canvas = TestCanvas.make(width: 12, height: 2, rows: [("a界b é─", .plain)], wide: ["界"])
        backend.present(canvas)
        #expect(backend.readRow(0).hasPrefix("a??b ??"))
    }

    @Test func restoreIsIdempotentAndStopsDrawing() throws {
        let backend = try CursesBackend.headless(width: 10, height: 2)
        backend.restore()
        backend.restore()
        #expect(backend.present(TestCanvas.make(width: 10, height: 2, rows: [("x", .plain)])) == 0)
        #expect(backend.readKey(timeoutMilliseconds: 0) == nil)
        #expect(!TerminalRestorer.isTerminalActive, "a headless backend never arms the process-wide restorer")
    }

    @Test func readKeyTimesOutWithoutInput() throws {
        let backend = try CursesBackend.headless(width: 10, height: 2)
        defer { backend.restore() }
        let start = Date()
        #expect(backend.readKey(timeoutMilliseconds: 30) == nil)
        #expect(Date().timeIntervalSince(start) < 2)
    }

    private func waitForPending() -> Int32? {
        for _ in 0..<200 {
            if let s = SignalWatcher.pendingSignal { return s }
            usleep(5_000)
        }
        return nil
    }

    @Test("stderr written while the screen is up is held back, then written to the real stderr when it is released")
    func stderrIsHeldBackWhileTheScreenIsUp() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let saved = dup(STDERR_FILENO)
        dup2(fds[1], STDERR_FILENO)
        defer {
            dup2(saved, STDERR_FILENO)
            close(saved)
            close(fds[0])
            close(fds[1])
        }
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        func drain() -> String {
            var out = [UInt8]()
            var buffer = [UInt8](repeating: 0, count: 256)
            while true {
                let n = read(fds[0], &buffer, buffer.count)
                if n <= 0 { break }
                out += buffer[0..<n]
            }
            return String(decoding: out, as: UTF8.self)
        }
        #expect(gw_stderr_capture_begin() == 0)
        let message = "Fatal error: held back while the screen is up\n"
        _ = message.withCString { write(STDERR_FILENO, $0, strlen($0)) }
        #expect(drain() == "", "nothing reaches the terminal while the screen is up")
        gw_stderr_capture_end()
        #expect(drain() == message)
        // Released: stderr is the real one again.
        _ = "after\n".withCString { write(STDERR_FILENO, $0, 6) }
        #expect(drain() == "after\n")
    }

    @Test func signalWatcherSetsAFlagInsteadOfKilling() {
        _ = SignalWatcher.takePendingSignal()
        SignalWatcher.install([SIGHUP, SIGUSR2])
        defer { SignalWatcher.uninstall([SIGHUP, SIGUSR2]) }
        #expect(SignalWatcher.pendingSignal == nil)
        // kill(), not raise(): test threads may block signals; the process-directed signal reaches a thread that
        // does not.
        kill(getpid(), SIGUSR2)
        #expect(waitForPending() == SIGUSR2)
        #expect(SignalWatcher.takePendingSignal() == SIGUSR2)
        #expect(SignalWatcher.pendingSignal == nil)
        kill(getpid(), SIGHUP)
        #expect(waitForPending() == SIGHUP)
        #expect(SignalWatcher.takePendingSignal() == SIGHUP)
        SignalWatcher.simulate(SIGTERM)
        #expect(SignalWatcher.takePendingSignal() == SIGTERM)
    }
}

/// Bracketed paste through a real curses screen (in the serialized suite: curses is global state): the mode is
/// switched on with the screen and off on every way out, and a paste read from the terminal is one key.
extension CursesBackendTests {
    private func contents(_ path: String) -> String {
        String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
    }

    @Test func aPasteReadFromTheTerminalIsOneKeyAndTheKeysAroundItStayKeys() throws {
        let input = temporaryPath(), output = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: input); try? FileManager.default.removeItem(atPath: output) }
        let pasted = "Rolling back per INC-1234\r \t\r\u{1B}q 回滚 👩‍💻"
        try ("r\u{1B}[200~" + pasted + "\u{1B}[201~j").write(toFile: input, atomically: true, encoding: .utf8)
        let backend = try CursesBackend.headless(outputPath: output, inputPath: input, width: 20, height: 4)
        defer { backend.restore() }
        var keys: [Key] = []
        for _ in 0..<10 {
            if let key = backend.readKey(timeoutMilliseconds: 50) { keys.append(key) }
        }
        #expect(keys == [.character("r"), .paste(PastedText(pasted)), .character("j")])
    }

    @Test func theModeIsOnWithTheScreenAndOffOnRestoreAndAroundAShell() throws {
        let output = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let on = "\u{1B}[?2004h", off = "\u{1B}[?2004l"
        let backend = try CursesBackend.headless(outputPath: output, width: 20, height: 4)
        backend.present(TestCanvas.make(width: 20, height: 4, rows: [("x", .plain)]))
        #expect(contents(output).contains(on), "bracketed paste on with the first frame")
        #expect(!contents(output).contains(off))
        backend.suspendForShell {
            let written = contents(output)
            #expect(written.contains(off), "off while a shell has the terminal")
            #expect(written.range(of: off, options: .backwards)!.lowerBound > written.range(of: on, options: .backwards)!.lowerBound)
        }
        backend.present(TestCanvas.make(width: 20, height: 4, rows: [("y", .plain)]))
        var written = contents(output)
        #expect(written.range(of: on, options: .backwards)!.lowerBound > written.range(of: off, options: .backwards)!.lowerBound,
                "on again after the shell")
        // The emergency path (crash handlers, second signal) writes it too; it is prepared from the current terminal.
        #expect(TerminalRestorer.emergencySequence.hasPrefix(off))
        #expect(TerminalRestorer.emergencySequence.contains("\u{1B}[?1049l"), "and leaves the alternate screen")
        backend.restore()
        written = contents(output)
        #expect(written.hasSuffix(off) || written.range(of: off, options: .backwards)!.lowerBound
                    > written.range(of: on, options: .backwards)!.lowerBound, "off after restore")
    }
}
