import Foundation
import Testing
import GatewatchApp
import GatewatchUI

@Suite struct KeysTests {
    static let everyKey: [Key] = {
        var keys: [Key] = [.up, .down, .left, .right, .enter, .escape, .tab, .backTab, .backspace, .delete,
                           .pageUp, .pageDown, .home, .end, .character(" ")]
        keys += (1...12).map { Key.function($0) }
        keys += "abcxyzABCXYZ019?/:[]{}|`'\"\\~!@#$%^&*()-_=+<>.,;é↓".map { Key.character($0) }
        keys += "abcdefgklnopqrstuvwxyz@\\]^_".map { Key.control($0) }
        return keys
    }()

    @Test func keyNamesRoundTrip() {
        for key in Self.everyKey {
            #expect(Key(name: key.configName) == key, "\(key) → \(key.configName)")
        }
    }

    @Test func keyNamesAndAliases() {
        let cases: [(String, Key)] = [
            ("q", .character("q")), ("G", .character("G")), ("ctrl-c", .control("c")), ("Ctrl-C", .control("c")),
            ("^L", .control("l")), ("ctrl+f", .control("f")), ("enter", .enter), ("Return", .enter), ("esc", .escape),
            ("escape", .escape), ("tab", .tab), ("shift-tab", .backTab), ("up", .up), ("DOWN", .down),
            ("pgup", .pageUp), ("pgdn", .pageDown), ("PageDown", .pageDown), ("home", .home), ("end", .end),
            ("f1", .function(1)), ("F12", .function(12)), ("space", .character(" ")), (" ", .character(" ")),
            ("?", .character("?")),
        ]
        for (name, key) in cases { #expect(Key(name: name) == key, "\(name)") }
        for bad in ["", "ctrl-h", "ctrl-m", "ctrl-[", "ctrl-1", "f0", "f64", "pagedn2", "shift-a", "\t", "qq"] {
            #expect(Key(name: bad) == nil, "\(bad) accepted")
            #expect(Key.nameProblem(bad) != nil)
        }
        #expect(Key.nameProblem("ctrl-h")?.contains("backspace") == true)
    }

    @Test func displayNamesMatchTheHelpLabels() {
        #expect(KeyBinding.label(for: [.character("j"), .down]) == "j ↓")
        #expect(KeyBinding.label(for: [.pageDown, .control("f")]) == "PgDn ^F")
        #expect(KeyBinding.label(for: [.character("G"), .end]) == "G End")
        #expect(KeyBinding.label(for: [.function(1), .character(" ")]) == "F1 space")
        // The default labels are made from the keys, so they can never disagree with them.
        for binding in KeyTable.default.bindings { #expect(binding.label == KeyBinding.label(for: binding.keys)) }
    }

    @Test func everyActionHasADefaultKey() {
        for action in AppAction.allCases {
            #expect(!(KeyTable.default.binding(for: action)?.keys.isEmpty ?? true), "\(action) has no default key")
        }
    }

    @Test func remappingReplacesKeysAndLabels() throws {
        let table = try KeyTable.default.applying([.moveDown: [.character("N"), .down], .help: [.function(1)]])
        #expect(table.action(for: .character("N")) == .moveDown)
        #expect(table.action(for: .character("j")) == nil)
        #expect(table.action(for: .down) == .moveDown)
        #expect(table.action(for: .function(1)) == .help)
        #expect(table.action(for: .character("?")) == nil)
        #expect(table.binding(for: .moveDown)?.label == "N ↓")
        #expect(table.binding(for: .help)?.label == "F1")
        #expect(table.binding(for: .moveDown)?.footer == "down")
        // Untouched bindings stay as they were, in the same order.
        #expect(table.bindings.map(\.action) == KeyTable.default.bindings.map(\.action))
        #expect(table.binding(for: .quit)?.keys == KeyTable.default.binding(for: .quit)?.keys)
        // A model with the table uses the new keys, and the help overlay shows them.
        var model = AppModel(keys: table)
        let oldKeyHandled = model.handle(.character("?"))
        #expect(!oldKeyHandled)
        let newKeyHandled = model.handle(.function(1))
        #expect(newKeyHandled)
        #expect(model.showingHelp)
        model.screen = .overview
        let text = model.render(RenderContext(width: 100, height: 30, now: 0)).plainText()
        #expect(text.contains("N k PgDn PgUp g G"), "the list keys' row names the new key:\n\(text)")
        #expect(text.contains("esc or F1 closes"))
    }

    @Test func remappingMayMoveAKeyWhenBothActionsAreRemapped() throws {
        let table = try KeyTable.default.applying([.top: [.character("j")], .moveDown: [.down]])
        #expect(table.action(for: .character("j")) == .top)
        #expect(table.action(for: .down) == .moveDown)
    }

    @Test func conflictsAreErrors() {
        #expect(throws: KeyTableError.self) { try KeyTable.default.applying([.top: [.character("j")]]) }
        do {
            _ = try KeyTable.default.applying([.top: [.character("j"), .home]])
            Issue.record("no error")
        } catch {
            #expect(error.key == .character("j"))
            #expect(error.action == .top)
            #expect(error.message == "key `j` would be bound to both `moveDown` and `top`")
            #expect(error.hint?.contains("moveDown: [down]") == true)
        }
        do {
            _ = try KeyTable.default.applying([.top: [.character("x")], .bottom: [.character("x")]])
            Issue.record("no error")
        } catch {
            #expect(error.key == .character("x"))
            #expect(error.hint?.contains("one of them only") == true)
        }
        #expect(throws: KeyTableError.self) { try KeyTable.default.applying([.quit: []]) }
    }

    @Test func unbindingAnAction() throws {
        let table = try KeyTable.default.applying([.explain: []])
        #expect(table.action(for: .enter) == nil)
        #expect(table.binding(for: .explain)?.label == "none")
        #expect(table.binding(for: .explain)?.footer == nil)
    }

    @Test func markdownAndText() {
        let md = KeyTable.default.markdown()
        #expect(md.hasPrefix("# Keys\n"))
        #expect(md.contains("| `q` `ctrl-c` | `quit` | quit |"))
        #expect(md.contains("| `j` `down` | `moveDown` |"))
        for binding in KeyTable.default.bindings { #expect(md.contains("`\(binding.action.rawValue)`")) }
        let text = KeyTable.default.text()
        #expect(text.hasPrefix("KEYS"))
        #expect(text.split(separator: "\n").count == KeyTable.default.bindings.count + 1)
        // Awkward characters stay valid Markdown table cells.
        let odd = try? KeyTable.default.applying([.filter: [.character("|")], .sort: [.character("`")]])
        #expect(odd?.markdown().contains("| `\\|` | `filter` |") == true)
        #expect(odd?.markdown().contains("| `` ` `` | `sort` |") == true)
    }

    /// docs/KEYS.md is `gatewatch keys --markdown`; regenerate it with that command when the key table changes.
    @Test func keysDocumentIsUpToDate() throws {
        let url = SnapshotSupport.repositoryRoot.appendingPathComponent("docs/KEYS.md")
        let file = try String(contentsOf: url, encoding: .utf8)
        #expect(file == KeyTable.default.markdown(),
                "docs/KEYS.md is stale: run `swift run gatewatch keys --markdown > docs/KEYS.md`")
    }
}
