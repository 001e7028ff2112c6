import Testing
import GatewatchApp
import GatewatchCore
import GatewatchUI

/// Pasted text (one `.paste` key from the terminal) goes into the open text field as text: it never confirms, cancels,
/// moves the focus or runs as keys.
@Suite struct PasteTests {
    static let owner = Operator(name: "ana", role: .owner)
    static let incident = "Rolling back per INC-1234\n \t\n"

    static func model() throws -> AppModel {
        var m = try NavigationTests.model()
        m.actor = owner
        return m
    }

    @Test func aPasteIntoTheRollbackReasonStaysInTheFieldAndNothingElseHappens() throws {
        var m = try Self.model()
        _ = m.handle(.character("r"))
        #expect(m.dialog?.action == .rollback)
        // tmux sends line breaks as CR; both forms.
        for pasted in [Self.incident, Self.incident.replacingOccurrences(of: "\n", with: "\r")] {
            m.dialog?.reason = ""
            let handled = m.handle(.paste(PastedText(pasted)))
            #expect(handled)
            let d = try #require(m.dialog, "the dialog must stay open")
            #expect(d.action == .rollback && d.focus == .cancel && !d.typingName)
            #expect(d.reason == "Rolling back per INC-1234    ")
            #expect(d.error == nil)
            #expect(m.confirmed == nil && m.message == nil && !m.shouldQuit)
        }
        let text = m.render(NavigationTests.large).plainText()
        #expect(text.contains("reason: Rolling back per INC-1234"), "\(text)")
        // Typing goes on after the paste, and the dialog still confirms only on the operator's own keys.
        _ = m.handle(.tab)
        _ = m.handle(.enter)
        #expect(m.confirmed?.action == .rollback && m.confirmed?.reason == "Rolling back per INC-1234    ")
    }

    @Test func escapeAndOtherControlsInAPasteAreLeftOutAndSaidSo() throws {
        var m = try Self.model()
        _ = m.handle(.character("r"))
        _ = m.handle(.paste(PastedText("stop\u{1B}q\u{1B}[201~ now\u{7F}\u{9B}\u{0}!")))
        let d = try #require(m.dialog)
        #expect(d.reason == "stopq[201~ now!")
        #expect(d.error == "5 control characters left out")
        #expect(!m.shouldQuit && m.confirmed == nil)
        #expect(m.render(NavigationTests.large).plainText().contains("5 control characters left out"))
    }

    @Test func theReasonAndNameLimitsHoldAndTheRestIsNamed() throws {
        var m = try Self.model()
        _ = m.handle(.character("r"))
        _ = m.handle(.paste(PastedText(String(repeating: "x", count: 800))))
        #expect(m.dialog?.reason.count == 500)
        #expect(m.dialog?.error == "pasted 500 of 800 characters: the reason holds 500")
        // What the terminal layer already dropped of a huge paste counts as offered.
        m.dialog?.reason = String(repeating: "y", count: 490)
        _ = m.handle(.paste(PastedText(String(repeating: "x", count: 65_536), dropped: 10_000, unterminated: true)))
        #expect(m.dialog?.reason.count == 500)
        #expect(m.dialog?.error == "pasted 10 of 75536 characters: the reason holds 500; the paste had no end marker")

        // The release name asked for at the full stage.
        var a = try #require(m.snapshot?.analysis)
        a.state.stageIndex = a.release.stages.count - 1
        var dialog = ConfirmDialog(action: .rollback, analysis: a)
        dialog.typingName = true
        m.dialog = dialog
        _ = m.handle(.paste(PastedText(a.release.slug)))
        #expect(m.dialog?.typedName == a.release.slug && m.dialog?.reason == "")
        #expect(m.dialog?.typingName == true && m.dialog?.focus == .cancel)
        _ = m.handle(.paste(PastedText(String(repeating: "n", count: 300))))
        #expect(m.dialog?.typedName.count == 200)
        #expect(m.dialog?.error == "pasted \(200 - a.release.slug.count) of 300 characters: the name field holds 200")
    }

    @Test func aPasteIntoTheFilterIsTextAndDoesNotApplyOrCancel() throws {
        var m = try Self.model()
        _ = m.handle(.character("/"))
        _ = m.handle(.paste(PastedText("EU\r\n")))
        #expect(m.inputMode == .filter)
        #expect(m.input == "EU ")
        #expect(m.releaseScreen.segmentFilter == "EU ", "the filter follows the field as typing does")
        _ = m.handle(.backspace)
        _ = m.handle(.enter)
        #expect(m.releaseScreen.segmentFilter == "EU")
    }

    @Test func aPasteIntoTheCommandLineNeverRunsIt() throws {
        var m = try Self.model()
        _ = m.handle(.character(":"))
        _ = m.handle(.paste(PastedText("q\r:releases\u{1B}\r")))
        #expect(m.inputMode == .command && m.input == "q :releases ")
        #expect(!m.shouldQuit && m.screen == .release)
        #expect(m.message == "1 control character left out")
        #expect(m.render(NavigationTests.small).plainText().contains(":q :releases █  1 control character left out"))
        _ = m.handle(.paste(PastedText(String(repeating: "z", count: 250))))
        #expect(m.input.count == 200)
        #expect(m.message == "pasted 188 of 250 characters: the command line holds 200")
        // The next key clears the note.
        _ = m.handle(.backspace)
        #expect(m.message == nil)
        _ = m.handle(.escape)
        #expect(m.inputMode == .none && !m.shouldQuit)
    }

    @Test func aPasteIntoANoteKeepsItsLimit() throws {
        var m = try Self.model()
        m.inputMode = .note
        _ = m.handle(.paste(PastedText("looked at\nEU web\n")))
        #expect(m.input == "looked at EU web ")
        _ = m.handle(.paste(PastedText(String(repeating: "w", count: 2000))))
        #expect(m.input.count == 1000)
        #expect(m.message == "pasted 983 of 2000 characters: the note holds 1000")
        #expect(m.inputMode == .note)
    }

    @Test func aPasteWithNoTextFieldOpenDoesNothingButSaySo() throws {
        var m = try Self.model()
        let before = m
        for pasted in ["q", "r", " ", "\r", "\u{1B}", ":q\r", "p\tP\r"] {
            let handled = m.handle(.paste(PastedText(pasted)))
            #expect(handled, "redrawn to show the note")
            #expect(m.message == "paste ignored: no text field is open")
            #expect(m.dialog == nil && m.inputMode == .none && !m.shouldQuit && m.confirmed == nil)
            #expect(m.screen == before.screen && m.releaseScreen.focus == before.releaseScreen.focus)
        }
        #expect(m.render(NavigationTests.large).plainText().contains("paste ignored: no text field is open"))
        m.screen = .audit
        _ = m.handle(.paste(PastedText("/kind:rollback\r")))
        #expect(m.screen == .audit && m.auditFilter.isEmpty && m.inputMode == .none)
    }

    @Test func singleLineFormOfPastedText() {
        #expect(PastedText("a\r\nb\nc\rd\te\u{0B}f\u{0C}g\u{85}h\u{2028}i\u{2029}j").singleLine.text == "a b c d e f g h i j")
        #expect(PastedText("\u{1B}[31mred\u{7}\u{7F}\u{90}x").singleLine == ("[31mredx", 4))
        #expect(PastedText("回滚 👩‍💻 e\u{301}").singleLine == ("回滚 👩‍💻 e\u{301}", 0))
    }
}
