import Foundation
import GatewatchTestSupport
import Testing

/// The real binary on inputs meant to break it: an alias bomb in a release spec, durations and times out of range
/// in every option that takes one, a store that is not a store, a file that is not UTF-8, and hostile text in a
/// store's slugs and audit reasons. Each ends with a documented exit status and a message that says what is wrong,
/// never a hang, a trap (132) or status 1.
@Suite("Inputs and commands (end to end)")
struct InputsAndCommandsEndToEndTests {
    let binary: URL
    init() throws { binary = try TmuxSession.gatewatchBinary() }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var sampleData: String { root.appendingPathComponent("sample-data").path }
    static var healthySpec: String { sampleData + "/fraud-canary-healthy/release.yaml" }
    /// Larger than any duration or time option accepts; `start + it` overflows 64 bits.
    static let hugeDurations = ["106751991167300d", "9223372036854775807s"]

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gw-inputs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Nine lines of nested anchors: 9⁹ nodes once expanded.
    static let aliasBomb: String = {
        var lines = ["l0: &a0 [x, x, x, x, x, x, x, x, x]"]
        for level in 1..<9 {
            lines.append("l\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    /// A store holding the healthy sample release, made by `import`.
    func store(in dir: URL) throws -> String {
        let store = dir.appendingPathComponent("store.sqlite").path
        let created = try ProcessResult.run(binary, ["import", "--release-spec", Self.healthySpec, "--store", store, "--started", "2026-11-02T09:00:00Z"])
        #expect(created.status == 0, "\(created.stderr)")
        return store
    }

    /// Exit status 2 with `message` on stderr: never a trap, never a hang.
    func expectRefused(_ arguments: [String], _ message: String, timeout: TimeInterval = 20,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try ProcessResult.run(binary, arguments, environment: ["GATEWATCH_SAMPLE_DATA": Self.sampleData], timeout: timeout)
        #expect(result.status == 2, "\(arguments): status \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
    }

    // MARK: Rules export

    /// `rules export`: from a scenario into a file promtool accepts, from the registry a config names (the same
    /// rules), a warning for a rule Prometheus cannot say, and a fleet without `--release` refused with the slugs.
    @Test func rulesExportWritesWhatPromtoolAcceptsFromAScenarioOrARegistry() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("rules.yml").path
        let exported = try ProcessResult.run(binary, ["rules", "export", "--format", "prometheus", "--sample-data", Self.sampleData,
                                                      "--scenario", "fraud-canary-healthy", "--out", file])
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stderr.contains("warning: rule review-queue-overflow is not exported: review_queue_hours_to_overflow"), "\(exported.stderr)")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("- alert: \"challenger-error-rate\"") && text.contains("release: \"fraud-scoring-v8\""), "\(text.prefix(600))")
        let promtool = try #require(PrometheusServer.promtool)
        let checked = try TestProcesses.run(promtool, ["check", "rules", file])
        #expect(checked.status == 0 && checked.output.contains("SUCCESS"), "\(checked.output)")

        let store = try store(in: dir)
        let config = dir.appendingPathComponent("config.yaml")
        try "registry: { kind: sqlite, path: \(store) }\nmetrics: { kind: sqlite, path: \(store) }\n".write(to: config, atomically: true, encoding: .utf8)
        let fromRegistry = try ProcessResult.run(binary, ["rules", "export", "--config", config.path])
        #expect(fromRegistry.status == 0, "\(fromRegistry.stderr)")
        #expect(fromRegistry.stdout == text, "the registry holds the same spec as the scenario")
        try expectRefused(["rules", "export", "--scenario", "fleet"], "scenario 'fleet' has several releases; pick one with --release (fraud-scoring-v8,")
        try expectRefused(["rules", "export", "--config", config.path, "--release", "nope"], "nope")
        try expectRefused(["rules", "export", "--format", "grafana"], "grafana")
    }

    // MARK: Alias bomb

