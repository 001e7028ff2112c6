import Testing
import GatewatchApp
import GatewatchUI

@Suite struct AppModelTests {
    @Test func helpTogglesAndEscapeCloses() throws {
        var model = AppModel()
        let redrawForHelp = model.handle(.character("?"))
        #expect(redrawForHelp)
        #expect(model.showingHelp)
        let context = RenderContext(width: 80, height: 24, now: 0)
        let text = model.render(context).plainText()
        #expect(text.contains(HelpOverlay.title))
        // With no release read yet the help still names the keys that work everywhere.
        #expect(text.contains("Everywhere"))
        for action in [AppAction.help, .quit, .command] { #expect(text.contains(KeyTable.default.binding(for: action)!.label)) }
        let redrawForEscape = model.handle(.escape)
        #expect(redrawForEscape)
        #expect(!model.showingHelp)
    }

    @Test func quitKeys() {
        var a = AppModel()
        _ = a.handle(.character("q"))
        #expect(a.shouldQuit)
        var b = AppModel()
        _ = b.handle(.control("c"))
        #expect(b.shouldQuit)
        var c = AppModel()
        let unbound = c.handle(.character("Z"))
        #expect(!unbound)
        #expect(!c.shouldQuit)
    }

    @Test func everyBindingHasAUniqueKey() {
        var seen: [Key: String] = [:]
        for binding in KeyTable.default.bindings {
            for key in binding.keys {
                #expect(seen[key] == nil, "\(key) bound twice")
                seen[key] = binding.label
            }
        }
    }
}

@Suite struct KeyDocumentationTests {
    /// docs/KEYS.md is the key table (KeysTests.keysDocumentIsUpToDate); the README points there instead of keeping
    /// a second copy that could go stale, and its one-line summary names only keys the table really has.
    @Test func readmePointsToTheKeyTable() throws {
        let readme = try String(contentsOf: SnapshotSupport.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "\n## Keys\n").dropFirst().first)
            .components(separatedBy: "\n## ").first!
        #expect(section.contains("[docs/KEYS.md](docs/KEYS.md)"))
        #expect(section.contains("gatewatch keys --markdown"))
        #expect(!section.contains("| `"), "the README keeps no copy of the key table")
        let summary: [(String, AppAction)] = [("`?` help", .help), ("`q` quit", .quit), ("`tab` next panel", .nextPanel),
                                              ("`enter` opens the row", .explain), ("`esc` back", .back), ("`/` filter", .filter),
                                              ("`s` sort", .sort), ("`E` events", .events), ("`L` audit log", .audit),
                                              ("`R` review", .review), ("`:` command line", .command)]
        for (text, action) in summary {
            #expect(section.contains(text), "README summary lacks \(text)")
            let key = String(text.dropFirst().prefix { $0 != "`" })
            #expect(KeyTable.default.action(for: Key(name: key)!) == action, "README says \(key) is \(action)")
        }
    }
}
