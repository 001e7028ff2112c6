import Foundation
import Testing
import GatewatchCore
@testable import GatewatchStores

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
}
