import Foundation
import GatewatchHTTP
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small helpers shared by the real-server harnesses and the tests that start servers: free ports, process groups,
/// waiting for an HTTP endpoint, temporary folders.
public enum TestProcesses {
    public static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// True under `CI=true`, where a missing server binary is a failure instead of a skip.
    public static var isCI: Bool { environment["CI"] == "true" }

    /// `<repo>`, from this file's path (Tests/GatewatchTestSupport/TestProcesses.swift).
    public static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// A fresh folder in the temporary directory, named `<prefix>-<uuid>`; remove it with `removeDirectory`.
    /// Runs a tool to completion and returns its exit status with stdout and stderr together.
    public static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Runs `.ci/<script>` (one of the project's own installers, e.g. `fetch-prometheus`) once per process and
    /// returns the path it prints, or nil when it fails (its output then goes to stderr): `swift test` on a fresh
    /// machine installs what the real-server tests need instead of skipping them.
    public static func fetchedTool(_ script: String) -> String? {
        // Held while the installer runs: tests that need the same tool wait for it instead of installing it twice.
        fetched.withLock { known in
            if let result = known[script] { return result }
            let result = runInstaller(script)
            known[script] = .some(result)
            return result
        }
    }

    private static let fetched = Mutex<[String: String?]>([:])

    private static func runInstaller(_ script: String) -> String? {
        let path = repositoryRoot.appendingPathComponent(".ci/\(script)").path
        FileHandle.standardError.write(Data("test support: installing with .ci/\(script) (once)…\n".utf8))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["bash", path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.standardError
        guard (try? process.run()) != nil else { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let printed = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, let last = printed.split(separator: "\n").last.map(String.init),
              FileManager.default.isExecutableFile(atPath: last) else { return nil }
        return last
    }

    /// The full path of a program on `PATH`, if any.
    public static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    public static func temporaryDirectory(prefix: String = "gatewatch-tests") throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(prefix + "-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    public static func removeDirectory(_ dir: URL) { try? FileManager.default.removeItem(at: dir) }

    /// Stops a server process: SIGTERM, then SIGKILL after 5 s; waits for it to exit.
    public static func terminate(_ p: Process) {
        if p.isRunning {
            p.terminate()
            let deadline = Date().addingTimeInterval(5)
            while p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        }
        p.waitUntilExit()
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, read back, closed).
    public static func freePort() throws -> Int {
        let (fd, port) = try boundSocket()
        closeDescriptor(fd)
        return port
    }

    /// A socket bound to a free port on 127.0.0.1 (not listening yet) and its port.
    public static func boundSocket() throws -> (fd: Int32, port: Int) {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure("socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { p in
                bind(fd, p, length) == 0 && getsockname(fd, p, &length) == 0
            }
        }
        guard ok else {
            let e = errno
            closeDescriptor(fd)
            throw Failure("cannot bind a port on 127.0.0.1: errno \(e)")
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    public static func closeDescriptor(_ fd: Int32) {
        #if canImport(Glibc)
        _ = Glibc.close(fd)
        #else
        _ = Darwin.close(fd)
        #endif
    }

    /// Stops the process group led by `pid`: SIGTERM to the group, up to `grace` seconds for the leader to exit, then
    /// SIGKILL to whatever of the group is left (workers may outlive the leader), and reaps the leader.
    public static func killProcessGroup(_ pid: pid_t, grace: TimeInterval = 10) {
        guard pid > 1 else { return }
        kill(-pid, SIGTERM)
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(grace)
        while waitpid(pid, &status, WNOHANG) == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        kill(-pid, SIGKILL)
        _ = waitpid(pid, &status, WNOHANG)
    }

    /// Polls `GET baseURL+path` every 50 ms until `accept` holds for the answer (default: status 200), `timeout`
    /// passes or `giveUp` returns true (e.g. the server process exited). Returns whether it was accepted.
    public static func waitForHTTP(_ baseURL: URL, path: String, timeout: TimeInterval,
                                   accept: (HTTPResponse) -> Bool = { $0.status == 200 },
                                   giveUp: () -> Bool = { false }) -> Bool {
        guard let probe = try? HTTPConnection(baseURL: baseURL, timeout: 2) else { return false }
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let r = try? probe.get(path), accept(r) { return true }
            if giveUp() { return false }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }

    /// Makes a spawned process start with no signal blocked and the usual signals at their default action. Without
    /// this it inherits the spawning thread's mask, and test code runs on dispatch worker threads, which block SIGTERM,
    /// SIGINT, SIGHUP and most others: a server started from there ignores SIGTERM and only SIGKILL stops it. Returns
    /// the flags to add with `posix_spawnattr_setflags`.
    public static func resetSignals(_ attributes: inout posix_spawnattr_t) -> Int32 {
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD, SIGXFSZ] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        return Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF)
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32

    /// Adds "close every descriptor ≥ 3" to `actions`, so a spawned server does not hold pipes the test process opened
    /// for other children (a reader of such a pipe would then wait for the server to exit): glibc's
    /// `posix_spawn_file_actions_addclosefrom_np` (not imported into Swift, so looked up), else one close action per
    /// descriptor listed in /proc/self/fd.
    public static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            let addCloseFrom = unsafeBitCast(symbol, to: AddCloseFrom.self)
            if addCloseFrom(&actions, 3) == 0 { return }
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap(Int32.init) where fd > 2 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }
}
