import Foundation
import Testing
import GatewatchApp
import GatewatchCore
import GatewatchUI

@Suite struct ConfigTests {
    static func temporaryDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "gatewatch-config-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func goodFile() throws {
        let yaml = """
            # my settings
            theme: solarized-dark
            refresh: 2.5
            operator:
              name: Ada Lovelace
              role: on-call
            keys:
              moveDown: [N, down]
              moveUp: [e, up]
              help: "?"
              pageDown: [pgdn, ctrl-d, J]
            """
        let config = try GatewatchConfig.parse(yaml: yaml, file: "gw.yaml")
        #expect(config.warnings == [])
        #expect(config.theme == "solarized-dark")
        #expect(config.refresh == 2.5)
        #expect(config.operatorName == "Ada Lovelace")
        #expect(config.role == .oncall)
        #expect(config.keys[.moveDown] == [.character("N"), .down])
        #expect(config.keys[.help] == [.character("?")])
        #expect(config.keyTable.action(for: .control("d")) == .pageDown)
        #expect(config.keyTable.action(for: .character("J")) == .pageDown)
        #expect(config.keyTable.binding(for: .moveUp)?.label == "e ↑")
    }

    @Test func emptyFileGivesTheDefaults() throws {
        for yaml in ["", "# nothing\n", "keys:\n"] {
            let config = try GatewatchConfig.parse(yaml: yaml, file: "gw.yaml")
            #expect(config.theme == nil && config.refresh == nil && config.role == nil && config.warnings == [])
            #expect(config.keyTable.bindings.map(\.keys) == KeyTable.default.bindings.map(\.keys))
        }
    }

    @Test func unknownKeysAreWarningsWithPositions() throws {
        let yaml = """
            theme: mono
            colour: yes
            operator:
              name: Ada
              shift: night
            keys:
              movedown: [n]
              jump: [x]
            sources:
              registry: { kind: mlflow }
            """
        let config = try GatewatchConfig.parse(yaml: yaml, file: "gw.yaml")
        #expect(config.theme == "mono")
        #expect(config.warnings.count == 5)
        #expect(config.warnings[0] == "gw.yaml:2:1: unknown key `colour` (ignored) (hint: known keys: theme, refresh, stale_after, future_skew, operator, keys, hooks, registry, metrics, alertmanager)")
        #expect(config.warnings[1].hasPrefix("gw.yaml:5:3: unknown key `operator.shift`"))
        #expect(config.warnings[2] == "gw.yaml:7:3: unknown action `movedown` (ignored) (hint: did you mean `moveDown`?)")
        #expect(config.warnings[3].hasPrefix("gw.yaml:8:3: unknown action `jump`"))
        #expect(config.warnings[4] == "gw.yaml:9:1: `sources` is not a section (ignored) (hint: write `registry:` and `metrics:` at the top level)")
        #expect(config.keys.isEmpty)
    }

    @Test func nearMissesOfKnownKeysSayWhatWasMeant() throws {
        let yaml = """
            refesh: 2
            operator: { rol: owner }
            keys:
              moveDonw: [n]
            """
        let config = try GatewatchConfig.parse(yaml: yaml, file: "gw.yaml")
        #expect(config.warnings == [
            "gw.yaml:1:1: unknown key `refesh` (ignored) (hint: did you mean `refresh`?)",
            "gw.yaml:2:13: unknown key `operator.rol` (ignored) (hint: did you mean `operator.role`?)",
            "gw.yaml:4:3: unknown action `moveDonw` (ignored) (hint: did you mean `moveDown`?)",
        ])
    }

    static func parseError(_ yaml: String) -> InputError? {
        do {
            _ = try GatewatchConfig.parse(yaml: yaml, file: "gw.yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test func badValuesAreErrorsWithPositions() throws {
        let role = try #require(Self.parseError("theme: mono\noperator:\n  name: Ada\n  role: boss\n"))
        #expect(role.description == "gw.yaml:4:9: unknown role `boss` (hint: use owner, oncall, reviewer)")
        let controller = try #require(Self.parseError("operator: { role: controller }"))
        #expect(controller.line == 1 && controller.column == 19)
        #expect(controller.hint?.contains("rollout controller") == true)

        let refresh = try #require(Self.parseError("refresh: often\n"))
        #expect(refresh.description == "gw.yaml:1:10: `refresh` must be a number of seconds from 0.1 to 3600 (hint: e.g. `refresh: 2`)")
        #expect(Self.parseError("refresh: 0\n")?.line == 1)

        let key = try #require(Self.parseError("keys:\n  quit: [q, ctrl-h]\n"))
        #expect(key.line == 2 && key.column == 13)
        #expect(key.message.contains("backspace"))
        let unknownKey = try #require(Self.parseError("keys:\n  quit: [q, shift-q]\n"))
        #expect(unknownKey.message == "unknown key `shift-q`")
        #expect(unknownKey.hint?.contains("ctrl-a") == true)

        let theme = try #require(Self.parseError("theme: ../etc/passwd\n"))
        #expect(theme.line == 1 && theme.column == 8)
        #expect(Self.parseError("- a\n- b\n")?.message.contains("mapping") == true)
        #expect(Self.parseError("keys: [j]\n")?.line == 1)
        #expect(Self.parseError("operator: Ada\n")?.column == 11)
    }

    @Test func yamlSyntaxErrorsHavePositions() throws {
        let error = try #require(Self.parseError("theme: mono\nkeys:\n  quit: [q\n"))
        #expect(error.file == "gw.yaml")
        #expect(error.line != nil && error.column != nil)
        let duplicate = try #require(Self.parseError("theme: a\ntheme: b\n"))
        #expect(duplicate.message.contains("duplicated"))
        // `?` unquoted is YAML syntax, not a key: the error says to quote it.
        if let question = Self.parseError("keys:\n  help: [?]\n") {
            #expect(question.line == 2)
            #expect(question.hint?.contains("\"?\"") == true)
        }
    }

    @Test func keyConflictIsAnErrorAtTheKey() throws {
        let error = try #require(Self.parseError("keys:\n  top: [x, j]\n"))
        #expect(error.line == 2 && error.column == 12)
        #expect(error.message == "key `j` would be bound to both `moveDown` and `top`")
        #expect(error.hint?.contains("moveDown: [down]") == true)
        let quit = try #require(Self.parseError("keys:\n  quit: []\n"))
        #expect(quit.line == 2)
    }

    @Test func loadUsesTheExplicitFileThenTheXDGFileThenDefaults() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let themes = dir + "/themes"
        try FileManager.default.createDirectory(atPath: themes, withIntermediateDirectories: true)
        try "roles:\n  rule.firing: { fg: magenta }\n".write(toFile: themes + "/pink.yaml", atomically: true, encoding: .utf8)

        // Nothing: built-in defaults.
        let none = try LoadedConfig.load(path: nil, environment: ["XDG_CONFIG_HOME": dir + "/empty"], themeSearchPaths: [themes])
        #expect(none.file == nil && none.themeName == "default" && none.theme == .default && none.allWarnings == [])

        // $XDG_CONFIG_HOME/gatewatch/config.yaml.
        try FileManager.default.createDirectory(atPath: dir + "/gatewatch", withIntermediateDirectories: true)
        try "theme: pink\nrefresh: 3\nkeys: { quit: [x] }\nfoo: 1\n".write(toFile: dir + "/gatewatch/config.yaml", atomically: true, encoding: .utf8)
        let xdg = try LoadedConfig.load(path: nil, environment: ["XDG_CONFIG_HOME": dir], themeSearchPaths: [themes])
        #expect(xdg.file == dir + "/gatewatch/config.yaml")
        #expect(xdg.theme.style("rule.firing").foreground == .magenta)
        #expect(xdg.refresh == 3)
        #expect(xdg.keys.action(for: .character("x")) == .quit)
        #expect(xdg.warnings.count == 1 && xdg.warnings[0].hasPrefix(dir + "/gatewatch/config.yaml:4:1: unknown key `foo`"))

        // --theme beats the file; NO_COLOR strips colours.
        let override = try LoadedConfig.load(path: nil, environment: ["XDG_CONFIG_HOME": dir, "NO_COLOR": "1"],
                                             themeOverride: "high-contrast-missing", themeSearchPaths: [themes])
        #expect(override.themeName == "high-contrast-missing")
        #expect(override.themeWarning?.contains("no theme `high-contrast-missing`") == true)
        #expect(override.themeWarning?.contains("pink") == true)
        #expect(override.theme.roles == Theme.mono.roles)

        // An explicit --config that is missing or broken is an error.
        #expect(throws: InputError.self) { try LoadedConfig.load(path: dir + "/nope.yaml", environment: [:], themeSearchPaths: [themes]) }
        try "operator: { role: boss }\n".write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
        do {
            _ = try LoadedConfig.load(path: dir + "/bad.yaml", environment: [:], themeSearchPaths: [themes])
            Issue.record("no error")
        } catch {
            #expect(error.description.hasPrefix(dir + "/bad.yaml:1:19: unknown role `boss`"))
        }
    }

    @Test func configDirectoryFollowsXDG() {
        #expect(GatewatchConfig.defaultPath(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/gatewatch/config.yaml")
        #expect(GatewatchConfig.defaultPath(environment: ["XDG_CONFIG_HOME": "", "HOME": "/h"]) == "/h/.config/gatewatch/config.yaml")
        #expect(GatewatchConfig.defaultPath(environment: ["HOME": "/h"]) == "/h/.config/gatewatch/config.yaml")
    }
}

