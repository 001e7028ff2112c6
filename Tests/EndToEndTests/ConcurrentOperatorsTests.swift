import Foundation
import Testing
import GatewatchTestSupport

/// Several operator processes promoting, rolling back, acknowledging, pausing and resuming on one store at once for a
/// minute: no audit event lost or duplicated, the hash chain intact, and every release's final state the one its
/// successful actions lead to.
@Suite("Concurrent operators (end to end)")
struct ConcurrentOperatorsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sqlite3 = URL(fileURLWithPath: "/usr/bin/sqlite3")
    /// Stages of the load releases: shadow, 38 canaries, full — room for every promotion a minute brings.
    static let stageCount = 40

    /// The sample release under another slug, with `stageCount` one-minute stages and a warn rule that fires without
    /// data (so acknowledging is possible in a store holding no metrics).
    static func loadSpec(slug: String) throws -> String {
        let sample = try String(contentsOf: root.appendingPathComponent("sample-data/fraud-canary-healthy/release.yaml"), encoding: .utf8)
        var lines = sample.components(separatedBy: "\n")
        let stages = try #require(lines.firstIndex(of: "stages:")), gates = try #require(lines.firstIndex(of: "gates:"))
        let generated = ["stages:", "  - { name: shadow, kind: shadow, traffic: 0, bake: 1m }"]
            + (1...(stageCount - 2)).map { "  - { name: canary-\($0), kind: canary, traffic: 1, bake: 1m }" }
            + ["  - { name: full, kind: full, traffic: 100, bake: 0 }"]
        lines.replaceSubrange(stages..<gates, with: generated)
        let slugLine = try #require(lines.firstIndex { $0.hasPrefix("slug: ") })
        lines[slugLine] = "slug: \(slug)"
        while lines.last?.isEmpty == true { lines.removeLast() }
        lines += ["  - name: no-data-watch", "    summary: No error data from the challenger.", "    metric: error_rate",
                  "    arm: challenger", "    op: \">\"", "    threshold: 0.5", "    window: 5m", "    severity: warn", "    no_data: alerting", ""]
        return lines.joined(separator: "\n")
    }

    /// One action a worker can take, with the command line and the audit kind a success leaves.
    struct Action: Sendable {
        var name: String
        var arguments: [String]
        var successKind: String
        var changesState: Bool
    }

    static let actions: [(weight: Int, action: Action)] = [
        (25, Action(name: "pause", arguments: ["pause", "--as", "oncall"], successKind: "pause", changesState: true)),
        (25, Action(name: "resume", arguments: ["resume", "--as", "oncall"], successKind: "resume", changesState: true)),
        (20, Action(name: "promote", arguments: ["promote", "--override", "--as", "owner", "--reason", "load"], successKind: "override", changesState: true)),
        (25, Action(name: "ack", arguments: ["ack", "--rule", "no-data-watch", "--as", "oncall"], successKind: "acknowledge", changesState: false)),
        (1, Action(name: "rollback", arguments: ["rollback", "--as", "oncall", "--reason", "load"], successKind: "rollback", changesState: true)),
        // A reviewer may not pause: always refused.
        (4, Action(name: "reviewer pause", arguments: ["pause", "--as", "reviewer"], successKind: "pause", changesState: true)),
    ]

    /// One process run and what it left.
    struct Attempt: Sendable {
        var operatorName: String
        var release: String
        var action: Action
        var status: Int32
        var output: String
        /// Refused with an audited refusal ("… refused: …"); other refusals ("failed", "unavailable") write nothing.
        var auditedRefusal: Bool { status == 10 && output.contains(" refused: ") }
        /// Done without an event: acknowledging an episode someone already acknowledged.
        var noOp: Bool { status == 0 && output.contains(" already acknowledged by ") }
        var expectedEvent: String? { noOp ? nil : status == 0 ? action.successKind : auditedRefusal ? "refusal" : nil }
    }

    final class Attempts: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var all: [Attempt] = []
        func add(_ a: Attempt) { lock.withLock { all.append(a) } }
    }

    @Test func operatorsActingAtOnceForAMinuteLoseNothing() throws {
        let binary = try TmuxSession.gatewatchBinary()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gw-load-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = dir.appendingPathComponent("store.sqlite").path
        let releases = (1...8).map { "load-\($0)" }
        for slug in releases {
            let spec = dir.appendingPathComponent("\(slug).yaml")
            try Self.loadSpec(slug: slug).write(to: spec, atomically: true, encoding: .utf8)
            let created = try ProcessResult.run(binary, ["import", "--release-spec", spec.path, "--store", store, "--started", "2026-11-02T09:00:00Z"])
            #expect(created.status == 0, "\(created.stderr)")
        }

        // GATEWATCH_LOAD_SECONDS shortens the run locally; under CI=true it is always the full minute.
        let requested = ProcessInfo.processInfo.environment["GATEWATCH_LOAD_SECONDS"].flatMap(Double.init)
        let seconds = TestProcesses.isCI ? 60 : (requested ?? 60)
        let processes = 4
        let attempts = Attempts()
        let deadline = Date().addingTimeInterval(seconds)
        let totalWeight = Self.actions.reduce(0) { $0 + $1.weight }
        DispatchQueue.concurrentPerform(iterations: processes) { p in
            var random = UInt64(0x9E37_79B9_7F4A_7C15) &* UInt64(p + 1)
            func next(_ bound: Int) -> Int {
                random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Int((random >> 33) % UInt64(bound))
            }
            var n = 0
            while Date() < deadline {
                var pick = next(totalWeight)
                let action = Self.actions.first { pick -= $0.weight; return pick < 0 }!.action
                let release = releases[next(releases.count)]
                let name = "op\(p)-\(n)"
                n += 1
                let arguments = action.arguments + ["--store", store, "--release", release, "--operator", name]
                let result = try? ProcessResult.run(binary, arguments, timeout: 60)
                attempts.add(Attempt(operatorName: name, release: release, action: action, status: result?.status ?? -1,
                                     output: result.map { $0.stdout + $0.stderr } ?? "did not run"))
            }
        }
        let all = attempts.all

        // Every attempt's exit status.
        let done = all.filter { $0.status == 0 }
        let refused = all.filter(\.auditedRefusal)
        let silent = all.filter { $0.status == 10 && !$0.auditedRefusal }
        let other = all.filter { $0.status != 0 && $0.status != 10 }
        #expect(other.isEmpty, "\(other.prefix(5).map { "\($0.action.name) by \($0.operatorName): \($0.status) \($0.output)" })")
        #expect(silent.isEmpty, "refused without an audited refusal: \(silent.prefix(5).map(\.output))")
        #expect(!done.isEmpty && !refused.isEmpty)

        // Every attempt that reports an event left exactly one, of the right kind; nothing else was written.
        let rows = try ProcessResult.run(Self.sqlite3, [store, "-separator", "\t", "SELECT release, COALESCE(actor_display, actor), kind FROM audit_event ORDER BY id"])
        #expect(rows.status == 0, "\(rows.stderr)")
        let events = rows.stdout.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        var byActor: [String: [[String]]] = [:]
        for event in events { byActor[event[1], default: []].append(event) }
        var lost = 0, duplicated = 0, wrongKind: [String] = []
        for attempt in all {
            let found = byActor.removeValue(forKey: attempt.operatorName) ?? []
            let expected = attempt.expectedEvent == nil ? 0 : 1
            lost += max(0, expected - found.count)
            duplicated += max(0, found.count - expected)
            if let kind = attempt.expectedEvent, let event = found.first, event[2] != kind || event[0] != attempt.release {
                wrongKind.append("\(attempt.operatorName) \(attempt.action.name) → \(event)")
            }
        }
        let starts = byActor.values.flatMap { $0 }
        #expect(starts.count == releases.count && starts.allSatisfy { $0[2] == "start" }, "events by no attempt: \(starts.prefix(5))")
        #expect(lost == 0)
        #expect(duplicated == 0)
        #expect(wrongKind.isEmpty, "\(wrongKind.prefix(5))")
        #expect(events.count == releases.count + done.filter { !$0.noOp }.count + refused.count)

        // The hash chain verifies.
        let verify = try ProcessResult.run(binary, ["audit", "verify", "--store", store], timeout: 60)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")

        // Each release's state: its version counts the successful state changes, and replaying the successful actions
        // in the order the log holds them gives its stage and status.
        let states = try ProcessResult.run(Self.sqlite3, [store, "-separator", "\t", "SELECT slug, version, state FROM rollout_state ORDER BY slug"])
        var replayed: [String: (stage: Int, status: String)] = [:]
        for event in events {
            var state = replayed[event[0]] ?? (0, "running")
            switch event[2] {
            case "pause": state.status = "paused"
            case "resume": state.status = "running"
            case "override":
                state.stage += 1
                state.status = state.stage == Self.stageCount - 1 ? "complete" : "running"
            case "rollback": state.status = "rolled_back"
            default: break
            }
            replayed[event[0]] = state
        }
        for line in states.stdout.split(separator: "\n") {
            let fields = line.split(separator: "\t", maxSplits: 2).map(String.init)
            let slug = fields[0]
            let json = try #require(try JSONSerialization.jsonObject(with: Data(fields[2].utf8)) as? [String: Any])
            let changes = done.filter { $0.release == slug && $0.action.changesState }.count
            #expect(Int(fields[1]) == 1 + changes, "\(slug): version \(fields[1]), \(changes) successful state changes")
            #expect(json["stageIndex"] as? Int == replayed[slug]?.stage, "\(slug)")
            #expect(json["status"] as? String == replayed[slug]?.status, "\(slug)")
        }

        func count(_ name: String) -> Int { done.filter { $0.action.name == name }.count }
        print("load: \(processes) processes × \(Int(seconds)) s: \(all.count) attempts, \(count("promote")) promoted, "
              + "\(count("rollback")) rolled back, \(count("ack")) acknowledged, \(count("pause")) paused, \(count("resume")) resumed, "
              + "\(refused.count) refused, \(silent.count + other.count) failed, \(lost) lost, \(duplicated) duplicated, "
              + "chain \(verify.status == 0 ? "ok" : "BROKEN"); \(events.count) audit events in \(releases.count) releases")
    }
}
