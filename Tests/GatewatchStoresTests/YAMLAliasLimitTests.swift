import Foundation
import Testing
import GatewatchCore
@testable import GatewatchScenario
import GatewatchYAML
import Yams

/// Release specs and simulations with nested anchors (an "alias bomb"): refused before decoding, quickly, with the
/// file, the place and the limit, instead of expanding 9ⁿ nodes.
@Suite struct YAMLAliasLimitTests {
    /// `levels` lines of nested anchors, each referencing the one before nine times.
    static func bomb(levels: Int) -> String {
        var lines = ["l0: &a0 [x, x, x, x, x, x, x, x, x]"]
        for level in 1..<levels {
            lines.append("l\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static var healthyRelease: String {
        get throws { try String(contentsOfFile: TestSupport.sampleDataRoot + "/fraud-canary-healthy/release.yaml", encoding: .utf8) }
    }

    @Test func aReleaseSpecWithAnAliasBombIsRefusedWithTheLimit() throws {
        let text = Self.bomb(levels: 6) + (try Self.healthyRelease)
        let started = Date()
        let error = #expect(throws: InputError.self) { try YAMLDocument<Release>.load(yaml: text, file: "bomb/release.yaml") }
        #expect(Date().timeIntervalSince(started) < 2)
        #expect(error?.file == "bomb/release.yaml")
        #expect(error?.message == "too many aliases/nodes after expanding anchors: limit 100000", "\(String(describing: error))")
        #expect(error?.line != nil)
    }

    @Test func aSimulationReadThroughYAMLFileIsRefusedToo() throws {
        let started = Date()
        let error = #expect(throws: InputError.self) {
            try YAMLFile.decode(SimulationModel.self, yaml: Self.bomb(levels: 6) + "description: x\n", file: "bomb/simulation.yaml")
        }
        #expect(Date().timeIntervalSince(started) < 2)
        #expect(error?.text.hasPrefix("bomb/simulation.yaml:") == true, "\(String(describing: error))")
        #expect(error?.message == "too many aliases/nodes after expanding anchors: limit 100000")
    }

    @Test func aSpecUnderTheLimitStillLoads() throws {
        // 9³ = 729 expanded nodes: aliases are allowed, only their expansion is bounded.
        let file = try YAMLDocument<Release>.load(yaml: Self.bomb(levels: 3) + (try Self.healthyRelease), file: "ok/release.yaml")
        #expect(file.value.slug.isEmpty == false)
        #expect(file.warnings.map(\.message).contains("unknown key `l2` (ignored)"))
    }

    /// An alias used as a mapping key is expanded while the tree is composed (Yams hashes keys to find duplicates):
    /// refused from the text's events, before composing, at the line of the key that crossed the limit.
    @Test(.timeLimit(.minutes(1))) func anAliasBombUsedAsAKeyIsRefusedBeforeComposing() throws {
        let text = Self.bomb(levels: 9) + "keys: { *a8: 1, *a7: 2 }\n" + (try Self.healthyRelease)
        let started = Date()
        let error = #expect(throws: InputError.self) { try YAMLDocument<Release>.load(yaml: text, file: "bomb/release.yaml") }
        #expect(Date().timeIntervalSince(started) < 2)
        #expect(error?.message == "too many aliases/nodes after expanding anchors: limit 100000", "\(String(describing: error))")
        // Level 6 is the first whose anchor alone is beyond 100,000 (9⁶ = 531,441), on line 6.
        #expect(error?.line == 6, "\(String(describing: error))")
        let decoded = #expect(throws: InputError.self) { try YAMLFile.decode(SimulationModel.self, yaml: text, file: "bomb/simulation.yaml") }
        #expect(decoded?.message == "too many aliases/nodes after expanding anchors: limit 100000")
    }

    /// The count follows anchors exactly: five levels expand to 10 + 91 + 820 + 7,381 + 66,430 = 74,732 nodes,
    /// which with the release itself is under the limit, so they load.
    @Test func anExpansionUnderTheLimitLoads() throws {
        let file = try YAMLDocument<Release>.load(yaml: Self.bomb(levels: 5) + (try Self.healthyRelease), file: "ok/release.yaml")
        #expect(file.value.slug.isEmpty == false)
    }

    /// The limit is on nodes as a decoder visits them: `{k: &x [1, 2], j: *x}` is the mapping, two keys and the
    /// sequence twice (three nodes each), nine in all.
    @Test func theCountIsExactAndFollowsAliases() throws {
        let yaml = "{k: &x [1, 2], j: *x}"
        #expect(try YAMLLimits.compose(yaml: yaml, maximumNodes: 9)?.mapping?.count == 2)
        let error = #expect(throws: YAMLLimitError.self) { try YAMLLimits.compose(yaml: yaml, maximumNodes: 8) }
        #expect(error?.line == 1 && error?.column == 19, "\(String(describing: error))")
        // A syntax error is still Yams' own, with its position.
        #expect(throws: YamlError.self) { try YAMLLimits.compose(yaml: "{k: [1, 2", maximumNodes: 9) }
    }
}
