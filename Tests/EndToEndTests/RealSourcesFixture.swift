import Foundation
import GatewatchTestSupport
import Testing

/// One real Prometheus and one real MLflow for the whole `RealSourcesEndToEndTests` suite, seeded with the
/// scenarios' releases through the built `gatewatch` (`export-openmetrics` + promtool backfill for the metrics,
/// `registry seed` for the releases), plus a basic-auth MLflow for the credentials test, launched when a test first
/// asks for it (the fault test launches it early, so that it boots while that test waits on the dashboard).
///
/// Releases:
/// - `fraud-canary-healthy` and `eu-segment-regression` at 2h, `latency-regression` at 3h, unchanged from
///   sample-data (read only: the verdict comparison);
/// - two copies of `fraud-canary-healthy` (at 2h30m) under slugs and models of their own, started a day ago so that their data
///   is recent whatever the date (a `history` of days reaches it): `…-tui` (promoted and rolled back by the TUI test)
///   and `…-stale` (its metrics go to the Prometheus that the fault test stops; rolled back there), and `…-faults`
///   (read through fault-injecting proxies by the faulty-sources test; rolled back there).
///
/// Subprocesses get a private `XDG_CONFIG_HOME`/`XDG_DATA_HOME` and no `MLFLOW_TRACKING_*` variables of the caller.
final class RealSourcesFixture: @unchecked Sendable {
    /// The fixture of the running suite (set by the `.realSources` trait).
    @TaskLocal static var current: RealSourcesFixture?

    /// A release the fixture created: scenario folder, `--sample-data` root, slug, model and versions.
    struct SeededRelease: Sendable {
        var scenario: String
        var sampleData: String
        var slug: String
        var model: String
        var champion: String
        var challenger: String
        var at: String
        /// The stage and status `registry seed` reported.
        var seededStage: String
        var seededStatus: String
    }

    /// The scenarios compared between the embedded store and the real sources.
    static let compared: [(scenario: String, slug: String, at: String)] = [
        ("fraud-canary-healthy", "fraud-scoring-v8", "2h"),
        ("eu-segment-regression", "checkout-risk-v5", "2h"),
        ("latency-regression", "login-risk-v3", "3h"),
    ]
    static let fraudStages = ["shadow", "canary-1", "canary-5", "canary-25", "ab-50", "full"]

    /// Binaries present, or CI (where their absence fails the suite); tmux is needed by the TUI tests.
    /// Always where tmux is (the servers are fetched at first use, and their absence fails the suite).
    static var shouldRun: Bool { TmuxSession.shouldRun }
    static let skipReason: Comment = "needs prometheus + promtool (.ci/fetch-prometheus), mlflow (.ci/fetch-mlflow) and tmux"

    let binary: URL
    let root: URL
    let repositorySampleData: String
    let prometheus: PrometheusServer
    let mlflow: MLflowServer
    /// Launched by `launchBasicAuth()`; `basicAuthServer()` waits for it.
    private var basicAuth: MLflowServer?
    let basicAuthPassword = "gw-Adm1n-\(UUID().uuidString.prefix(8))"
    private var basicAuthReady = false
    private let lock = NSLock()

    private(set) var releases: [String: SeededRelease] = [:]
    /// OpenMetrics of the `…-stale` copy, for the Prometheus the fault test starts and stops.
    let staleMetrics: String
    /// OpenMetrics of the compared releases (as backfilled into Prometheus), for the VictoriaMetrics comparison.
    let comparedMetrics: [String]
    /// Durations of the set-up steps, for the log.
    private(set) var timings: [(String, Double)] = []

    static let tuiSlug = "fraud-scoring-v8-tui"
    /// The release whose series are also in Prometheus under another exporter's names.
    static let mappedSlug = "checkout-risk-v5"
    static let staleSlug = "fraud-scoring-v8-stale"
    static let faultsSlug = "fraud-scoring-v8-faults"

    var tui: SeededRelease { releases[Self.tuiSlug]! }
    var stale: SeededRelease { releases[Self.staleSlug]! }
    var faults: SeededRelease { releases[Self.faultsSlug]! }

    /// Environment of every `gatewatch` the tests run.
    var environment: [String: String?] {
        ["XDG_CONFIG_HOME": root.appendingPathComponent("xdg-config").path,
         "XDG_DATA_HOME": root.appendingPathComponent("xdg-data").path,
         "MLFLOW_TRACKING_TOKEN": nil, "MLFLOW_TRACKING_USERNAME": nil, "MLFLOW_TRACKING_PASSWORD": nil,
         "NO_COLOR": nil, "GATEWATCH_SAMPLE_DATA": nil]
    }

