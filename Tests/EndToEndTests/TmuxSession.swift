import Foundation
import GatewatchTestSupport

/// Drives a program in a detached tmux session on a private server (`tmux -L <unique>`): send keys, capture the
/// screen, resize, and read the exit status the wrapper script records. One instance per test; `kill()` (also run on
/// deinit) stops the server and removes the temporary files.
///
/// Tests that use it should be annotated `.enabled(if: TmuxSession.shouldRun)`: they are skipped only when tmux is
/// missing and CI is not set; with `CI=true` they run (and fail in `init` if tmux is missing).
final class TmuxSession {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    // MARK: - Environment

    /// The tmux executable on PATH, if any.
    static let tmuxPath: String? = findOnPath("tmux")

    /// True when tmux is installed.
    static var isAvailable: Bool { tmuxPath != nil }

    /// True when running in CI (`CI=true`/`1`): tmux tests must not be skipped there.
    static var isCI: Bool {
        let value = ProcessInfo.processInfo.environment["CI"]?.lowercased() ?? ""
        return value == "true" || value == "1" || value == "yes"
    }

    /// The condition for `.enabled(if:)`.
    static var shouldRun: Bool { isAvailable || isCI }

    /// The built `gatewatch` executable: `GATEWATCH_BIN`, else next to the test bundle / runner, else
    /// `<package>/.build*/{debug,release}/gatewatch`.
    static func gatewatchBinary() throws -> URL {
        let fm = FileManager.default
        let env = ProcessInfo.processInfo.environment
        if let explicit = env["GATEWATCH_BIN"], !explicit.isEmpty {
            guard fm.isExecutableFile(atPath: explicit) else {
                throw Failure(description: "GATEWATCH_BIN=\(explicit) is not an executable file")
            }
            return URL(fileURLWithPath: explicit)
        }
        var candidates: [URL] = []
        let bundle = Bundle.main.bundleURL
        candidates.append(bundle.appendingPathComponent("gatewatch"))
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("gatewatch"))
        if let argv0 = CommandLine.arguments.first {
            let runner = URL(fileURLWithPath: argv0).resolvingSymlinksInPath()
            candidates.append(runner.deletingLastPathComponent().appendingPathComponent("gatewatch"))
            // macOS: …/debug/GatewatchPackageTests.xctest/Contents/MacOS/GatewatchPackageTests
            candidates.append(runner.deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("gatewatch"))
        }
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("gatewatch"))
        }
        // <package>/Tests/EndToEndTests/TmuxSession.swift → <package>
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        if let entries = try? fm.contentsOfDirectory(atPath: packageRoot.path) {
            for entry in entries.sorted() where entry.hasPrefix(".build") {
                for config in ["debug", "release"] {
                    candidates.append(packageRoot.appendingPathComponent(entry).appendingPathComponent(config)
                        .appendingPathComponent("gatewatch"))
                }
            }
        }
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
               fm.isExecutableFile(atPath: candidate.path) {
                return candidate.resolvingSymlinksInPath()
            }
        }
        throw Failure(description: "gatewatch binary not found (set GATEWATCH_BIN); looked in "
            + candidates.map(\.path).joined(separator: ", "))
    }

    static func findOnPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Quotes one word for `sh`.
    static func shellQuote(_ word: String) -> String {
        if !word.isEmpty, word.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0) }),
           word.unicodeScalars.allSatisfy(\.isASCII) {
            return word
        }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    // MARK: - Session

    let socketName: String
    let directory: URL
    let width: Int
    let height: Int
    private let statusFile: URL
    private var killed = false
    /// The tmux server's pid, so `kill()` can make sure it is gone.
    private var serverPID: pid_t?

    private static let counter = Counter()

    /// Starts `arguments` (quoted for sh) in a new detached session of `width`×`height`.
    /// - Parameters:
    ///   - environment: exported in the wrapper before the program runs (e.g. `["TERM": "dumb"]`); a `nil` value
    ///     unsets the variable.
    ///   - reportTerminalState: after the program exits, print `EXIT=<status>` and the terminal's `icanon`/`echo`
    ///     flags (`stty -a`) so `terminalStateAfterExit()` can check the terminal was restored.
    convenience init(arguments: [String], environment: [String: String?] = [:], width: Int = 80, height: Int = 24,
                     reportTerminalState: Bool = false) throws {
        try self.init(shellCommand: arguments.map(Self.shellQuote).joined(separator: " "), environment: environment,
                      width: width, height: height, reportTerminalState: reportTerminalState)
    }

    /// Starts `shellCommand` (a `sh` command line) in a new detached session.
    init(shellCommand: String, environment: [String: String?] = [:], width: Int = 80, height: Int = 24,
         reportTerminalState: Bool = false) throws {
        guard Self.isAvailable else {
            throw Failure(description: "tmux is not installed (required when CI is set)")
        }
        self.width = width
        self.height = height
        socketName = "gw-e2e-\(getpid())-\(Self.counter.next())-\(UInt32.random(in: 0...UInt32.max))"
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(socketName)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        statusFile = directory.appendingPathComponent("status")

        var script = "#!/bin/sh\n"
        // Ctrl-C and Ctrl-\ in the pane signal the whole foreground group: the wrapper must survive them to record the
        // status. A trap with a command (not '') is reset to the default disposition in the child.
        script += "trap 'true' INT QUIT\n"
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) {
            if let value {
                script += "\(name)=\(Self.shellQuote(value)); export \(name)\n"
            } else {
                script += "unset \(name)\n"
            }
        }
        script += "\(shellCommand)\n"
        script += "gw_status=$?\n"
        if reportTerminalState {
            script += "printf '\\nEXIT=%s\\n' \"$gw_status\"\n"
            script += "stty -a </dev/tty | tr ' ;' '\\n\\n' | grep -E -x -- '-?(icanon|echo)' | sed 's/^/TTY:/'\n"
        }
        script += "echo \"$gw_status\" > \(Self.shellQuote(statusFile.path)).tmp && "
            + "mv \(Self.shellQuote(statusFile.path)).tmp \(Self.shellQuote(statusFile.path))\n"
        // Keep the pane alive so its state (alternate screen, cursor visibility) can still be inspected;
        // kill() ends it.
        script += "exec sleep 600\n"
        let scriptURL = directory.appendingPathComponent("run.sh")
        try script.write(to: scriptURL, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: scriptURL.path)

        let config = directory.appendingPathComponent("tmux.conf")
        try """
        set -g remain-on-exit on
        set -g status off
        set -g history-limit 2000
        set -g default-terminal tmux-256color

        """.write(to: config, atomically: true, encoding: .utf8)

        let result = try tmux(["-f", config.path, "new-session", "-d", "-s", "main", "-x", "\(width)", "-y", "\(height)",
                               "/bin/sh " + Self.shellQuote(scriptURL.path)])
        guard result.status == 0 else {
            kill()
            throw Failure(description: "tmux new-session failed (\(result.status)): \(result.output)")
        }
        serverPID = pid_t(paneFormat("#{pid}"))
    }

    deinit { kill() }

    /// Runs `tmux -L <socket> ARGS…`, returning its status and combined output.
    @discardableResult
    func tmux(_ arguments: [String]) throws -> (status: Int32, output: String) {
        guard let tmuxPath = Self.tmuxPath else { throw Failure(description: "tmux is not installed") }
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "TMUX")
        env.removeValue(forKey: "TMUX_PANE")
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(socketName)-\(UUID().uuidString).out").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let status = try Self.spawnAndWait(tmuxPath, ["-L", socketName] + arguments, environment: env,
                                           outputPath: outputPath)
        let data = FileManager.default.contents(atPath: outputPath) ?? Data()
        return (status, String(decoding: data, as: UTF8.self))
    }

    /// Runs a program with `posix_spawn`, stdin from /dev/null, stdout+stderr to `outputPath`, and **every other
    /// descriptor closed**, then waits for it.
    ///
    /// Not Foundation `Process`: `tmux new-session` forks the server from the client without exec, so the server
    /// inherits whatever the client had open — with `Process` that includes the descriptor Foundation watches for the
    /// child's exit, and `waitUntilExit()` then never returns (and a pipe for the output never reaches EOF).
    static func spawnAndWait(_ executable: String, _ arguments: [String], environment: [String: String],
                             outputPath: String) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        Self.closeInheritedDescriptors(&actions)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard rc == 0 else { throw Failure(description: "posix_spawn \(executable) failed: \(rc)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw Failure(description: "waitpid failed: \(errno)") }
        }
        // WIFEXITED / WEXITSTATUS (the macros are not imported).
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    /// `tmux send-keys`: each element is a key name (`Up`, `F1`, `Enter`, `Escape`, `C-c`) or text.
    func sendKeys(_ keys: String...) {
        _ = try? tmux(["send-keys", "-t", "main"] + keys)
    }

    /// Sends `text` literally (`send-keys -l`).
    func sendText(_ text: String) {
        _ = try? tmux(["send-keys", "-t", "main", "-l", text])
    }

    /// The visible screen (`capture-pane -p`); with `escapes`, including colour/attribute escapes (`-e`); with
    /// `joinWrapped`, lines the terminal wrapped at the right margin are joined (`-J`, for messages longer than the
    /// width — but a full-width curses row may then join its successor).
    func capture(escapes: Bool = false, joinWrapped: Bool = false) -> String {
        let args = ["capture-pane", "-p", "-t", "main"] + (escapes ? ["-e"] : []) + (joinWrapped ? ["-J"] : [])
        return (try? tmux(args).output) ?? ""
    }

    /// Polls the screen until it contains `text` (true) or `timeout` passes (false). Text wrapped at the right
    /// margin also matches.
    func waitFor(text: String, timeout: TimeInterval = 5) -> Bool {
        waitUntil(timeout: timeout) {
            self.capture().contains(text) || self.capture(joinWrapped: true).contains(text)
        }
    }

    /// Polls `condition` every 50 ms until true or `timeout` passes.
    func waitUntil(timeout: TimeInterval, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if condition() { return true }
            usleep(50_000)
        } while Date() < deadline
        return condition()
    }

    /// Resizes the window (the program receives SIGWINCH → KEY_RESIZE).
    func resize(width: Int, height: Int) {
        _ = try? tmux(["resize-window", "-t", "main", "-x", "\(width)", "-y", "\(height)"])
    }

    /// A tmux format value of the pane, e.g. `#{alternate_on}`, `#{cursor_flag}`, `#{pane_pid}`.
    func paneFormat(_ format: String) -> String {
        ((try? tmux(["display-message", "-p", "-t", "main", format]).output) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// True while the program has the alternate screen (curses running); false once it was left.
    var isAlternateScreenActive: Bool { paneFormat("#{alternate_on}") == "1" }

    /// True when the cursor is visible.
    var isCursorVisible: Bool { paneFormat("#{cursor_flag}") == "1" }

    /// The program's exit status once the wrapper recorded it, or nil after `timeout`.
    func exitStatus(timeout: TimeInterval = 5) -> Int32? {
        var status: Int32?
        _ = waitUntil(timeout: timeout) {
            guard let text = try? String(contentsOf: statusFile, encoding: .utf8),
                  let value = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return false }
            status = value
            return true
        }
        return status
    }

    /// With `reportTerminalState`: after exit, whether the terminal is back in canonical mode with echo on
    /// (parsed from the `TTY:` lines the wrapper prints). Nil if not printed (yet).
    func terminalStateAfterExit(timeout: TimeInterval = 5) -> (canonical: Bool, echo: Bool)? {
        var state: (Bool, Bool)?
        _ = waitUntil(timeout: timeout) {
            let lines = capture().split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            let flags = lines.filter { $0.hasPrefix("TTY:") }.map { String($0.dropFirst(4)) }
            guard flags.contains(where: { $0.hasSuffix("icanon") }), flags.contains(where: { $0.hasSuffix("echo") })
            else { return false }
            state = (flags.contains("icanon"), flags.contains("echo"))
            return true
        }
        return state.map { (canonical: $0.0, echo: $0.1) }
    }

    /// The pids of the wrapper shell's children (the program under test), via `pgrep -P <pane_pid>`.
    func programPIDs() -> [pid_t] {
        let panePID = paneFormat("#{pane_pid}")
        guard !panePID.isEmpty, let pgrep = Self.findOnPath("pgrep") else { return [] }
        let output = (try? Self.runCapturing(pgrep, ["-P", panePID])) ?? ""
        return output.split(whereSeparator: \.isNewline).compactMap { pid_t($0) }
    }

    /// Sends `signal` to the program under test (by pid, children of the wrapper shell only).
    func signalProgram(_ signal: Int32) {
        for pid in programPIDs() { _ = Foundation.kill(pid, signal) }
    }

    /// Kills the tmux server and removes the temporary files. Idempotent.
    func kill() {
        guard !killed else { return }
        killed = true
        _ = try? tmux(["kill-server"])
        if let serverPID, serverPID > 1 {
            // kill-server normally suffices; make sure this session's server (and only it) is gone.
            for _ in 0..<20 where Foundation.kill(serverPID, 0) == 0 { usleep(25_000) }
            if Foundation.kill(serverPID, 0) == 0 { _ = Foundation.kill(serverPID, SIGKILL) }
        }
        // The server leaves its socket file behind; it is unique to this session.
        let socketDirectory = ProcessInfo.processInfo.environment["TMUX_TMPDIR"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "/tmp"
        try? FileManager.default.removeItem(atPath: "\(socketDirectory)/tmux-\(getuid())/\(socketName)")
        try? FileManager.default.removeItem(at: directory)
    }

    /// Adds "close every descriptor ≥ 3" to `actions` (see `TestProcesses.closeInheritedDescriptors`).
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        TestProcesses.closeInheritedDescriptors(&actions)
    }

    static func runCapturing(_ executable: String, _ arguments: [String]) throws -> String {
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("gw-e2e-\(UUID().uuidString).out").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        _ = try spawnAndWait(executable, arguments, environment: ProcessInfo.processInfo.environment,
                             outputPath: outputPath)
        return String(decoding: FileManager.default.contents(atPath: outputPath) ?? Data(), as: UTF8.self)
    }

    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func next() -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += 1
            return value
        }
    }
}

