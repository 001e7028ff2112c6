import CNCursesW
import CSignalFlag
import Foundation

/// Process-wide safety net that puts the terminal back if the program leaves without `CursesBackend.restore()`.
///
/// - `exit()` paths (including `exit` called from anywhere): an `atexit` hook calls `endwin` when a real-terminal
///   backend is still active.
/// - crashes (`fatalError`, traps, SIGSEGV…): chaining handlers restore cooked mode and leave the alternate screen with
///   async-signal-safe calls, then hand the signal to the previous handler (Swift's backtracer) or the default action.
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

    /// True while a real-terminal curses screen is active (not restored).
    public static var isTerminalActive: Bool { gw_emergency_is_active() != 0 }

    /// Restores the terminal now if a backend is still active (`endwin`). For fatal paths: call it before printing
    /// an error to stderr. Safe to call repeatedly.
    public static func restoreNow() {
        guard gw_emergency_is_active() != 0 else { return }
        gw_emergency_set_active(0)
        curs_set(1)
        endwin()
    }

    // MARK: - used by CursesBackend

    /// Records the cooked-mode settings of `fd` (before curses changes them) for the emergency path.
    static func saveTerminalSettings(fd: Int32) { _ = gw_emergency_save_termios(fd) }

    /// Prepares the bytes the emergency path writes (from the current terminal's terminfo) and arms it.
    static func arm() {
        var bytes: [UInt8] = []
        for cap in ["sgr0", "cnorm", "rmkx", "rmcup"] {
            if let s = gw_tigetstr(cap) { bytes.append(contentsOf: Array(String(cString: s).utf8)) }
        }
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                gw_emergency_set_sequence(chars.baseAddress, Int32(chars.count))
            }
        }
        gw_emergency_set_active(1)
    }

    static func disarm() { gw_emergency_set_active(0) }
}