@Suite struct ConfigThemeLoaderTests {
    static var repositoryThemes: String { SnapshotSupport.repositoryRoot.appendingPathComponent("themes").path }

    @Test func everyShippedThemeLoadsWithoutWarning() throws {
        let names = ThemeLoader.available(searchPaths: [Self.repositoryThemes])
        for required in ["default", "mono", "high-contrast", "solarized-dark", "gruvbox"] { #expect(names.contains(required)) }
        for name in names {
            let (theme, warning) = ThemeLoader.load(name: name, searchPaths: [Self.repositoryThemes], environment: [:])
            #expect(warning == nil, "\(name): \(warning ?? "")")
            #expect(theme.name == name)
            #expect(Set(theme.roles.keys).isSubset(of: Theme.knownRoles))
        }
        #expect(ThemeLoader.load(name: "mono", searchPaths: [Self.repositoryThemes], environment: [:]).theme.roles == Theme.mono.roles)
    }

    @Test func defaultSearchPathsFindTheRepositoryThemes() {
        let paths = ThemeLoader.defaultSearchPaths(environment: ["XDG_CONFIG_HOME": "/nonexistent-xdg"], executable: "")
        #expect(paths.first == "/nonexistent-xdg/gatewatch/themes")
        #expect(ThemeLoader.file(for: "gruvbox", searchPaths: paths) != nil)
        let withEnv = ThemeLoader.defaultSearchPaths(environment: ["XDG_CONFIG_HOME": "/x", "GATEWATCH_THEMES": "/t"], executable: "")
        #expect(Array(withEnv.prefix(2)) == ["/x/gatewatch/themes", "/t"])
    }

    @Test func userThemesComeFirst() throws {
        let dir = try ConfigTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "roles:\n  title: red\n".write(toFile: dir + "/gruvbox.yaml", atomically: true, encoding: .utf8)
        let (theme, warning) = ThemeLoader.load(name: "gruvbox", searchPaths: [dir, Self.repositoryThemes], environment: [:])
        #expect(warning == nil)
        #expect(theme.style("title") == Style(foreground: .red, bold: true))
        #expect(theme.style("rule.firing") == Theme.default.style("rule.firing")) // over the default, not the shipped gruvbox
    }

    @Test func badThemeFileGivesTheDefaultAndAPositionedWarning() throws {
        let dir = try ConfigTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "roles:\n  rule.firing: { fg: crimson }\n".write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
        let (theme, warning) = ThemeLoader.load(name: "bad", searchPaths: [dir], environment: [:])
        #expect(theme == .default)
        #expect(warning?.hasPrefix(dir + "/bad.yaml:2:22: unknown colour `crimson`") == true, "\(warning ?? "")")
        #expect(warning?.contains("(hint:") == true)

        try "roles: [\n".write(toFile: dir + "/syntax.yaml", atomically: true, encoding: .utf8)
        let syntax = ThemeLoader.load(name: "syntax", searchPaths: [dir], environment: [:])
        #expect(syntax.theme == .default)
        #expect(syntax.warning?.hasPrefix(dir + "/syntax.yaml:") == true)

        try "roles:\n  rule.fring: red\n".write(toFile: dir + "/typo.yaml", atomically: true, encoding: .utf8)
        let typo = ThemeLoader.load(name: "typo", searchPaths: [dir], environment: [:])
        #expect(typo.theme.name == "typo")
        #expect(typo.warning?.hasPrefix(dir + "/typo.yaml:2:3: unknown role `rule.fring`") == true)

        // Live switching keeps the current theme when the new one is broken or unknown.
        #expect(ThemeLoader.resolve(name: "bad", searchPaths: [dir], environment: [:]).theme == nil)
        #expect(ThemeLoader.resolve(name: "nope", searchPaths: [dir], environment: [:]).theme == nil)
        #expect(ThemeLoader.resolve(name: "mono", searchPaths: [dir], environment: [:]).theme == .mono)
        #expect(ThemeLoader.resolve(name: "typo", searchPaths: [dir], environment: [:]).theme?.name == "typo")
    }

    @Test func unknownNameListsTheAvailableThemes() {
        let (theme, warning) = ThemeLoader.load(name: "nord", searchPaths: [Self.repositoryThemes], environment: [:])
        #expect(theme == .default)
        #expect(warning?.contains("no theme `nord`") == true)
        #expect(warning?.contains("default, gruvbox, high-contrast, mono, solarized-dark") == true)
        let (_, bad) = ThemeLoader.load(name: "../secrets", searchPaths: [Self.repositoryThemes], environment: [:])
        #expect(bad?.contains("not a theme name") == true)
        // Built-ins work with no files at all.
        #expect(ThemeLoader.load(name: "mono", searchPaths: [], environment: [:]).theme == .mono)
        #expect(ThemeLoader.load(name: "default", searchPaths: [], environment: [:]).warning == nil)
    }

    @Test func noColorStripsColours() {
        for name in ["gruvbox", "solarized-dark", "high-contrast", "default"] {
            let (theme, _) = ThemeLoader.load(name: name, searchPaths: [Self.repositoryThemes], environment: ["NO_COLOR": "1"])
            #expect(theme.roles.values.allSatisfy { $0.foreground == .default && $0.background == .default }, "\(name)")
        }
        // An empty NO_COLOR does not count (no-color.org).
        let (colored, _) = ThemeLoader.load(name: "gruvbox", searchPaths: [Self.repositoryThemes], environment: ["NO_COLOR": ""])
        #expect(colored.style("rule.firing").foreground == .indexed(167))
        #expect(ThemeLoader.load(name: "default", searchPaths: [], environment: ["NO_COLOR": "x"]).theme.roles == Theme.mono.roles)
    }
}

/// The `registry:` and `metrics:` sections: the shipped example parses, and mistakes point at the line.
@Suite struct SourceConfigTests {
    @Test func shippedExampleParsesToMLflowAndPrometheus() throws {
        let path = SnapshotSupport.repositoryRoot.appendingPathComponent("docs/sources.example.yaml").path
        let config = try GatewatchConfig.read(path: path)
        #expect(config.warnings == [])
        guard case .mlflow(let registry)? = config.registry else { Issue.record("registry is not mlflow: \(String(describing: config.registry))"); return }
        guard case .prometheus(let metrics)? = config.metrics else { Issue.record("metrics is not prometheus"); return }
        #expect(registry.url.absoluteString == "http://127.0.0.1:5000")
        #expect(metrics.url.absoluteString == "http://127.0.0.1:9090")
        // The example's mapping for an exporter with names of its own.
        #expect(metrics.mapping.armLabel == "variant" && metrics.mapping.challengerValues == ["canary"])
        #expect(metrics.query(.decisions).render(release: "v8", step: 60) == "my_decisions_total{model_release=\"prod/v8\"}")
    }

