import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real MLflow tracking server (3.17.2, from `.ci/fetch-mlflow`) on 127.0.0.1 for the registry tests.
///
/// The executable is `$MLFLOW`, else `<repo>/.tools/mlflow-venv/bin/mlflow`. When neither exists the tests are
/// skipped, except under `CI=true`, where that is a failure. The server runs with a fresh SQLite backend in a
/// temporary folder, on a free port, in its own process group (so that stopping it also stops its workers).
/// XCTest classes start one per class: `startShared` in `class func setUp()`, `require` in `setUpWithError`, `stop`
/// in `class func tearDown()`. Other tests call `start` (or `launch`, then `waitUntilHealthy`, to do other work while
/// it boots) and `stop`.
public final class MLflowServer: @unchecked Sendable {
    public enum Mode: Sendable {
        case open
        /// `--app-name basic-auth` with the admin account `admin` / `adminPassword`.
        case basicAuth(adminPassword: String)
    }

    /// e.g. `http://127.0.0.1:40123`.
    public let url: URL
    public let pid: pid_t
    public let directory: URL
    public let logFile: URL
    /// Seconds from spawn to the first healthy `/health`.
    public private(set) var startSeconds: Double = 0
    private let launchedAt = Date()
    private var stopped = false
    private let lock = NSLock()

    public static var environment: [String: String] { TestProcesses.environment }
    public static var isCI: Bool { TestProcesses.isCI }

    public static var repositoryRoot: URL { TestProcesses.repositoryRoot }

    /// The `mlflow` executable, or nil when none is installed.
    public static func executable() -> String? {
        if let path = environment["MLFLOW"], !path.isEmpty { return path }
        let local = repositoryRoot.appendingPathComponent(".tools/mlflow-venv/bin/mlflow").path
        let stamp = repositoryRoot.appendingPathComponent(".tools/mlflow-venv/.gatewatch-mlflow-3.17.2").path
        if FileManager.default.isExecutableFile(atPath: local), FileManager.default.fileExists(atPath: stamp) { return local }
        // Not installed yet (or not the pinned version): the project's installer does it, once per test process.
        return TestProcesses.fetchedTool("fetch-mlflow")
    }

    /// Whether tests that need a server run: always. A missing MLflow is installed by `.ci/fetch-mlflow` at first use,
    /// and a test whose server cannot be had fails instead of being skipped.
    public static var enabled: Bool { true }
    public static let skipMessage = "mlflow is not installed (run .ci/fetch-mlflow, or set MLFLOW=<path of mlflow>)"

    /// Why the server of a test class is missing, as a skip (locally) or a failure (under `CI=true`).
    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// Starts a server for a test class; on failure returns the error to report from each test's set-up. `label`
    /// names it in the start-up line printed on success.
    public static func startShared(_ mode: Mode, label: String? = nil) -> Result<MLflowServer, Unavailable> {
        do {
            let server = try start(mode)
            if let label { print("MLflow server (\(label)) ready in \(String(format: "%.1f", server.startSeconds)) s at \(server.url)") }
            return .success(server)
        } catch let error as Unavailable {
            return .failure(error)
        } catch {
            return .failure(Unavailable(description: "\(error)"))
        }
    }

    /// Stops a test class's server, if it started, and forgets it.
    public static func stopShared(_ shared: inout Result<MLflowServer, Unavailable>?) {
        if case .success(let server)? = shared { server.stop() }
        shared = nil
    }

    /// The server of a test class, or the skip / failure that a test's `setUpWithError` throws.
    public static func require(_ shared: Result<MLflowServer, Unavailable>?) throws -> MLflowServer {
        switch shared {
        case .success(let server)?: return server
        case .failure(let error)?:
            if executable() == nil && !isCI {
                throw XCTSkip(skipMessage)
            }
            throw error
        case nil:
            throw Unavailable(description: "the test class did not start its MLflow server")
        }
    }

    /// Launches a server and waits until `/health` answers (up to 90 s).
    public static func start(_ mode: Mode) throws -> MLflowServer {
        let server = try launch(mode)
        try server.waitUntilHealthy()
        return server
    }

