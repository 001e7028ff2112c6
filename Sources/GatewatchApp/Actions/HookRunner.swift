import Foundation
import GatewatchCore

/// Runs the configured command after a successful action (`/bin/sh -c COMMAND`) with the audit event as JSON on
/// stdin, so a real traffic router can follow the registry. A hook never undoes the registry state: its failure is
/// reported and audited, nothing else.
public struct HookRunner: Sendable {
    public var commands: [AuditKind: String]
    /// Seconds a hook may run before it is stopped and counted as failed.
    public var timeout: TimeInterval
    /// Values never to show from a hook's output (the sources' tokens and passwords), besides the patterns
    /// `SecretScrubber` always hides.
    public var secrets: [String]
    /// Told when a hook starts (the dashboard shows it as the action's progress).
    public var onStart: (@Sendable (String) -> Void)?

    public init(commands: [AuditKind: String], timeout: TimeInterval = 10, secrets: [String] = []) {
        self.commands = commands
        self.timeout = timeout
        self.secrets = secrets
    }

    /// The event as one JSON object (the hook's stdin).
    public static func json(_ e: AuditEvent) -> String {
        let object: [String: Any] = ["release": e.release, "time": TimeText.iso(e.time), "actor": e.actor, "role": e.role.rawValue,
                                     "kind": e.kind.rawValue, "reason": e.reason, "from": e.fromState, "to": e.toState]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Writing to a hook that has already exited raises SIGPIPE, which kills the host process unless ignored.
    /// The executable ignores it at start; a library host (a test runner, an embedding tool) may not, so the first
    /// hook run ignores it process-wide, the way SwiftNIO does for its sockets. Writes then fail with EPIPE.
    private static let sigpipeIgnored: Bool = {
        signal(SIGPIPE, SIG_IGN)
        return true
    }()

    /// Runs the hook for the event's kind; nil when there is none or it succeeded, else why it failed.
    ///
    /// The hook runs in a process group of its own; the time limit counts from its start (writing its input
    /// included), and at the limit the whole group is killed. Of its stderr only an excerpt is kept for the message
    /// (and so for the audit log, which cannot be edited): at most `excerptLimit` characters of the first lines,
    /// control characters removed and secrets hidden (`SecretScrubber`).
    public func run(for event: AuditEvent) -> String? {
        guard let command = commands[event.kind] else { return nil }
        _ = Self.sigpipeIgnored
        let shown = SecretScrubber.excerpt(command, limit: 80, secrets: secrets)
        onStart?("running hook '\(shown)' (limit \(Self.seconds(timeout)))")
        let result: HookProcess.Result
        do {
            result = try HookProcess.run(command, input: Data((Self.json(event) + "\n").utf8), timeout: timeout)
        } catch {
            return "hook '\(shown)' could not start: \(error)"
        }
        if result.timedOut {
            return "hook '\(shown)' timed out after \(Self.seconds(timeout)) and was stopped with its child processes"
        }
        guard let status = result.status, status != 0 else { return nil }
        let text = SecretScrubber.excerpt(String(decoding: result.stderr, as: UTF8.self), limit: Self.excerptLimit, secrets: secrets)
        let more = result.stderrBytes > Self.excerptLimit ? " (stderr excerpt, \(result.stderrBytes) bytes in all)" : ""
        return "hook '\(shown)' failed with exit \(status)" + (text.isEmpty ? "" : ": \(text)\(more)")
    }

    /// Characters of a failing hook's stderr kept in its message and audit note.
    public static let excerptLimit = 200

    static func seconds(_ t: TimeInterval) -> String {
        t == t.rounded() ? "\(Int(t))s" : String(format: "%.1fs", t)
    }
}
