import Foundation
import Testing
import GatewatchUI
@testable import GatewatchApp

/// Theme files as `ThemeLoader` reads them: unknown keys and roles are `file:line:column` warnings and the theme is
/// still used; a bad value gives the default theme and one `file:line:column` warning with a hint.
@Suite struct ThemeFileWarningTests {
    static func themes(_ files: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gw-themes-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: dir + "/\(name).yaml", atomically: true, encoding: .utf8) }
        return dir
    }

    @Test func unknownKeysAndRolesAreWarnedAndTheThemeIsUsed() throws {
        let dir = try Self.themes(["typo": "roles:\n  rule.firing: { fg: magenta, bol: true }\n  stage.actve: red\nextra: 1\n"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (theme, warning) = ThemeLoader.load(name: "typo", searchPaths: [dir], environment: [:])
        #expect(theme.style("rule.firing").foreground == .magenta)
        #expect(warning?.split(separator: "\n").map(String.init) == [
            "\(dir)/typo.yaml:2:31: unknown style key `bol` (ignored) (hint: did you mean `bold`?)",
            "\(dir)/typo.yaml:3:3: unknown role `stage.actve` (ignored) (hint: did you mean `stage.active`?)",
            "\(dir)/typo.yaml:4:1: unknown key `extra` (ignored) (hint: a theme file has `roles:` and optionally `name:`)",
        ])
        // `:theme typo` switches to it, with the warning.
        let resolved = ThemeLoader.resolve(name: "typo", searchPaths: [dir], environment: [:])
        #expect(resolved.theme?.style("rule.firing").foreground == .magenta)
        #expect(resolved.message == warning)
    }

    @Test func theConfigPrintsOneWarningPerLine() throws {
        let dir = try Self.themes(["typo": "roles:\n  stage.actve: red\nextra: 1\n"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let loaded = try LoadedConfig.load(path: nil, environment: ["XDG_CONFIG_HOME": dir + "/none"], themeOverride: "typo", themeSearchPaths: [dir])
        #expect(loaded.allWarnings.count == 2)
        #expect(loaded.allWarnings.allSatisfy { $0.hasPrefix(dir + "/typo.yaml:") })
    }

    @Test func aBadValueFallsBackToTheDefaultWithItsPositionAndAHint() throws {
        let dir = try Self.themes(["bad": "roles:\n  title: { fg: \"#ff0000\" }\n"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (theme, warning) = ThemeLoader.load(name: "bad", searchPaths: [dir], environment: [:])
        #expect(theme == .default)
        #expect(warning == "\(dir)/bad.yaml:2:16: unknown colour `#ff0000`; using the default theme (hint: hex colours are not supported; use a name or a palette number 0-255)")
    }
}
