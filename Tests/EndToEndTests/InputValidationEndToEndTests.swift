import Foundation
import Testing

/// The real binary on broken scenario folders: every problem on stderr as `file:line:column: message (hint: …)`,
/// exit status 2 and nothing on stdout; unknown keys are warnings on stderr that do not stop the command.
@Suite("input validation (end to end)")
struct InputValidationEndToEndTests {
    let binary: URL
    init() throws { binary = try TmuxSession.gatewatchBinary() }

    static var sampleData: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("sample-data").path
    }

    /// A copy of the healthy sample scenario as `x` under a fresh folder, with release.yaml rewritten by `edit`.
    static func folder(_ edit: (String) -> String) throws -> (root: String, release: String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("gw-input-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: sampleData + "/fraud-canary-healthy", toPath: root + "/x")
        let release = root + "/x/release.yaml"
        try edit(try String(contentsOfFile: release, encoding: .utf8)).write(toFile: release, atomically: true, encoding: .utf8)
        return (root, release)
    }

    @Test func everyProblemOfABrokenSpecIsOnStderrWithExitStatus2() throws {
        let (root, release) = try Self.folder {
            $0.replacingOccurrences(of: "kind: canary, traffic: 25,", with: "kind: canary, traffic: 2,")
                .replacingOccurrences(of: "    threshold: 0.3\n", with: "    threshold: 300\n")
        }
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = try ProcessResult.run(binary, ["check", "--sample-data", root, "--scenario", "x", "--at", "2h"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.split(separator: "\n").map(String.init) == [
            "gatewatch: \(release):33:48: stage `canary-25` serves 2% of traffic, less than `canary-5` before it (5%) (hint: traffic must not decrease from one stage to the next; reorder the stages)",
            "gatewatch: \(release):62:16: threshold 300 is out of range for latency_p99 (above 0, at most 60 s) (hint: latency is in seconds: write 0.3 for 300 ms)",
        ])
    }

    @Test func unknownKeysAreWarningsAndTheCommandStillRuns() throws {
        let (root, release) = try Self.folder {
            $0.replacingOccurrences(of: "owner: ana.lima\n", with: "owner: ana.lima\nbogus_key: 1\n")
                .replacingOccurrences(of: "kind: canary, traffic: 5,", with: "kind: canary, colour: red, traffic: 5,")
        }
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = try ProcessResult.run(binary, ["check", "--sample-data", root, "--scenario", "x", "--at", "2h", "--format", "json"])
        #expect(result.status == 10, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("{"))
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(result.stderr)")
        #expect(lines.first?.hasPrefix("gatewatch: warning: \(release):8:1: unknown key `bogus_key` (ignored) (hint: known keys here: ") == true, "\(result.stderr)")
        #expect(lines.last == "gatewatch: warning: \(release):33:39: unknown key `colour` in stages[2] (ignored) (hint: known keys here: bake, kind, name, requires_approval, traffic)")
    }

    @Test func importOfABrokenSpecListsEveryProblem() throws {
        let (root, release) = try Self.folder {
            $0.replacingOccurrences(of: "  block: 0.85\n", with: "  block: 1.5\n")
                .replacingOccurrences(of: "min_events: 50", with: "min_events: -50")
        }
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = try ProcessResult.run(binary, ["import", "--release-spec", release, "--store", root + "/store.sqlite", "--started", "2026-11-02T09:00:00Z"])
        #expect(result.status == 2, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(result.stderr)")
        #expect(lines.first?.hasPrefix("gatewatch: \(release):20:10: block threshold 1.5 is outside (0, 1]") == true, "\(result.stderr)")
        #expect(lines.dropFirst().allSatisfy { $0.contains("min_events cannot be negative (-50)") })
    }
}