    /// Spawns a server without waiting for it; call `waitUntilHealthy` before using it (and `stop` in any case).
    public static func launch(_ mode: Mode) throws -> MLflowServer {
        guard let mlflow = executable() else {
            throw Unavailable(description: "mlflow not found: MLFLOW is unset and \(repositoryRoot.path)/.tools/mlflow-venv/bin/mlflow "
                              + "does not exist (run .ci/fetch-mlflow and export MLFLOW=\"$(.ci/fetch-mlflow)\")")
        }
        guard FileManager.default.isExecutableFile(atPath: mlflow) else {
            throw Unavailable(description: "MLFLOW=\(mlflow) is not an executable file")
        }
        let directory = try TestProcesses.temporaryDirectory(prefix: "gatewatch-mlflow")
        let port = try freePort()
        var arguments = ["server", "--host", "127.0.0.1", "--port", String(port), "--workers", "1",
                         "--backend-store-uri", "sqlite:///" + directory.appendingPathComponent("mlflow.db").path]
        var extra = ["MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"]
        if case .basicAuth(let password) = mode {
            arguments += ["--app-name", "basic-auth"]
            extra["MLFLOW_FLASK_SERVER_SECRET_KEY"] = "gatewatch-test-secret-\(UUID().uuidString)"
            extra["MLFLOW_AUTH_ADMIN_PASSWORD"] = password
        }
        let log = directory.appendingPathComponent("server.log")
        // The basic-auth app keeps its users in ./basic_auth.db: run in the temporary folder.
        let pid: pid_t
        do {
            pid = try spawn(mlflow, arguments, in: directory, environment: extra, log: log)
        } catch {
            TestProcesses.removeDirectory(directory)
            throw error
        }
        return MLflowServer(url: URL(string: "http://127.0.0.1:\(port)")!, pid: pid, directory: directory, logFile: log)
    }

    /// Waits until `/health` answers 200; throws (and stops the server) when it exits or `timeout` passes first.
    public func waitUntilHealthy(timeout: TimeInterval = 90) throws {
        var exited = false
        let healthy = TestProcesses.waitForHTTP(url, path: "/health", timeout: timeout, giveUp: {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { exited = true }
            return exited
        })
        if healthy {
            startSeconds = Date().timeIntervalSince(launchedAt)
            return
        }
        let tail = logTail()
        if exited {
            lock.withLock { stopped = true }
            kill(-pid, SIGKILL)
            TestProcesses.removeDirectory(directory)
            throw Unavailable(description: "mlflow server exited during start-up:\n\(tail)")
        }
        stop()
        throw Unavailable(description: "mlflow server did not answer /health within \(Int(timeout)) s:\n\(tail)")
    }

    private init(url: URL, pid: pid_t, directory: URL, logFile: URL) {
        self.url = url
        self.pid = pid
        self.directory = directory
        self.logFile = logFile
    }

    deinit { stop() }

    /// Stops the whole process group (SIGTERM, then SIGKILL after 10 s) and removes the temporary folder.
    public func stop() {
        let already = lock.withLock { () -> Bool in
            defer { stopped = true }
            return stopped
        }
        guard !already else { return }
        TestProcesses.killProcessGroup(pid, grace: 10)
        TestProcesses.removeDirectory(directory)
    }

    /// The last lines of the server's log, for failure messages.
    public func logTail(_ lines: Int = 30) -> String {
        let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? "(no log)"
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    // MARK: Processes and ports

    /// Spawns `executable arguments` in a new process group with stdout and stderr into `log`, in `directory`.
    private static func spawn(_ executable: String, _ arguments: [String], in directory: URL, environment extra: [String: String],
                              log: URL) throws -> pid_t {
        // /bin/sh changes directory, then execs the server (same pid, so the group is the server's).
        let argv = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory.path, executable] + arguments
        var env = environment
        for (k, v) in extra { env[k] = v }
        let envp = env.map { "\($0.key)=\($0.value)" }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(Int32(POSIX_SPAWN_SETPGROUP) | TestProcesses.resetSignals(&attributes)))
        posix_spawnattr_setpgroup(&attributes, 0)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        TestProcesses.closeInheritedDescriptors(&actions)

        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = envp.map { strdup($0) } + [nil]
        defer {
            cArgs.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, "/bin/sh", &actions, &attributes, cArgs, cEnv)
        guard rc == 0 else { throw Unavailable(description: "cannot start \(executable): \(String(cString: strerror(rc)))") }
        return pid
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago.
    public static func freePort() throws -> Int { try TestProcesses.freePort() }

    /// A socket bound to a free port on 127.0.0.1 and listening, which never accepts: requests to it time out.
    public static func silentListener() throws -> (fd: Int32, port: Int) {
        let (fd, port) = try TestProcesses.boundSocket()
        guard listen(fd, 16) == 0 else {
            TestProcesses.closeDescriptor(fd)
            throw Unavailable(description: "listen failed")
        }
        return (fd, port)
    }
}