    // MARK: Set-up

    static func start() throws -> RealSourcesFixture {
        let began = Date()
        let binary = try TmuxSession.gatewatchBinary()
        guard PrometheusServer.binary != nil else { throw PrometheusServer.Failure(description: "CI=true, but " + PrometheusServer.missingBinary) }
        guard PrometheusServer.promtool != nil else { throw PrometheusServer.Failure(description: "no promtool (set PROMTOOL)") }
        let root = try TestProcesses.temporaryDirectory(prefix: "gw-e2e-real")
        var mlflow: MLflowServer?
        do {
            // MLflow boots (5–15 s) while the metrics are prepared.
            mlflow = try MLflowServer.launch(.open)
            return try RealSourcesFixture(binary: binary, root: root, mlflow: mlflow!, began: began)
        } catch {
            mlflow?.stop()
            TestProcesses.removeDirectory(root)
            throw error
        }
    }

    private init(binary: URL, root: URL, mlflow: MLflowServer, began: Date) throws {
        self.binary = binary
        self.root = root
        self.mlflow = mlflow
        let repositorySampleData = TestProcesses.repositoryRoot.appendingPathComponent("sample-data").path
        self.repositorySampleData = repositorySampleData
        for dir in ["xdg-config", "xdg-data"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(dir), withIntermediateDirectories: true)
        }

        // The copies of the healthy canary, started 24 hours ago (on a whole minute).
        let copies = root.appendingPathComponent("sample-data")
        let start = (Int64(Date().timeIntervalSince1970) / 60 - 24 * 60) * 60
        var plans: [(scenario: String, sampleData: String, slug: String, model: String, at: String)] =
            Self.compared.map { ($0.scenario, repositorySampleData, $0.slug, Self.model(of: $0.scenario), $0.at) }
        for (slug, suffix) in [(Self.tuiSlug, "tui"), (Self.staleSlug, "stale"), (Self.faultsSlug, "faults")] {
            try Self.copyScenario("fraud-canary-healthy", from: repositorySampleData, to: copies, as: "gw-\(suffix)",
                                  slug: slug, model: "card-fraud-scorer-\(suffix)", start: start)
            // At 2h30m the copy is in canary-5 with its labels mature: every gate but the (wall-clock) bake passes.
            plans.append(("gw-\(suffix)", copies.path, slug, "card-fraud-scorer-\(suffix)", "2h30m"))
        }

        // Metrics: every release's history as OpenMetrics (in parallel), all but the stale copy into one Prometheus.
        var timings: [(String, Double)] = []
        var step = Date()
        let fixedPlans = plans
        let exports = Self.parallel(plans.count) { i -> Result<String, Error> in
            let plan = fixedPlans[i]
            let file = root.appendingPathComponent("\(plan.slug).om")
            return Result {
                let r = try ProcessResult.run(binary, ["export-openmetrics", "--sample-data", plan.sampleData, "--scenario", plan.scenario,
                                                       "--at", plan.at, "--out", file.path], timeout: 60)
                guard r.status == 0 else { throw TmuxSession.Failure(description: "export-openmetrics \(plan.scenario) exited \(r.status): \(r.stderr)") }
                return try String(contentsOf: file, encoding: .utf8)
            }
        }
        let documents = try exports.map { try $0.get() }
        timings.append(("export-openmetrics ×\(plans.count)", Date().timeIntervalSince(step)))
        staleMetrics = documents[plans.firstIndex { $0.slug == Self.staleSlug }!]
        comparedMetrics = Self.compared.map { c in documents[plans.firstIndex { $0.slug == c.slug }!] }
        step = Date()
        // And the segment-regression release once more, as another exporter names it (`ExporterRenaming`, two pods).
        let renamed = ExporterRenaming.rename(documents[plans.firstIndex { $0.slug == Self.mappedSlug }!], pods: true)
        prometheus = try PrometheusServer.start(backfilling: zip(plans, documents).filter { $0.0.slug != Self.staleSlug }.map(\.1) + [renamed])
        timings.append(("prometheus backfill ×\(plans.count) (\(String(format: "%.1f", prometheus.backfillSeconds)) s) + start", Date().timeIntervalSince(step)))

