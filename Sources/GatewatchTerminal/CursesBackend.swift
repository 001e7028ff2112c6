import CNCursesW
import Foundation
import GatewatchUI

/// The ncurses backend: presents `Canvas` frames (writing only changed cells) and reads keys.
///
/// Not thread-safe and not `Sendable`: create it, present and read keys on one thread only. Only one backend may be
/// active at a time (curses is global state).
public final class CursesBackend {
    /// Whether the locale is UTF-8; when false, non-ASCII cells are drawn as `?`.
    public let unicode: Bool
    /// The number of colours in use: 0 when colours are off (no support or `NO_COLOR`), else 8, 16, 88 or 256.
    public let colorCount: Int
    /// The terminal size in cells; updated on `KEY_RESIZE`.
    public private(set) var size: (width: Int, height: Int)

    private var screen: OpaquePointer?
    private let window: UnsafeMutablePointer<WINDOW>
    /// The descriptor curses writes to (the terminal, or a test's file).
    private let outputDescriptor: Int32
    /// The terminal's input, waited on with poll(2) (see `readKey`).
    private let inputDescriptor: Int32
    private var active = true
    private let ownsTerminal: Bool
    private var ownedFiles: [UnsafeMutablePointer<FILE>] = []
    private let defaultColors: Bool
    private let maxPairs: Int32

    private var previous: Canvas?
    private var needsFullRedraw = true
    private var pairs: [PairKey: Int32] = [:]
    private var nextPair: Int32 = 1
    private var input = InputAssembler()
    /// Keys the assembler completed beyond the one `readKey` returned.
    private var pendingKeys: [Key] = []

    /// Number of `doupdate` calls so far (tests: an identical frame must not add one).
    private(set) var updateCount = 0

    private struct PairKey: Hashable {
        let foreground: Int16
        let background: Int16
    }

    // MARK: - Life cycle

