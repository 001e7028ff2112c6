import Foundation
import Testing
import GatewatchUI

/// The theme files shipped in themes/: they parse, set only known roles, and never carry meaning by colour alone.
@Suite struct ThemeFileTests {
    static let themesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("themes")

    static func files() throws -> [(name: String, text: String)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: themesDirectory.path).filter { $0.hasSuffix(".yaml") }.sorted()
        return try names.map { file in
            (String(file.dropLast(5)), try String(contentsOf: themesDirectory.appendingPathComponent(file), encoding: .utf8))
        }
    }

    static func theme(_ name: String) throws -> Theme {
        let text = try String(contentsOf: themesDirectory.appendingPathComponent(name + ".yaml"), encoding: .utf8)
        return try Theme.parse(yaml: text, name: name, base: .default)
    }

    /// Roles whose states must look different from each other with no colour at all.
    static let distinctGroups: [[String]] = [
        ["rule.ok", "rule.pending", "rule.firing", "rule.acknowledged", "rule.inconclusive", "selection"],
        ["stage.done", "stage.active", "stage.pending", "stage.failed"],
        ["delta.good", "delta.bad"],
        ["status.ok", "status.stale", "status.error"],
        ["histogram.champion", "histogram.challenger"],
    ]

    static func colorlessProblems(_ theme: Theme) -> [String] {
        var problems: [String] = []
        for group in distinctGroups {
            for (i, a) in group.enumerated() {
                for b in group[(i + 1)...] where theme.style(a) == theme.style(b) {
                    problems.append("\(theme.name): \(a) and \(b) look the same without colour")
                }
            }
        }
        return problems
    }

    @Test func theRequiredThemesShip() throws {
        let names = try Self.files().map(\.name)
        for required in ["default", "high-contrast", "mono"] { #expect(names.contains(required), "themes/\(required).yaml missing") }
        #expect(names.contains { ["solarized-dark", "gruvbox"].contains($0) }, "no popular palette in themes/")
    }

    @Test func everyThemeFileParsesAndSetsOnlyKnownRoles() throws {
        let files = try Self.files()
        #expect(!files.isEmpty)
        for file in files {
            let theme = try Theme.parse(yaml: file.text, name: file.name, base: .default)
            #expect(theme.name == file.name, "themes/\(file.name).yaml: `name:` differs from the file name")
            #expect(Theme.unknownRoles(inYAML: file.text).isEmpty, "themes/\(file.name).yaml: \(Theme.unknownRoles(inYAML: file.text))")
            #expect(Set(theme.roles.keys) == Set(Theme.knownRoles), "themes/\(file.name).yaml")
        }
    }

    @Test func defaultAndMonoFilesAreTheBuiltIns() throws {
        #expect(try Self.theme("default").roles == Theme.default.roles)
        #expect(try Self.theme("mono").roles == Theme.mono.roles)
    }

    @Test func sixteenColourThemesUseNoPaletteIndex() throws {
        for name in ["default", "high-contrast", "mono"] {
            for (role, style) in try Self.theme(name).roles {
                for color in [style.foreground, style.background] {
                    if case .indexed = color { Issue.record("\(name): \(role) uses a 256-colour index") }
                }
            }
        }
        for style in try Self.theme("mono").roles.values {
            #expect(style.foreground == .default && style.background == .default)
        }
    }

    /// NO_COLOR (and colour folded away) must leave every state distinguishable by bold/dim/underline/reverse.
    @Test func meaningSurvivesWithoutColour() throws {
        #expect(Self.colorlessProblems(Theme.mono) == [])
        #expect(Self.colorlessProblems(Theme.default.forNoColor()) == [])
        // Why NO_COLOR turns the default into mono: merely stripping its colours would merge states.
        #expect(!Self.colorlessProblems(Theme.default.withoutColor()).isEmpty)
        for file in try Self.files() {
            let theme = try Theme.parse(yaml: file.text, name: file.name, base: .default)
            #expect(Self.colorlessProblems(theme.forNoColor()) == [])
        }
        // Firing, pending and the selection in particular, in mono.
        let mono = Theme.mono
        #expect(mono.style("rule.firing").bold && mono.style("rule.firing").reverse)
        #expect(mono.style("rule.pending").underline)
        #expect(mono.style("selection").reverse && !mono.style("selection").bold)
    }

    @Test func forNoColorStripsEveryColour() throws {
        for file in try Self.files() {
            let theme = try Theme.parse(yaml: file.text, name: file.name, base: .default).forNoColor()
            #expect(theme.name == file.name)
            #expect(theme.roles.values.allSatisfy { $0.foreground == .default && $0.background == .default }, "\(file.name)")
        }
        // The default becomes mono rather than a colourless default (where ok and pending would look alike).
        #expect(Theme.default.forNoColor().roles == Theme.mono.roles)
        // Other themes keep their attributes.
        let custom = Theme(name: "c", roles: ["rule.firing": Style(foreground: .red, bold: true)])
        #expect(custom.forNoColor().style("rule.firing") == Style(bold: true))
    }

    @Test func unknownRolesAreReportedWithPositions() {
        let yaml = """
            roles:
              rule.firing: red
              rule.fring: { fg: red }
            """
        let findings = Theme.unknownRoles(inYAML: yaml)
        #expect(findings.count == 1)
        #expect(findings.first?.line == 3)
        #expect(findings.first?.column == 3)
        #expect(findings.first?.message.contains("rule.fring") == true)
        #expect(findings.first?.hint?.contains("rule.firing") == true)
    }
}
