import CNCursesW
import Foundation

/// Why the interactive dashboard cannot run on this process's terminal. `message` is one line, ready for stderr;
/// the executable prints it and exits with `TerminalProblem.exitStatus` (2).
public struct TerminalProblem: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Equatable, Sendable {
        /// Standard output is not a terminal (piped or redirected).
        case stdoutNotTerminal
        /// Standard input is not a terminal, so keys cannot be read.
        case stdinNotTerminal
        /// `TERM` is unset or empty.
        case termUnset
        /// `TERM` names a terminal type the terminfo database does not know.
        case termUnknown(String)
        /// No terminfo database could be found at all.
        case noTerminfoDatabase(String)
        /// The terminal type cannot position the cursor (`dumb`, hardcopy, generic entries).
        case cannotAddressCursor(String)
        /// curses refused to start (`newterm` failed) for this terminal type.
        case initializationFailed(String)
    }

    /// The process exit status the executable uses for a terminal problem.
    public static let exitStatus: Int32 = 2

    public let reason: Reason

    public init(_ reason: Reason) { self.reason = reason }

    /// One line: `gatewatch: no usable terminal (…). Use 'gatewatch snapshot' … or 'gatewatch check' ….`
    public var message: String {
        "gatewatch: no usable terminal (\(detail)). "
            + "Use 'gatewatch snapshot' to print the screen or 'gatewatch check' for a headless verdict."
    }

    public var description: String { message }

    private var detail: String {
        switch reason {
        case .stdoutNotTerminal:
            return "standard output is not a terminal"
        case .stdinNotTerminal:
            return "standard input is not a terminal, so keys cannot be read"
        case .termUnset:
            return "TERM is not set"
        case .termUnknown(let term):
            return "TERM=\(Self.printable(term)) is not in the terminfo database"
        case .noTerminfoDatabase(let term):
            return "no terminfo database found for TERM=\(Self.printable(term))"
        case .cannotAddressCursor(let term):
            return "TERM=\(Self.printable(term)) cannot draw the dashboard"
        case .initializationFailed(let term):
            return "curses could not start on TERM=\(Self.printable(term))"
        }
    }

    /// Keeps the message on one line whatever `TERM` contains.
    private static func printable(_ value: String) -> String {
        let cleaned = String(String.UnicodeScalarView(value.unicodeScalars.map {
            ($0.value < 0x20 || (0x7F...0x9F).contains($0.value)) ? "?" : $0
        }))
        return cleaned.count > 64 ? String(cleaned.prefix(64)) + "…" : cleaned
    }
}

/// What the terminfo database says about a terminal type.
public enum TerminfoStatus: Equatable, Sendable {
    /// Known, with cursor addressing.
    case usable
    /// Not in the database.
    case unknown
    /// No database found at all.
    case noDatabase
    /// Known but cannot position the cursor (dumb, hardcopy, generic).
    case cannotAddressCursor
}

/// The terminal guard: decides, before any curses screen exists, whether the dashboard can run.
/// Never calls `initscr` (which would `exit(1)` on an unknown `TERM`).
public enum TerminalCheck {
    /// Pure decision from the inputs; `terminfo` answers for a `TERM` value (default: `probeTerminfo`).
    public static func check(
        environment: [String: String],
        stdinIsTTY: Bool,
        stdoutIsTTY: Bool,
        terminfo: (String) -> TerminfoStatus = TerminalCheck.probeTerminfo
    ) -> TerminalProblem? {
        if !stdoutIsTTY { return TerminalProblem(.stdoutNotTerminal) }
        if !stdinIsTTY { return TerminalProblem(.stdinNotTerminal) }
        guard let term = environment["TERM"]?.trimmingCharacters(in: .whitespaces), !term.isEmpty else {
            return TerminalProblem(.termUnset)
        }
        if term == "dumb" { return TerminalProblem(.cannotAddressCursor(term)) }
        switch terminfo(term) {
        case .usable: return nil
        case .unknown: return TerminalProblem(.termUnknown(term))
        case .noDatabase: return TerminalProblem(.noTerminfoDatabase(term))
        case .cannotAddressCursor: return TerminalProblem(.cannotAddressCursor(term))
        }
    }

    /// Checks the real process: `isatty(0)`, `isatty(1)`, `TERM`, then `setupterm` with an error pointer.
    public static func checkProcess(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> TerminalProblem? {
        check(environment: environment, stdinIsTTY: isatty(STDIN_FILENO) == 1, stdoutIsTTY: isatty(STDOUT_FILENO) == 1)
    }

    /// Asks terminfo (via `setupterm` with an error pointer; it never exits) about `term`.
    /// Leaves no terminal description installed. Do not call while another thread uses curses.
    public static func probeTerminfo(_ term: String) -> TerminfoStatus {
        var err: Int32 = 0
        var canAddress: Int32 = 0
        let rc = gw_setupterm_probe(term, -1, &err, &canAddress)
        if rc == OK { return canAddress == 1 ? .usable : .cannotAddressCursor }
        switch err {
        case -1: return .noDatabase
        case 1: return .cannotAddressCursor
        default: return .unknown
        }
    }
}