        step = Date()
        do {
            try mlflow.waitUntilHealthy()
        } catch {
            prometheus.stop()
            throw error
        }
        timings.append(("mlflow ready (\(String(format: "%.1f", mlflow.startSeconds)) s after launch), waited", Date().timeIntervalSince(step)))

        // Releases: `registry seed` each into MLflow, two at a time (each runs its scenario in memory first).
        step = Date()
        let config = try writeConfig("seed.yaml")
        let environment = self.environment
        let seeds = Self.parallel(plans.count) { i -> Result<ProcessResult, Error> in
            let plan = fixedPlans[i]
            return Result {
                try ProcessResult.run(binary, ["registry", "seed", "--sample-data", plan.sampleData, "--scenario", plan.scenario,
                                               "--at", plan.at, "--config", config.path], environment: environment, timeout: 60)
            }
        }
        for (plan, seed) in zip(plans, seeds) {
            let r: ProcessResult
            do { r = try seed.get() } catch {
                prometheus.stop()
                throw error
            }
            guard r.status == 0 else {
                prometheus.stop()
                throw TmuxSession.Failure(description: "registry seed \(plan.scenario) exited \(r.status): \(r.stderr)\n\(mlflow.logTail())")
            }
            // "seeded SLUG: STAGE, STATUS, N audit events"
            let line = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let words = line.drop { $0 != ":" }.dropFirst().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard line.hasPrefix("seeded \(plan.slug):"), words.count >= 2 else {
                prometheus.stop()
                throw TmuxSession.Failure(description: "registry seed \(plan.scenario) printed: \(line)")
            }
            let versions = Self.versions(of: plan.scenario, in: plan.sampleData)
            releases[plan.slug] = SeededRelease(scenario: plan.scenario, sampleData: plan.sampleData, slug: plan.slug, model: plan.model,
                                                champion: versions.champion, challenger: versions.challenger, at: plan.at,
                                                seededStage: words[0], seededStatus: words[1])
        }
        timings.append(("registry seed ×\(plans.count)", Date().timeIntervalSince(step)))
        timings.append(("set-up total", Date().timeIntervalSince(began)))
        self.timings = timings
    }

    /// Launches the basic-auth server (admin / `basicAuthPassword`) unless it already was.
    @discardableResult
    func launchBasicAuth() throws -> MLflowServer {
        try lock.withLock {
            if let basicAuth { return basicAuth }
            let server = try MLflowServer.launch(.basicAuth(adminPassword: basicAuthPassword))
            basicAuth = server
            return server
        }
    }

    /// The basic-auth server, once healthy.
    func basicAuthServer() throws -> MLflowServer {
        let server = try launchBasicAuth()
        if !lock.withLock({ basicAuthReady }) {
            try server.waitUntilHealthy()
            lock.withLock { basicAuthReady = true }
            print("basic-auth MLflow ready \(String(format: "%.1f", server.startSeconds)) s after its launch")
        }
        return server
    }

    func stop() {
        prometheus.stop()
        mlflow.stop()
        lock.withLock { basicAuth }?.stop()
        TestProcesses.removeDirectory(root)
    }

    var timingReport: String {
        timings.map { "\($0.0): \(String(format: "%.1f", $0.1)) s" }.joined(separator: "; ")
    }

    // MARK: Configs and runs

    /// Writes a config naming the shared MLflow (or `registryURL`) and the shared Prometheus (or `metricsURL`);
    /// `metricsExtra` lines are appended to the `metrics:` section. `staleAfter` (default 2 days): the copies' data
    /// ends hours before the tests run, and the dashboard tests of actions need it current; freshness itself is
    /// tested by the fault test (a stopped Prometheus) and `FailSafeEndToEndTests`. Nil: the default bound.
    @discardableResult
    func writeConfig(_ name: String, registryURL: URL? = nil, metricsURL: URL? = nil, history: String = "60d",
                     metricsExtra: [String] = [], staleAfter: String? = "2d") throws -> URL {
        var text = staleAfter.map { "stale_after: \($0)\n" } ?? ""
        text += "registry:\n  kind: mlflow\n  url: \"\((registryURL ?? mlflow.url).absoluteString)\"\n"
        text += "metrics:\n  kind: prometheus\n  url: \"\((metricsURL ?? prometheus.url).absoluteString)\"\n  history: \(history)\n"
        text += metricsExtra.map { "  " + $0 + "\n" }.joined()
        let file = root.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Runs the built `gatewatch` with the fixture's environment (plus `extra`).
    func gatewatch(_ arguments: [String], extra: [String: String?] = [:], timeout: TimeInterval = 60) throws -> ProcessResult {
        try ProcessResult.run(binary, arguments, environment: environment.merging(extra) { $1 }, timeout: timeout)
    }

    /// The dashboard in tmux (160×48) on `config` as an owner named `gw-e2e-owner`.
    func dashboard(config: URL) throws -> TmuxSession {
        try TmuxSession(arguments: [binary.path, "--config", config.path, "--as", "owner", "--refresh", "1"],
                        environment: environment.merging(["USER": "gw-e2e-owner"]) { $1 }, width: 160, height: 48)
    }

    func rest() throws -> MLflowRESTReader { try MLflowRESTReader(mlflow.url) }

    // MARK: Helpers

    static func model(of scenario: String) -> String {
        let release = (try? String(contentsOfFile: TestProcesses.repositoryRoot.appendingPathComponent("sample-data/\(scenario)/release.yaml").path,
                                   encoding: .utf8)) ?? ""
        return value(of: "model", in: release) ?? ""
    }

    static func versions(of scenario: String, in root: String) -> (champion: String, challenger: String) {
        let release = (try? String(contentsOfFile: "\(root)/\(scenario)/release.yaml", encoding: .utf8)) ?? ""
        return (value(of: "champion", in: release) ?? "", value(of: "challenger", in: release) ?? "")
    }

    /// The value of a top-level `key: value` line of a YAML file, without quotes.
    static func value(of key: String, in yaml: String) -> String? {
        for line in yaml.split(separator: "\n") where line.hasPrefix(key + ":") {
            return line.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }
        return nil
    }

    /// Copies a scenario folder, replacing the release's `slug` and `model` and the simulation's `start`.
    static func copyScenario(_ scenario: String, from root: String, to destination: URL, as name: String, slug: String, model: String,
                             start: Int64) throws {
        let target = destination.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        func rewrite(_ file: String, _ replacements: [String: String]) throws {
            let text = try String(contentsOfFile: "\(root)/\(scenario)/\(file)", encoding: .utf8)
            var seen = Set<String>()
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                for (key, value) in replacements where line.hasPrefix(key + ":") {
                    seen.insert(key)
                    return "\(key): \(value)"
                }
                return String(line)
            }
            guard seen.count == replacements.count else {
                throw TmuxSession.Failure(description: "\(scenario)/\(file) lacks \(Set(replacements.keys).subtracting(seen).sorted())")
            }
            try lines.joined(separator: "\n").write(to: target.appendingPathComponent(file), atomically: true, encoding: .utf8)
        }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        try rewrite("release.yaml", ["slug": slug, "model": model])
        try rewrite("simulation.yaml", ["start": formatter.string(from: Date(timeIntervalSince1970: TimeInterval(start)))])
    }

    /// `body(0..<count)`, as many at once as there are cores; the results in order.
    static func parallel<T>(_ count: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
        let results = ResultBox<T>(count)
        DispatchQueue.concurrentPerform(iterations: count) { i in results.set(i, body(i)) }
        return results.values
    }

    private final class ResultBox<T>: @unchecked Sendable {
        private let lock = NSLock()
        private var storage: [T?]
        init(_ count: Int) { storage = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ value: T) { lock.withLock { storage[i] = value } }
        var values: [T] { lock.withLock { storage.map { $0! } } }
    }
}

/// Starts the `RealSourcesFixture` once around the whole suite and stops it afterwards.
struct RealSourcesTrait: SuiteTrait, TestScoping {
    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let began = Date()
        let fixture = try RealSourcesFixture.start()
        print("real sources ready: \(fixture.timingReport) — MLflow \(fixture.mlflow.url), Prometheus \(fixture.prometheus.url)")
        defer {
            let stopping = Date()
            fixture.stop()
            print("real sources suite: \(String(format: "%.1f", Date().timeIntervalSince(began))) s in all (servers stopped in "
                  + "\(String(format: "%.1f", Date().timeIntervalSince(stopping))) s)")
        }
        try await RealSourcesFixture.$current.withValue(fixture) { try await function() }
    }
}

extension Trait where Self == RealSourcesTrait {
    /// One Prometheus and one MLflow, seeded, for the suite (see `RealSourcesFixture`).
    static var realSources: Self { RealSourcesTrait() }
}
