import Foundation
import GatewatchCore

/// Runs the configured command after a successful action (`/bin/sh -c COMMAND`) with the audit event as JSON on
/// stdin, so a real traffic router can follow the registry. A hook never undoes the registry state: its failure is
/// reported and audited, nothing else.
public struct HookRunner: Sendable {
    public var commands: [AuditKind: String]
    /// Seconds a hook may run before it is stopped and counted as failed.
    public var timeout: TimeInterval

    public init(commands: [AuditKind: String], timeout: TimeInterval = 10) {
        self.commands = commands
        self.timeout = timeout
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
    public func run(for event: AuditEvent) -> String? {
        guard let command = commands[event.kind] else { return nil }
        _ = Self.sigpipeIgnored
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let input = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        do { try process.run() } catch { return "hook '\(command)' could not start: \(error)" }
        // A hook that exits without reading its input must not take the dashboard down: the write may fail (EPIPE).
        try? input.fileHandleForWriting.write(contentsOf: Data((Self.json(event) + "\n").utf8))
        try? input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            process.terminate()
            return "hook '\(command)' timed out after \(Int(timeout))s"
        }
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0 else {
            return "hook '\(command)' failed with exit \(process.terminationStatus)" + (stderr.isEmpty ? "" : ": \(String(stderr.prefix(200)))")
        }
        return nil
    }
}
