import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import GatewatchStores

/// A real MLflow tracking server (3.17.2, from `.ci/fetch-mlflow`) on 127.0.0.1 for the registry tests.
///
/// The executable is `$MLFLOW`, else `<repo>/.tools/mlflow-venv/bin/mlflow`. When neither exists the tests are
/// skipped, except under `CI=true`, where that is a failure. The server runs with a fresh SQLite backend in a
/// temporary folder, on a free port, in its own process group (so that stopping it also stops its workers), and is
/// started once per test class: start it in `class func setUp()` with `startShared`, stop it in
/// `class func tearDown()`.
final class MLflowServer: @unchecked Sendable {
    enum Mode {
        case open
        /// `--app-name basic-auth` with the admin account `admin` / `adminPassword`.
        case basicAuth(adminPassword: String)
    }

    /// e.g. `http://127.0.0.1:40123`.
    let url: URL
    let pid: pid_t
    let directory: URL
    let logFile: URL
    /// Seconds from spawn to the first healthy `/health`.
    private(set) var startSeconds: Double = 0
    private var stopped = false

    static var environment: [String: String] { ProcessInfo.processInfo.environment }
    static var isCI: Bool { environment["CI"] == "true" }

    /// `<repo>`, from this file's path (Tests/GatewatchStoresTests/MLflowServer.swift).
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The `mlflow` executable, or nil when none is installed.
    static func executable() -> String? {
        if let path = environment["MLFLOW"], !path.isEmpty { return path }
        let local = repositoryRoot.appendingPathComponent(".tools/mlflow-venv/bin/mlflow").path
        return FileManager.default.isExecutableFile(atPath: local) ? local : nil
    }

    /// Why the server of a test class is missing, as a skip (locally) or a failure (under `CI=true`).
    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts a server for a test class; on failure returns the error to report from each test's set-up.
    static func startShared(_ mode: Mode) -> Result<MLflowServer, Unavailable> {
        do {
            return .success(try start(mode))
        } catch let error as Unavailable {
            return .failure(error)
        } catch {
            return .failure(Unavailable(description: "\(error)"))
        }
    }

    /// The server of a test class, or the skip / failure that a test's `setUpWithError` throws.
    static func require(_ shared: Result<MLflowServer, Unavailable>?) throws -> MLflowServer {
        switch shared {
        case .success(let server)?: return server
        case .failure(let error)?:
            if executable() == nil && !isCI {
                throw XCTSkip("mlflow is not installed (run .ci/fetch-mlflow, or set MLFLOW=<path of mlflow>)")
            }
            throw error
        case nil:
            throw Unavailable(description: "the test class did not start its MLflow server")
        }
    }

    static func start(_ mode: Mode) throws -> MLflowServer {
        guard let mlflow = executable() else {
            throw Unavailable(description: "mlflow not found: MLFLOW is unset and \(repositoryRoot.path)/.tools/mlflow-venv/bin/mlflow "
                              + "does not exist (run .ci/fetch-mlflow and export MLFLOW=\"$(.ci/fetch-mlflow)\")")
        }
        guard FileManager.default.isExecutableFile(atPath: mlflow) else {
            throw Unavailable(description: "MLFLOW=\(mlflow) is not an executable file")
        }
        let directory = try TestSupport.temporaryDirectory()
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
        let began = Date()
        // The basic-auth app keeps its users in ./basic_auth.db: run in the temporary folder.
        let pid = try spawn(mlflow, arguments, in: directory, environment: extra, log: log)
        let server = MLflowServer(url: URL(string: "http://127.0.0.1:\(port)")!, pid: pid, directory: directory, logFile: log)
        let probe = try HTTPConnection(baseURL: server.url, timeout: 2)
        let deadline = Date().addingTimeInterval(90)
        while Date() < deadline {
            if let r = try? probe.get("/health"), r.status == 200 {
                server.startSeconds = Date().timeIntervalSince(began)
                return server
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                server.stopped = true
                let tail = server.logTail()
                TestSupport.cleanUp(directory)
                throw Unavailable(description: "mlflow server exited during start-up:\n\(tail)")
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        server.stop()
        throw Unavailable(description: "mlflow server did not answer /health within 90 s:\n\(server.logTail())")
    }

    private init(url: URL, pid: pid_t, directory: URL, logFile: URL) {
        self.url = url
        self.pid = pid
        self.directory = directory
        self.logFile = logFile
    }

    deinit { stop() }

    /// Stops the whole process group (SIGTERM, then SIGKILL after 10 s) and removes the temporary folder.
    func stop() {
        guard !stopped else { return }
        stopped = true
        kill(-pid, SIGTERM)
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(10)
        while waitpid(pid, &status, WNOHANG) == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        // Workers of the group may outlive the leader: the group goes in any case.
        kill(-pid, SIGKILL)
        _ = waitpid(pid, &status, WNOHANG)
        TestSupport.cleanUp(directory)
    }

    /// The last lines of the server's log, for failure messages.
    func logTail(_ lines: Int = 30) -> String {
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
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

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
    static func freePort() throws -> Int {
        let (fd, port) = try bound()
        close(fd)
        return port
    }

    /// A socket bound to a free port on 127.0.0.1 and listening, which never accepts: requests to it time out.
    static func silentListener() throws -> (fd: Int32, port: Int) {
        let (fd, port) = try bound()
        guard listen(fd, 16) == 0 else {
            close(fd)
            throw Unavailable(description: "listen failed")
        }
        return (fd, port)
    }

    private static func bound() throws -> (Int32, Int) {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Unavailable(description: "socket() failed") }
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
            close(fd)
            throw Unavailable(description: "cannot bind a port on 127.0.0.1")
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}
