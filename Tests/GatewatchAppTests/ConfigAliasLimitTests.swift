import Foundation
import Testing
import GatewatchApp
import GatewatchCore

/// A config file with nested anchors (an "alias bomb") is refused before any of it is read, with the file and limit.
@Suite struct ConfigAliasLimitTests {
    static func bomb(levels: Int) -> String {
        var lines = ["l0: &a0 [x, x, x, x, x, x, x, x, x]"]
        for level in 1..<levels {
            lines.append("l\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func aConfigWithAnAliasBombIsRefused() throws {
        let started = Date()
        let error = #expect(throws: InputError.self) { try GatewatchConfig.parse(yaml: Self.bomb(levels: 6) + "theme: mono\n", file: "gw.yaml") }
        #expect(Date().timeIntervalSince(started) < 2)
        #expect(error?.file == "gw.yaml")
        #expect(error?.message == "too many aliases/nodes after expanding anchors: limit 100000", "\(String(describing: error))")
    }

    @Test func aSourceSectionThatAliasesABombIsRefused() throws {
        let yaml = Self.bomb(levels: 6) + "registry: { kind: mlflow, url: http://127.0.0.1:5000, tags: *a5 }\n"
        let error = #expect(throws: InputError.self) { try GatewatchConfig.parse(yaml: yaml, file: "gw.yaml") }
        #expect(error?.message == "too many aliases/nodes after expanding anchors: limit 100000", "\(String(describing: error))")
    }
}
