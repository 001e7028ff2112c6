import Foundation
import Testing
import GatewatchUI

/// A theme file with nested anchors (an "alias bomb") is refused with the limit, and the role check gives up on it.
@Suite struct ThemeAliasLimitTests {
    static func bomb(levels: Int) -> String {
        var lines = ["l0: &a0 [x, x, x, x, x, x, x, x, x]"]
        for level in 1..<levels {
            lines.append("l\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func aThemeWithAnAliasBombIsRefused() throws {
        let yaml = Self.bomb(levels: 6) + "roles:\n  rule.ok: { fg: green }\n"
        let started = Date()
        let error = #expect(throws: ThemeError.self) { try Theme.parseWithWarnings(yaml: yaml, name: "bomb", base: .default) }
        #expect(Date().timeIntervalSince(started) < 2)
        #expect(error?.message == "too many aliases/nodes after expanding anchors: limit 100000", "\(String(describing: error))")
        #expect(Theme.unknownRoles(inYAML: yaml).isEmpty)
    }

    /// Composing hashes a mapping's keys to find duplicates, and an aliased key is hashed through its whole
    /// expansion: with `*a8` (9⁸ nodes) as a key the tree never finished composing, so a check on the tree came too
    /// late. The text's events are counted first.
    @Test(.timeLimit(.minutes(1))) func aThemeWhoseKeyIsAnAliasBombIsRefusedBeforeItIsComposed() throws {
        let yaml = Self.bomb(levels: 9) + "keys: { *a8: 1, *a7: 2 }\nroles:\n  rule.ok: { fg: green }\n"
        let started = Date()
        let error = #expect(throws: ThemeError.self) { try Theme.parseWithWarnings(yaml: yaml, name: "bomb", base: .default) }
        #expect(Date().timeIntervalSince(started) < 2)
        #expect(error?.message == "too many aliases/nodes after expanding anchors: limit 100000", "\(String(describing: error))")
        #expect(Theme.unknownRoles(inYAML: yaml).isEmpty)
    }
}
