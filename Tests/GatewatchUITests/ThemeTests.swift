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
        #expect(failure("roles:\n  title: { bold: maybe }").map { [$0.line, $0.column] } == [2, 18])
        #expect(failure("roles:\n  title: { fg: 256 }") != nil)
        #expect(failure("- a\n- b") != nil)
    }

    @Test func unknownKeysAreWarningsNotErrors() throws {
        let yaml = """
            name: mine
            colors: {}
            roles:
              title: { blink: true, bold: true }
              rule.fring: { fg: red }
              border: { backgroud: blue }
              zzz.qqq: red
            """
        let (theme, warnings) = try Theme.parseWithWarnings(yaml: yaml, name: "x", base: .default)
        #expect(theme.name == "mine")
        #expect(theme.style("title").bold)
        #expect(theme.style("border").background == Theme.default.style("border").background)
        #expect(warnings.map(\.description) == [
            "2:1: unknown key `colors` (ignored) (hint: a theme file has `roles:` and optionally `name:`)",
            "4:12: unknown style key `blink` (ignored) (hint: use fg, bg, bold, dim, underline, reverse)",
            "5:3: unknown role `rule.fring` (ignored) (hint: did you mean `rule.firing`?)",
            "6:13: unknown style key `backgroud` (ignored) (hint: did you mean `background`?)",
            "7:3: unknown role `zzz.qqq` (ignored) (hint: known roles: \(Theme.knownRoles.joined(separator: ", ")))",
        ])
        // `parse` alone ignores them.
        #expect(try Theme.parse(yaml: yaml, name: "x", base: .default) == theme)
        // A near miss of a top-level key.
        let near = try Theme.parseWithWarnings(yaml: "role:\n  title: red\n", name: "x", base: .default).warnings
        #expect(near.map(\.description) == ["1:1: unknown key `role` (ignored) (hint: did you mean `roles`? a theme file has `roles:` and optionally `name:`)"])
    }

    @Test func errorsCarryAHint() {
        func failure(_ yaml: String) -> ThemeError? {
            do throws(ThemeError) { _ = try Theme.parse(yaml: yaml, name: "x", base: .default); return nil } catch { return error }
        }
        #expect(failure("roles:\n  title: { bold: maybe }")?.description == "2:18: `bold` must be true or false (hint: write `bold: true` or `bold: false`)")
        #expect(failure("name: \"\"\nroles: {}")?.description == "1:7: `name` must be a non-empty string (hint: e.g. `name: my-theme`)")
        #expect(failure("roles:\n  title: red\n  title: blue\n")?.hint == "each role may appear only once")
    }
}
