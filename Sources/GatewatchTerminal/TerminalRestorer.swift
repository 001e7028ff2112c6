import CNCursesW
import CSignalFlag
import Foundation

/// Process-wide safety net that puts the terminal back if the program leaves without `CursesBackend.restore()`.
///
/// - `exit()` paths (including `exit` called from anywhere): an `atexit` hook turns bracketed paste off and calls
///   `endwin` when a real-terminal backend is still active.
/// - crashes (`fatalError`, traps, SIGSEGV…): chaining handlers restore cooked mode, turn bracketed paste off and
///   leave the alternate screen with async-signal-safe calls, say `gatewatch: crashed (SIGSEGV); the terminal was
///   restored`, then hand the signal to the previous handler (Swift's backtracer) or the default action.
/// - stderr: while the screen is up, what is written to stderr (a library's warning, Swift's `Fatal error: …`) goes to
///   an unlinked temporary file instead of garbling the screen, and is written to the real stderr once the terminal
///   is restored — on every path above.
///
/// `CursesBackend.init(environment:)` installs both; headless backends never arm it.
public enum TerminalRestorer {
    private static let atExitHook: Void = {
        atexit {
            TerminalRestorer.restoreNow()
        }
    }()

    /// Registers the `atexit` hook (once per process).
    public static func installAtExit() { _ = atExitHook }

    /// Installs the crash-signal handlers (once per process).
    public static func installCrashHandlers() { gw_emergency_install_crash_handlers() }

    /// True once a crash signal arrived (on any thread): the terminal has been restored and the process is ending, so
    /// the backend draws nothing more (Swift's backtracer may take a while to report the crash).
    public static var hasCrashed: Bool { gw_emergency_crashed() != 0 }

    /// True while a real-terminal curses screen is active (not restored).
    public static var isTerminalActive: Bool { gw_emergency_is_active() != 0 }

    /// Restores the terminal now if a backend is still active (`endwin`). For fatal paths: call it before printing
    /// an error to stderr. Safe to call repeatedly.
    public static func restoreNow() {
        guard gw_emergency_is_active() != 0 else { return }
        gw_emergency_set_active(0)
        curs_set(1)
        endwin()
        write(bracketedPasteOff, to: STDOUT_FILENO)
        gw_stderr_capture_end()
    }

    // MARK: - used by CursesBackend

    /// Turns the terminal's bracketed paste mode on (DEC private mode 2004): pasted text arrives between `ESC[200~`
    /// and `ESC[201~`.
    static let bracketedPasteOn = "\u{1B}[?2004h"
    /// Turns it off again; part of every way out (restore, shell, exit, crash).
    static let bracketedPasteOff = "\u{1B}[?2004l"

    /// Writes `text` to `fd` whole (retrying after interruptions; gives up on an error).
    static func write(_ text: String, to fd: Int32) {
        let bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes[done...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            done += n
        }
    }

    /// Records the cooked-mode settings of `fd` (before curses changes them) for the emergency path.
    static func saveTerminalSettings(fd: Int32) { _ = gw_emergency_save_termios(fd) }

    /// Prepares the bytes the emergency path writes (bracketed paste off, then the current terminal's terminfo
    /// strings that undo curses' setup) and arms it.
    static func arm() {
        let bytes = Array(emergencySequence.utf8)
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                gw_emergency_set_sequence(chars.baseAddress, Int32(chars.count))
            }
        }
        gw_emergency_set_active(1)
        _ = gw_stderr_capture_begin()
    }

    /// The bytes the emergency path writes for the current terminal.
    static var emergencySequence: String {
        var text = bracketedPasteOff
        for cap in ["sgr0", "cnorm", "rmkx", "rmcup"] {
            if let s = gw_tigetstr(cap) { text += String(cString: s) }
        }
        return text
    }

    static func disarm() { gw_emergency_set_active(0) }

    /// Gives stderr back to the terminal and writes there what was written to it while the screen was up. Call after
    /// `endwin`, so the text lands on the normal screen.
    static func releaseStderr() { gw_stderr_capture_end() }
}
