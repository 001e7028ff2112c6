import Foundation
import Testing
import GatewatchCore
@testable import GatewatchScenario

@Suite struct ScenarioLoaderTests {
    @Test func theSampleScenarioLoads() throws {
        let s = try TestSupport.healthyScenario()
        #expect(s.name == "fraud-canary-healthy")
        #expect(s.release.slug == "fraud-scoring-v8")
        #expect(s.release.stages.map(\.name) == ["shadow", "canary-1", "canary-5", "canary-25", "ab-50", "full"])
        #expect(s.release.stages[2].bakeSeconds == 45 * 60)
        #expect(s.release.rules.first { $0.name == "segment-precision-guardrail" }?.windowSeconds == 3600)
        #expect(s.simulation.start == 1_793_610_000)  // date -u -d 2026-11-02T09:00:00Z +%s
        #expect(s.simulation.step == 60)
        #expect(s.simulation.labelDelay == 1200)
        #expect(ScenarioLoader.list(root: TestSupport.sampleDataRoot).map(\.name).contains("fraud-canary-healthy"))
    }

    /// Copies the sample scenario into a temporary root, with `release.yaml` rewritten by `edit`.
    func brokenScenario(_ edit: (String) -> String) throws -> (root: URL, releasePath: String, text: String) {
        let root = try TestSupport.temporaryDirectory()
        let dir = root.appendingPathComponent("broken")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let source = TestSupport.sampleDataRoot + "/fraud-canary-healthy"
        try FileManager.default.copyItem(atPath: source + "/simulation.yaml", toPath: dir.appendingPathComponent("simulation.yaml").path)
        let text = edit(try String(contentsOfFile: source + "/release.yaml", encoding: .utf8))
        let releasePath = dir.appendingPathComponent("release.yaml").path
        try text.write(toFile: releasePath, atomically: true, encoding: .utf8)
        return (root, releasePath, text)
    }

    /// 1-based number of the first line containing `needle`.
    func line(of needle: String, in text: String) -> Int? {
        text.components(separatedBy: "\n").firstIndex { $0.contains(needle) }.map { $0 + 1 }
    }

    func load(_ root: URL) -> InputError? {
        #expect(throws: InputError.self) { try ScenarioLoader.load("broken", root: root.path) }
    }

    @Test
    func badIndentationIsASyntaxErrorAtItsLine() throws {
        let (root, path, text) = try brokenScenario {
            $0.replacingOccurrences(of: "  block: 0.85\n", with: " block: 0.85\n")
        }
        defer { TestSupport.cleanUp(root) }
        let bad = try #require(line(of: " block: 0.85", in: text))
        let error = try #require(load(root))
        #expect(error.file == path)
        #expect(error.line == bad)
        #expect(error.message.hasPrefix("YAML syntax:"))
        #expect(error.description.hasPrefix("\(path):\(bad):"))
    }

    @Test func aTrafficThatIsNotANumberPointsAtTheStage() throws {
        let (root, path, text) = try brokenScenario {
            $0.replacingOccurrences(of: "kind: canary, traffic: 5,", with: "kind: canary, traffic: \"lots\",")
        }
        defer { TestSupport.cleanUp(root) }
        let bad = try #require(line(of: "\"lots\"", in: text))
        let error = try #require(load(root))
        #expect(error.file == path)
        #expect(error.line == bad)
        #expect(error.message.contains("stages[2].traffic"), "\(error.message)")
        #expect(error.message.contains("number"), "\(error.message)")
        #expect(error.column != nil)
    }

    @Test func aMissingModelIsNamed() throws {
        let (root, path, text) = try brokenScenario {
            $0.replacingOccurrences(of: "model: card-fraud-scorer\n", with: "")
        }
        defer { TestSupport.cleanUp(root) }
        #expect(!text.contains("model: card"))
        let error = try #require(load(root))
        #expect(error.file == path)
        #expect(error.message == "missing key 'model'")
        #expect(error.hint == "add 'model:'")
        // the top-level mapping starts at the first key, under the comment
        #expect(error.line == line(of: "slug:", in: text))
    }

    @Test func aBadDurationPointsAtItsLine() throws {
        let (root, path, text) = try brokenScenario {
            $0.replacingOccurrences(of: "    for: 10m\n    severity: rollback", with: "    for: ten minutes\n    severity: rollback")
        }
        defer { TestSupport.cleanUp(root) }
        let error = try #require(load(root))
        #expect(error.file == path)
        #expect(error.line == line(of: "for: ten minutes", in: text))
        #expect(error.message.contains("'ten minutes' is not a duration"), "\(error.message)")
    }

    @Test func anInvalidReleaseReportsTheProblemAtItsNode() throws {
        let (root, path, text) = try brokenScenario {
            $0.replacingOccurrences(of: "kind: canary, traffic: 25,", with: "kind: canary, traffic: 2,")
        }
        defer { TestSupport.cleanUp(root) }
        let error = try #require(load(root))
        #expect(error.file == path)
        #expect(error.line == line(of: "traffic: 2,", in: text))
        #expect(error.column == 48)
        #expect(error.message == "stage `canary-25` serves 2% of traffic, less than `canary-5` before it (5%)")
        #expect(error.more.isEmpty)
    }

    @Test func aSlugWithAnEscapeSequenceIsRefusedWithoutEchoingIt() throws {
        let (root, path, _) = try brokenScenario {
            $0.replacingOccurrences(of: "slug: fraud-scoring-v8\n", with: "slug: \"fraud\\e]0;pwned\\a-v8\"\n")
        }
        defer { TestSupport.cleanUp(root) }
        let error = try #require(load(root))
        #expect(error.file == path)
        #expect(error.message.hasPrefix("slug \"fraud\\u{1B}]0;pwned\\u{7}-v8\" contains a control character (U+001B)"), "\(error.message)")
        #expect(error.message.contains("put free text in `title`"))
        #expect(!error.description.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
    }

    @Test func theHostileNamesScenarioLoadsWithEveryNameKept() throws {
        let s = try ScenarioLoader.load("hostile-names", root: TestSupport.sampleDataRoot)
        #expect(s.release.slug == "hostile-names-v2")
        #expect(s.release.title.contains("\u{1B}[2J") && s.release.title.contains("\u{202E}"))
        #expect(s.release.segments.map(\.key).contains("market=BR\u{1B}[2J\u{1B}[H,surface=web"))
        #expect(s.release.segments.contains { $0.key.contains("👩\u{200D}💻🇧🇷") })
        #expect(s.release.rules.map(\.name).contains("error-rate\u{1B}[2J\u{1B}[H"))
        #expect(s.release.stages.map(\.name).contains("canary-25\u{1B}]0;t\u{7}"))
    }

    @Test func anUnknownScenarioListsTheKnownOnes() throws {
        let error = try #require(#expect(throws: InputError.self) {
            try ScenarioLoader.load("no-such-scenario", root: TestSupport.sampleDataRoot)
        })
        #expect(error.message == "no scenario 'no-such-scenario'")
        #expect(error.hint?.hasPrefix("known scenarios: ") == true)
        #expect(error.hint?.contains("fraud-canary-healthy") == true)
        for bad in ["", "../etc", ".hidden"] {
            #expect(throws: InputError.self) { try ScenarioLoader.load(bad, root: TestSupport.sampleDataRoot) }
        }
    }
}
