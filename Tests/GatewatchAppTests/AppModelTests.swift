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
        for binding in KeyTable.default.bindings { #expect(text.contains(binding.help), "help lacks \(binding.help)") }
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
    /// The README's key table is the key table: a binding added, removed or reworded without the README fails here.
    @Test func readmeListsEveryBinding() throws {
        let readme = try String(contentsOf: SnapshotSupport.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## Keys").dropFirst().first)
        let rows = section.components(separatedBy: "\n## ").first!.split(separator: "\n").filter { $0.hasPrefix("| `") }
        let expected = KeyTable.default.bindings.map { "| `\($0.label)` | \($0.help) |" }
        #expect(rows.map(String.init) == expected)
    }
}