    @Test func badSourceSectionsAreErrorsAtTheirLine() throws {
        let cases: [(String, String)] = [
            ("registry: { kind: oracle }\nmetrics: { kind: sqlite, path: x }", "gw.yaml:1:19: `oracle` is not a registry kind"),
            ("registry:\n  kind: mlflow\nmetrics: { kind: sqlite, path: x }", "registry"),
            ("metrics:\n  kind: prometheus\n  url: http://127.0.0.1:9090\n  step: soon\n", "gw.yaml:4"),
            ("metrics: { kind: sqlite, path: x, url: y }", "unknown key `metrics.url`"),
            ("metrics:\n  kind: prometheus\n  url: http://127.0.0.1:9090\n  mapping:\n    arm: { label: variant, champion: a, challenger: a }\n",
             "gw.yaml:5:10: metrics.mapping.arm: \"a\" is both a champion and a challenger value"),
            ("alertmanager:\n  url: http://127.0.0.1:9093\n  silence: 1h\n", "gw.yaml:3:12: alertmanager.silence: unknown key (known: url, bearer_token_env, headers, tls, timeout)"),
            ("alertmanager: { timeout: 5s }\n", "url is required"),
        ]
        for (yaml, expected) in cases {
            do {
                _ = try GatewatchConfig.parse(yaml: yaml, file: "gw.yaml")
                Issue.record("accepted: \(yaml)")
            } catch {
                #expect(error.description.contains(expected), "\(yaml) → \(error.description)")
            }
        }
    }

    @Test func oneSectionWithoutTheOtherIsRefusedWithAnExample() throws {
        #expect(throws: SourceConfigError.self) { try SourceOpener.open(registry: .sqlite(path: "/nonexistent"), metrics: nil) }
        do {
            _ = try SourceOpener.open(registry: nil, metrics: .sqlite(path: "x"))
        } catch let error as SourceConfigError {
            #expect(error.description.contains("no `registry`"))
        }
        #expect(try SourceOpener.open(registry: nil, metrics: nil) == nil)
    }
}
