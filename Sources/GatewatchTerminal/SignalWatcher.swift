import CSignalFlag
import Foundation

/// Turns SIGINT, SIGTERM, SIGHUP and SIGQUIT into a flag the app's input loop polls.
///
/// The C handler only stores the signal number in a `volatile sig_atomic_t` (async-signal-safe). The loop (which must
/// wake at least every 100 ms — `CursesBackend.readKey(timeoutMilliseconds: ≤ 100)`) checks `pendingSignal`, restores
/// the terminal and exits with `exitStatus(for:)` (128 + signal number). A second signal while the first is still
/// pending means the loop is stuck: the handler then restores the terminal itself (termios + escape sequence) and
/// calls `_exit(128 + signo)`.
///
/// Install before the curses screen is created: ncurses only installs its own SIGINT/SIGTERM handlers when the
/// disposition is still the default. SIGWINCH (→ `KEY_RESIZE`) and SIGTSTP are left to ncurses.
public enum SignalWatcher {
    public static let defaultSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    /// Installs the handlers (idempotent per signal).
    public static func install(_ signals: [Int32] = defaultSignals) {
        for signo in signals { _ = gw_signal_watch(signo) }
    }

    /// Puts back the previous dispositions.
    public static func uninstall(_ signals: [Int32] = defaultSignals) {
        for signo in signals { gw_signal_unwatch(signo) }
    }

    /// The received signal not yet taken, if any (does not clear it).
    public static var pendingSignal: Int32? {
        let s = gw_signal_pending()
        return s == 0 ? nil : s
    }

    /// Returns the pending signal and clears it.
    public static func takePendingSignal() -> Int32? {
        let s = gw_signal_take()
        return s == 0 ? nil : s
    }

    /// The conventional exit status after a terminating signal: 128 + signal number (INT 130, TERM 143, HUP 129).
    public static func exitStatus(for signal: Int32) -> Int32 { 128 + signal }

    /// Test hook: sets the flag as if `signal` had been delivered.
    public static func simulate(_ signal: Int32) { gw_signal_simulate(signal) }
}