/// Runs a program with Foundation `Process` (no terminal): pipes for stdout/stderr unless redirected.
struct ProcessResult {
    let status: Int32
    let stdout: String
    let stderr: String

    static func run(_ executable: URL, _ arguments: [String] = [], environment: [String: String?] = [:],
                    stdinNull: Bool = true, stdoutNull: Bool = false, timeout: TimeInterval = 20) throws -> ProcessResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardInput = stdinNull ? FileHandle(forReadingAtPath: "/dev/null") : nil
        process.standardOutput = stdoutNull ? FileHandle(forWritingAtPath: "/dev/null") : out
        process.standardError = err
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        // Read stderr/stdout concurrently with waiting so a chatty child cannot block on a full pipe.
        let errData = LockedData(), outData = LockedData()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        if !stdoutNull {
            DispatchQueue.global().async(group: group) { outData.set(out.fileHandleForReading.readDataToEndOfFile()) }
        }
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw TmuxSession.Failure(description: "\(executable.lastPathComponent) did not exit within \(timeout) s")
        }
        process.waitUntilExit()
        if stdoutNull { try? out.fileHandleForWriting.close() }
        _ = group.wait(timeout: .now() + 5)
        return ProcessResult(status: process.terminationStatus, stdout: String(decoding: outData.get(), as: UTF8.self),
                             stderr: String(decoding: errData.get(), as: UTF8.self))
    }

    private final class LockedData: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        func set(_ d: Data) { lock.lock(); data = d; lock.unlock() }
        func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
    }
}