    @Test func checkRefusesAnAliasBombSpecQuickly() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(atPath: Self.sampleData + "/fraud-canary-healthy", toPath: dir.path + "/x")
        let release = dir.path + "/x/release.yaml"
        try (Self.aliasBomb + String(contentsOfFile: release, encoding: .utf8)).write(toFile: release, atomically: true, encoding: .utf8)
        let started = Date()
        let result = try ProcessResult.run(binary, ["check", "--sample-data", dir.path, "--scenario", "x"], timeout: 20)
        let seconds = Date().timeIntervalSince(started)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("\(release):"), "\(result.stderr)")
        #expect(result.stderr.contains("too many aliases/nodes after expanding anchors: limit 100000"), "\(result.stderr)")
        #expect(seconds < 5, "refused in \(seconds) s")
        let imported = try ProcessResult.run(binary, ["import", "--release-spec", release, "--store", dir.path + "/s.sqlite", "--started", "2026-11-02T09:00:00Z"])
        #expect(imported.status == 2 && imported.stderr.contains("too many aliases/nodes"), "\(imported.stderr)")
    }

    // MARK: Durations and times

    @Test func checkRefusesDurationsAndTimesOutOfRange() throws {
        for huge in Self.hugeDurations {
            try expectRefused(["check", "--at", huge], "--at '\(huge)' is out of range: a duration from 0s to 3650d")
        }
        try expectRefused(["check", "--at", "2200-01-01T00:00:00Z"], "--at 2200-01-01T00:00:00Z is past the horizon of scenario 'fraud-canary-healthy'")
        try expectRefused(["check", "--at", "1969-12-31T00:00:00Z"], "--at 1969-12-31T00:00:00Z is before the release start")
    }

    @Test func checkOnAStoreRefusesDurationsAndTimesOutOfRange() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try store(in: dir)
        for huge in Self.hugeDurations {
            try expectRefused(["check", "--store", store, "--at", huge], "--at '\(huge)' is out of range: a duration from 0s to 3650d")
        }
        try expectRefused(["check", "--store", store, "--at", "2200-01-01T00:00:00Z"], "--at 2200-01-01T00:00:00Z is out of range: a time from 1970-01-01T00:00:00Z to ")
    }

    @Test func scenarioCommandsRefuseDurationsOutOfRange() throws {
        for huge in Self.hugeDurations {
            let range = "--at '\(huge)' is out of range: a duration from 0s to 3650d"
            try expectRefused(["snapshot", "--at", huge], range)
            try expectRefused(["export-openmetrics", "--at", huge], range)
            try expectRefused(["review", "export", "--at", huge], range)
            try expectRefused(["registry", "seed", "--config", "/nonexistent.yaml", "--at", huge], range)
            try expectRefused(["run", "--start-at", huge], "--start-at '\(huge)' is out of range: a duration from 0s to 3650d")
            try expectRefused(["demo", "--history", huge], "--history '\(huge)' is out of range: a duration from 1m to 3650d")
            try expectRefused(["hold", "--for", huge, "--reason", "x"], "--for '\(huge)' is out of range: a duration from 1m to 4h")
            try expectRefused(["import", "--openmetrics", "/nonexistent.om", "--future-skew", huge], "--future-skew '\(huge)' is out of range: a duration from 0s to 1d")
        }
        try expectRefused(["demo", "--until", "2200-01-01T00:00:00Z", "--segments", "1", "--releases", "1", "--store", "/nonexistent/x.sqlite"],
                          "--until 2200-01-01T00:00:00Z is out of range: a time from 1970-01-01T01:00:00Z (1970 plus --history) to ")
        // A scenario simulated past its horizon: refused before anything runs.
        try expectRefused(["snapshot", "--at", "3000d"], "--at '3000d' is past the horizon of scenario 'fraud-canary-healthy'")
        try expectRefused(["review", "export", "--at", "3000d"], "--at '3000d' is past the horizon of scenario 'fraud-canary-healthy'")
    }

    // MARK: Exit statuses

    @Test func aFileThatIsNotAStoreExitsWithStatus2AndSaysSo() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("random.sqlite").path
        var generator = SystemRandomNumberGenerator()
        try Data((0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: URL(fileURLWithPath: path))
        let message = "\(path) is not a SQLite database, not a Gatewatch store"
        try expectRefused(["check", "--store", path], message)
        try expectRefused(["audit", "verify", "--store", path], message)
        try expectRefused(["hold", "--store", path, "--reason", "x"], message)
        try expectRefused(["review", "export", "--store", path], message)
        try expectRefused(["import", "--release-spec", Self.healthySpec, "--store", path], message)
    }

    @Test func anOpenMetricsFileThatIsNotUTF8ExitsWithStatus2AtItsLine() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("latin1.om").path
        var bytes = Array("# TYPE gatewatch_decisions counter\ngatewatch_decisions_total{arm=\"champion\",segment=\"S".utf8)
        bytes += [0xE3, 0x6F] // "São" in Latin-1
        bytes += Array("\"} 1 1700000000\n# EOF\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        try expectRefused(["import", "--openmetrics", file, "--store", dir.appendingPathComponent("s.sqlite").path], "\(file):2:")
        try expectRefused(["import", "--openmetrics", file, "--store", dir.appendingPathComponent("s.sqlite").path], "not UTF-8")
    }

    @Test func noFailureExitsWithStatus1OrWithoutAMessage() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let folder = dir.appendingPathComponent("folder").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let failures: [[String]] = [
            ["export-openmetrics", "--out", dir.path + "/missing/dir/x.om"],
            ["import", "--release-spec", Self.healthySpec, "--store", folder],
            ["check", "--store", folder],
            ["audit", "verify", "--store", folder],
            ["review", "export", "--out", dir.path + "/missing/dir/review.md"],
            ["review", "export", "--out", folder],
            ["export-openmetrics", "--out", folder],
        ]
        for arguments in failures {
            let result = try ProcessResult.run(binary, arguments, environment: ["GATEWATCH_SAMPLE_DATA": Self.sampleData])
            #expect(result.status == 2, "\(arguments): status \(result.status): \(result.stderr)")
            #expect(result.stderr.hasPrefix("gatewatch: ") && result.stderr.count > "gatewatch: ".count + 10, "\(arguments): \(result.stderr)")
            if arguments.contains("--out") {
                // Refused before any simulation: the folder is checked first, with the reason.
                #expect(result.stderr.contains("does not exist") || result.stderr.contains("is a folder"), "\(arguments): \(result.stderr)")
            }
        }
    }

    // MARK: Hostile text in a store

    @Test func auditVerifyPrintsHostileSlugsAndReasonsInertly() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try store(in: dir)
        let reason = "latency\u{1B}]0;pwned\u{7}\u{1B}[2K\r\nfraud-scoring-v8: 99 events checked, ok\u{1B}[1A"
        let rollback = try ProcessResult.run(binary, ["rollback", "--store", store, "--as", "oncall", "--operator", "ana", "--reason", reason])
        #expect(rollback.status == 0, "\(rollback.stderr)")
        #expect(Self.controls(in: rollback.stdout + rollback.stderr).isEmpty, "\(rollback.stdout)\(rollback.stderr)")
        // A slug no import accepts, written straight into the file: title, erase line, a fake "ok" line, bell.
        let slug = "'evil' || char(27) || ']0;owned' || char(7) || char(27) || '[2K' || char(13) || char(10) || 'all: ok' || char(27) || '[1A' || char(155) || '2J'"
        let insert = try ProcessResult.run(URL(fileURLWithPath: "/usr/bin/sqlite3"), [store, "INSERT INTO release(slug, spec) VALUES (\(slug), '{}')"])
        #expect(insert.status == 0, "\(insert.stderr)")
        let verified = try ProcessResult.run(binary, ["audit", "verify", "--store", store])
        #expect([0, 2, 3].contains(verified.status), "\(verified.status): \(verified.stderr)")
        #expect(verified.stdout.contains("evil␛]0;owned␇␛[2K␍␊all: ok␛[1A"), "\(verified.stdout)\(verified.stderr)")
        #expect(!verified.stdout.split(separator: "\n").contains { $0.hasPrefix("all: ok") }, "a fake line: \(verified.stdout)")
        #expect(Self.controls(in: verified.stdout).isEmpty, "\(verified.stdout.unicodeScalars.map { $0.value < 0x20 ? "<\($0.value)>" : String($0) }.joined())")
        #expect(Self.controls(in: verified.stderr).isEmpty, "\(verified.stderr)")
    }

    /// Control characters other than line feeds (C0, DEL, C1).
    static func controls(in text: String) -> [UInt32] {
        text.unicodeScalars.map(\.value).filter { ($0 < 0x20 && $0 != 0x0A) || (0x7F...0x9F).contains($0) }
    }
}

/// `review export` of a scenario that tells a finished story exports the release as recorded, not a default moment.
@Suite("Review export of a recorded release (end to end)")
struct RecordedReviewExportEndToEndTests {
    @Test func reviewExportOfTheRecordedScenarioDefaultsToTheMomentItOpensAt() throws {
        let binary = try TmuxSession.gatewatchBinary()
        let result = try ProcessResult.run(binary, ["review", "export", "--scenario", "post-release-review", "--release", "checkout-risk-v6"], timeout: 120)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("record ends 2026-11-08 09:00 UTC (3d)"), "\(result.stdout.prefix(600))")
        #expect(result.stdout.contains("**Outcome: rolled back** at full"))
        // An explicit --at still wins.
        let early = try ProcessResult.run(binary, ["review", "export", "--scenario", "post-release-review", "--release", "checkout-risk-v6", "--at", "6h"], timeout: 120)
        #expect(early.status == 0, "\(early.stderr)")
        #expect(early.stdout.contains("**Outcome: running** at ab-50"))
    }
}
