import Testing
@testable import GatewatchUI

@Suite struct ThemeTests {
    @Test func lookupFallsBackByDroppingComponents() {
        let red = Style(foreground: .red)
        let theme = Theme(name: "t", roles: ["rule": Style(bold: true), "rule.firing": red])
        #expect(theme.style("rule.firing.bold") == red)
        #expect(theme.style("rule.firing") == red)
        #expect(theme.style("rule.ok") == Style(bold: true))
        #expect(theme.style("rule") == Style(bold: true))
        #expect(theme.style("stage.active") == .plain)
        #expect(theme.style("") == .plain)
    }

    @Test func builtInThemesDefineEveryRole() {
        for theme in [Theme.default, .mono] {
            for role in Theme.knownRoles {
                #expect(theme.roles[role] != nil, "\(theme.name) lacks \(role)")
            }
        }
        // Default: 16 ANSI colours only. Mono: no colour at all, and the important states stand out.
        for style in Theme.default.roles.values {
            for color in [style.foreground, style.background] {
                if case .indexed = color { Issue.record("default theme uses a 256-colour index") }
            }
        }
        for style in Theme.mono.roles.values {
            #expect(style.foreground == .default && style.background == .default)
        }
        for role in ["stage.active", "rule.firing", "selection", "status.error"] {
            #expect(Theme.mono.style(role) != .plain, "\(role) invisible in mono")
        }
    }

    @Test func withoutColorKeepsAttributes() {
        let t = Theme.default.withoutColor()
        #expect(t.style("rule.firing") == Style(bold: true))
        #expect(t.style("selection") == Style(reverse: true))
        #expect(t.roles.values.allSatisfy { $0.foreground == .default && $0.background == .default })
    }

    @Test func parsePartialOverride() throws {
        let yaml = """
            name: solarized-ish
            roles:
              rule.firing: { fg: magenta }
              delta.bad: 9
              new.role:
                bg: 200
                underline: yes
                bold: false
              title: { fg: bright_yellow, reverse: true }
            """
        let t = try Theme.parse(yaml: yaml, name: "file", base: .default)
        #expect(t.name == "solarized-ish")
        #expect(t.style("rule.firing") == Style(foreground: .magenta, bold: true)) // bold kept from base
        #expect(t.style("delta.bad") == Style(foreground: .brightRed, bold: true))
        #expect(t.style("new.role") == Style(background: .indexed(200), underline: true))
        #expect(t.style("title") == Style(foreground: .brightYellow, bold: true, reverse: true))
        #expect(t.style("stage.active") == Theme.default.style("stage.active"))      // untouched
        let empty = try Theme.parse(yaml: "", name: "empty", base: .mono)
        #expect(empty.roles == Theme.mono.roles && empty.name == "empty")
    }

    @Test func badYamlReportsPosition() {
        let yaml = """
            roles:
              title: { fg: red
              border: { fg: blue }
            """
        #expect {
            _ = try Theme.parse(yaml: yaml, name: "bad", base: .default)
        } throws: { error in
            guard let e = error as? ThemeError else { return false }
            return e.line == 3 && e.column == 9 && e.message.hasPrefix("invalid YAML")
        }
    }

    @Test func unknownColourReportsItsPosition() {
        let yaml = """
            roles:
              title:
                fg: redd
            """
        do throws(ThemeError) {
            _ = try Theme.parse(yaml: yaml, name: "bad", base: .default)
            Issue.record("no error")
        } catch {
            #expect(error.line == 3)
            #expect(error.column == 9)
            #expect(error.message == "unknown colour `redd`")
            #expect(error.hint?.contains("bright-") == true)
            #expect(error.description.hasPrefix("3:9: unknown colour `redd`"))
        }
    }

    @Test func otherMistakesAreErrors() {
        func failure(_ yaml: String) -> ThemeError? {
            do throws(ThemeError) { _ = try Theme.parse(yaml: yaml, name: "x", base: .default); return nil } catch { return error }
        }
        #expect(failure("roles:\n  title: { fg: \"#ff0000\" }")?.hint?.contains("hex") == true)
        #expect(failure("colors: {}").map { [$0.line, $0.column] } == [1, 1])
        #expect(failure("roles:\n  title: { blink: true }")?.message == "unknown style key `blink`")
        #expect(failure("roles:\n  title: { bold: maybe }").map { [$0.line, $0.column] } == [2, 18])
        #expect(failure("roles:\n  title: { fg: 256 }") != nil)
        #expect(failure("- a\n- b") != nil)
    }
}