    /// Starts curses on the process's terminal: checks the terminal (never `initscr`), picks a UTF-8 locale,
    /// installs the `SignalWatcher` (before curses, so ncurses keeps its hands off SIGINT/SIGTERM), the `atexit`
    /// and crash restorers, then `newterm(TERM, stdout, stdin)`.
    public convenience init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        watchSignals: Bool = true
    ) throws(TerminalProblem) {
        if let problem = TerminalCheck.checkProcess(environment: environment) { throw problem }
        let term = environment["TERM"] ?? ""
        if watchSignals { SignalWatcher.install() }
        TerminalRestorer.installAtExit()
        TerminalRestorer.installCrashHandlers()
        TerminalRestorer.saveTerminalSettings(fd: STDOUT_FILENO)
        try self.init(terminalType: term, output: gw_stdout(), input: gw_stdin(), environment: environment,
                      forceSize: nil, asciiOnly: false, ownsTerminal: true)
    }

    /// A backend on arbitrary streams, for tests: e.g. `"xterm-256color"` writing to a file or `/dev/null`, reading
    /// keys from `inputPath`. Never arms the process-wide restorers. `width`/`height` force the screen size (else
    /// terminfo/ioctl decide).
    public static func headless(
        terminalType: String = "xterm-256color",
        outputPath: String = "/dev/null",
        inputPath: String = "/dev/null",
        width: Int? = 80,
        height: Int? = 24,
        asciiOnly: Bool = false,
        environment: [String: String] = [:]
    ) throws(TerminalProblem) -> CursesBackend {
        guard let output = fopen(outputPath, "w") else { throw TerminalProblem(.initializationFailed(terminalType)) }
        guard let input = fopen(inputPath, "r") else {
            fclose(output)
            throw TerminalProblem(.initializationFailed(terminalType))
        }
        let forced: (Int, Int)? = if let width, let height { (width, height) } else { nil }
        do {
            let backend = try CursesBackend(terminalType: terminalType, output: output, input: input,
                                            environment: environment, forceSize: forced, asciiOnly: asciiOnly,
                                            ownsTerminal: false)
            backend.ownedFiles = [output, input]
            return backend
        } catch {
            fclose(output)
            fclose(input)
            throw error
        }
    }

    init(
        terminalType: String,
        output: UnsafeMutablePointer<FILE>,
        input: UnsafeMutablePointer<FILE>,
        environment: [String: String],
        forceSize: (width: Int, height: Int)?,
        asciiOnly: Bool,
        ownsTerminal: Bool
    ) throws(TerminalProblem) {
        let utf8 = LocaleSetup.configure()
        guard let screen = newterm(terminalType, output, input) else {
            throw TerminalProblem(.initializationFailed(terminalType))
        }
        _ = set_term(screen)
        guard let window = gw_stdscr() else {
            endwin()
            delscreen(screen)
            throw TerminalProblem(.initializationFailed(terminalType))
        }
        self.screen = screen
        self.window = window
        self.outputDescriptor = fileno(output)
        self.inputDescriptor = fileno(input)
        self.ownsTerminal = ownsTerminal
        self.unicode = utf8 && !asciiOnly

        cbreak()
        noecho()
        nonl()
        intrflush(window, false)
        keypad(window, true)
        _ = curs_set(0)
        set_escdelay(25)
        leaveok(window, true)
        scrollok(window, false)

        var colors = 0
        var defaults = false
        var pairLimit: Int32 = 0
        if environment["NO_COLOR"].map({ !$0.isEmpty }) != true, has_colors(), start_color() == OK {
            defaults = use_default_colors() == OK
            colors = Int(gw_colors())
            pairLimit = min(gw_color_pairs(), 32767)
            if colors < 8 || pairLimit < 2 { colors = 0 }
        }
        self.colorCount = colors
        self.defaultColors = defaults
        self.maxPairs = pairLimit

        if let forceSize { resize_term(Int32(forceSize.height), Int32(forceSize.width)) }
        var h: Int32 = 0, w: Int32 = 0
        gw_getmaxyx(window, &h, &w)
        self.size = (Int(max(0, w)), Int(max(0, h)))

        if ownsTerminal { TerminalRestorer.arm() }
        setBracketedPaste(true)
    }

    /// Turns the terminal's bracketed paste mode on or off, written straight to the terminal (not through `putp`,
    /// which writes to the process's stdout whatever the screen's output is). Off is written after `endwin`, when
    /// curses has flushed all it had. Terminals without the mode ignore the sequence.
    private func setBracketedPaste(_ on: Bool) {
        TerminalRestorer.write(on ? TerminalRestorer.bracketedPasteOn : TerminalRestorer.bracketedPasteOff,
                               to: outputDescriptor)
    }

    deinit { restore() }

    /// Leaves curses (`endwin`): cooked mode, cursor visible, alternate screen left. Idempotent; afterwards
    /// `present` and `readKey` do nothing.
    public func restore() {
        guard active else { return }
        active = false
        if ownsTerminal { TerminalRestorer.disarm() }
        _ = curs_set(1)
        endwin()
        setBracketedPaste(false)
        if ownsTerminal { TerminalRestorer.releaseStderr() }
        if let screen { delscreen(screen) }
        screen = nil
        for file in ownedFiles { fclose(file) }
        ownedFiles = []
    }

    /// Leaves curses while `body` runs (e.g. a shell or `$EDITOR`), then resumes; the next `present` redraws all.
    public func suspendForShell<T>(_ body: () throws -> T) rethrows -> T {
        guard active else { return try body() }
        if ownsTerminal { TerminalRestorer.disarm() }
        _ = curs_set(1)
        endwin()
        setBracketedPaste(false)
        if ownsTerminal { TerminalRestorer.releaseStderr() }
        defer {
            if ownsTerminal { TerminalRestorer.arm() }
            setBracketedPaste(true)
            _ = curs_set(0)
            needsFullRedraw = true
            doupdate()
            refreshSize()
        }
        return try body()
    }

    /// Forces the next `present` to clear the screen and redraw every cell (e.g. after Ctrl-L).
    public func invalidate() { needsFullRedraw = true }

    // MARK: - Output

    /// Writes the cells of `canvas` that differ from the previously presented canvas, then one `doupdate`.
    /// Returns the number of screen cells written (a wide character counts 2); 0 for an identical frame, in which case
    /// nothing is written and `doupdate` is not called. After a resize or `invalidate()` everything is redrawn.
    @discardableResult
    public func present(_ canvas: Canvas) -> Int {
        guard active, !(ownsTerminal && TerminalRestorer.hasCrashed) else { return 0 }
        let full = needsFullRedraw || previous == nil
            || previous?.width != canvas.width || previous?.height != canvas.height
        let spans: [(row: Int, start: Int, end: Int)]
        if full {
            spans = (0..<canvas.height).map { (row: $0, start: 0, end: canvas.width) }
        } else {
            if previous == canvas { return 0 }
            spans = canvas.changedSpans(from: previous)
            if spans.isEmpty {
                previous = canvas
                return 0
            }
        }
        if full {
            werase(window)
            clearok(window, true)
        }
        var written = 0
        let rows = min(canvas.height, size.height)
        let columns = min(canvas.width, size.width)
        for span in spans where span.row >= 0 && span.row < rows {
            var x = max(0, span.start)
            // A span starting on the right half of a wide character redraws the whole character.
            while x > 0 && x < canvas.width && canvas[x, span.row].width == 0 { x -= 1 }
            let end = min(span.end, columns)
            while x < end {
                let cell = canvas[x, span.row]
                let width = cell.width == 2 ? 2 : 1
                if width == 2 && x + 1 >= columns {
                    // A wide character cut by the right edge: draw a blank instead.
                    put(Cell(text: " ", width: 1, style: cell.style), x: x, y: span.row)
                    written += 1
                    x += 1
                } else if cell.width == 0 {
                    // A continuation cell without its wide character: blank.
                    put(Cell(text: " ", width: 1, style: cell.style), x: x, y: span.row)
                    written += 1
                    x += 1
                } else {
                    put(cell, x: x, y: span.row)
                    written += width
                    x += width
                }
            }
        }
        wnoutrefresh(window)
        doupdate()
        updateCount += 1
        previous = canvas
        needsFullRedraw = false
        return written
    }

    private func put(_ cell: Cell, x: Int, y: Int) {
        let attrs = attributes(for: cell.style)
        let pair = colorPair(foreground: cell.style.foreground, background: cell.style.background)
        let scalars = Array(cell.text.unicodeScalars)
        let printable = scalars.first.map { !Self.isControl($0) } ?? false
        if unicode {
            // The first character and the combining marks that follow it (`DisplayWidth.drawn`; marks the C library
            // does not find zero-width are left out too). A cluster with several spacing characters
            // (a ZWJ sequence like 👩‍💻, a flag, a skin-tone modifier) is drawn by its first one only: terminals differ
            // on whether they join the rest, so sending it would move every later cell on some of them. Joiners and
            // variation selectors are left out for the same reason (a trailing ZWJ can join the next cell's
            // character; VS16 widens a character on some terminals and not on others).
            var chars: [wchar_t] = [wchar_t(0x20)]
            if printable, let cluster = cell.text.first {
                let drawn = Array(DisplayWidth.drawn(cluster).unicodeScalars)
                chars = [wchar_t(bitPattern: drawn[0].value)]
                for scalar in drawn.dropFirst() where gw_wcwidth(wchar_t(bitPattern: scalar.value)) == 0 {
                    chars.append(wchar_t(bitPattern: scalar.value))
                }
            }
            // curses places characters by the C library's wcwidth; when it disagrees with the canvas's width the
            // rest of the row would shift. Keep the grid aligned: a too-wide or zero-width character becomes "?",
            // a character narrower than its cell gets a blank in the continuation column.
            let cellWidth = cell.width == 2 ? 2 : 1
            let libcWidth = gw_wcwidth(chars[0])
            var padContinuation = false
            if libcWidth <= 0 || libcWidth > cellWidth {
                chars = [wchar_t(UInt8(ascii: "?"))]
                padContinuation = cellWidth == 2
            } else if libcWidth < cellWidth {
                padContinuation = true
            }
            chars.append(0)
            _ = gw_put_wide(window, Int32(y), Int32(x), chars, attrs, pair)
            if padContinuation && x + 1 < size.width {
                let blank: [wchar_t] = [0x20, 0]
                _ = gw_put_wide(window, Int32(y), Int32(x + 1), blank, attrs, pair)
            }
        } else {
            let ascii: UInt8
            if let first = scalars.first, printable, scalars.count == 1, first.isASCII {
                ascii = UInt8(first.value)
            } else {
                ascii = printable ? UInt8(ascii: "?") : 0x20
            }
            _ = gw_put_narrow(window, Int32(y), Int32(x), ascii, attrs, pair)
            if cell.width == 2 && x + 1 < size.width {
                _ = gw_put_narrow(window, Int32(y), Int32(x + 1), ascii, attrs, pair)
            }
        }
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    private func attributes(for style: Style) -> attr_t {
        var a = gw_a_normal()
        if style.bold { a |= gw_a_bold() }
        if style.dim { a |= gw_a_dim() }
        if style.underline { a |= gw_a_underline() }
        if style.reverse { a |= gw_a_reverse() }
        return a
    }

    /// The colour pair for (foreground, background), allocated on first use and cached. 0 (terminal default) when
    /// colours are off or the pair table is full.
    func colorPair(foreground: Color, background: Color) -> Int32 {
        guard colorCount > 0 else { return 0 }
        let key = PairKey(
            foreground: ColorMapper.number(for: foreground, colorCount: colorCount, isForeground: true,
                                           defaultColors: defaultColors),
            background: ColorMapper.number(for: background, colorCount: colorCount, isForeground: false,
                                           defaultColors: defaultColors))
        if defaultColors && key.foreground == -1 && key.background == -1 { return 0 }
        if let pair = pairs[key] { return pair }
        guard nextPair < maxPairs else { return 0 }
        let pair = nextPair
        guard init_pair(Int16(pair), key.foreground, key.background) == OK else { return 0 }
        nextPair += 1
        pairs[key] = pair
        return pair
    }

    /// Number of colour pairs allocated so far.
    var allocatedPairCount: Int { pairs.count }

    // MARK: - Input

    /// Waits up to `timeoutMilliseconds` (negative: forever, 0: poll) for a key. Returns nil on timeout, on an
    /// interrupted wait (check `SignalWatcher.pendingSignal`), or for keys Gatewatch ignores. `KEY_RESIZE` updates
    /// `size`, schedules a full redraw and returns `.resize`. A lone Escape is `.escape`; unknown escape sequences
    /// (CSI/SS3 that terminfo does not decode) are swallowed; Alt+key arrives as `.escape` then the key. A bracketed
    /// paste arrives as one `.paste` key (see `InputAssembler`); the wait may then last until the paste is in (at most
    /// `InputAssembler.chunkInterval` before a part of a long paste is returned).
    public func readKey(timeoutMilliseconds: Int) -> Key? {
        guard active else { return nil }
        if ownsTerminal && TerminalRestorer.hasCrashed {
            // The crash handler gave the terminal back: no more reads from it (the process is ending).
            usleep(UInt32(clamping: max(0, timeoutMilliseconds < 0 ? 100 : timeoutMilliseconds) * 1000))
            return nil
        }
        if !pendingKeys.isEmpty { return deliver(pendingKeys.removeFirst()) }
        var first = true
        while true {
            let wait = input.waitMilliseconds(idle: first ? timeoutMilliseconds : 0, now: Self.monotonicSeconds())
            first = false
            // The wait is poll(2)'s, not ncurses' own timeout: ncurses times its wait with the wall clock, so a
            // clock stepped back an hour made a 100 ms wait last an hour (the dashboard froze). ncurses reads only
            // what is there (and may wait its 25 ms escape delay inside a sequence).
            wtimeout(window, 0)
            var ch: wint_t = 0
            var rc = wget_wch(window, &ch)
            if rc == ERR, wait != 0 {
                var descriptor = pollfd(fd: inputDescriptor, events: Int16(POLLIN), revents: 0)
                _ = poll(&descriptor, 1, Int32(clamping: max(-1, wait))) // EINTR (a signal, a resize): read and see
                rc = wget_wch(window, &ch)
            }
            let unit: InputAssembler.Unit
            if rc == ERR {
                unit = .nothing
            } else if rc == gw_key_code_yes() {
                unit = .keyCode(Int32(bitPattern: UInt32(ch)))
            } else {
                unit = .scalar(UInt32(ch))
            }
            let keys = input.feed(unit, at: Self.monotonicSeconds())
            if let key = keys.first {
                pendingKeys += keys.dropFirst()
                return deliver(key)
            }
            // Idle again after a timeout or a swallowed sequence; or a signal to handle (a paste resumes next time).
            if input.isIdle || SignalWatcher.pendingSignal != nil { return nil }
        }
    }

    private func deliver(_ key: Key) -> Key {
        if key == .resize {
            refreshSize()
            needsFullRedraw = true
        }
        return key
    }

    static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Re-reads the screen size from curses.
    public func refreshSize() {
        guard active else { return }
        var h: Int32 = 0, w: Int32 = 0
        gw_getmaxyx(window, &h, &w)
        let newSize = (width: Int(max(0, w)), height: Int(max(0, h)))
        if newSize != size {
            size = newSize
            needsFullRedraw = true
        }
    }

    /// Resizes curses' idea of the screen (tests; a real terminal resizes through SIGWINCH → `KEY_RESIZE`).
    func resize(width: Int, height: Int) {
        guard active else { return }
        resize_term(Int32(height), Int32(width))
        refreshSize()
    }

    // MARK: - Reading back (tests)

    /// The text curses holds for row `y` (`mvwinnwstr`), trailing blanks included.
    func readRow(_ y: Int) -> String {
        guard active else { return "" }
        var buffer = [wchar_t](repeating: 0, count: size.width + 1)
        let n = mvwinnwstr(window, Int32(y), 0, &buffer, Int32(size.width))
        guard n != ERR else { return "" }
        return String(String.UnicodeScalarView(buffer.prefix { $0 != 0 }.compactMap {
            Unicode.Scalar(UInt32(bitPattern: $0))
        }))
    }

    /// The character, attributes and colour pair curses holds at (x, y) (`mvwin_wch` + `getcchar`).
    func readCell(x: Int, y: Int) -> (text: String, attributes: attr_t, pair: Int32)? {
        guard active else { return nil }
        var buffer = [wchar_t](repeating: 0, count: 8)
        var attrs: attr_t = 0
        var pair: Int32 = 0
        guard gw_read_cell(window, Int32(y), Int32(x), &buffer, 8, &attrs, &pair) == OK else { return nil }
        let text = String(String.UnicodeScalarView(buffer.prefix { $0 != 0 }.compactMap {
            Unicode.Scalar(UInt32(bitPattern: $0))
        }))
        return (text, attrs & ~gw_a_color(), pair)
    }

    static var boldAttribute: attr_t { gw_a_bold() }
    static var underlineAttribute: attr_t { gw_a_underline() }
    static var reverseAttribute: attr_t { gw_a_reverse() }
    static var dimAttribute: attr_t { gw_a_dim() }
}
