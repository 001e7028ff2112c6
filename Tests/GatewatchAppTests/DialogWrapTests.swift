import Testing
@testable import GatewatchApp
import GatewatchCore
import GatewatchUI

/// Dialog sentences wrap at spaces instead of being cut mid-word; a title too long for the frame is written whole;
/// the fields stay visible on a short terminal.
@Suite struct DialogWrapTests {
    static func frame(_ dialog: ConfirmDialog, width: Int, height: Int) -> [String] {
        var canvas = Canvas(width: width, height: height)
        dialog.draw(into: &canvas, context: RenderContext(width: width, height: height, theme: .default, glyphs: .unicode, now: 0))
        return canvas.plainText().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// The dialog's text lines, frame and bullets taken off, joined with spaces.
    static func text(_ lines: [String]) -> String {
        lines.map { $0.replacingOccurrences(of: "│", with: " ").replacingOccurrences(of: "•", with: " ").trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
            .split(separator: " ").joined(separator: " ")
    }

    @Test func rollbackAtFullWrapsItsSentencesAt60Columns() throws {
        let (_, a0, _) = try ActionLayerTests.setUp(after: 40 * 60)
        var a = a0
        a.state.stageIndex = a.release.stages.count - 1
        let dialog = ConfirmDialog(action: .rollback, analysis: a)
        let lines = Self.frame(dialog, width: 60, height: 24)
        let joined = Self.text(lines)
        for effect in dialog.effects {
            #expect(joined.contains(effect.split(separator: " ").joined(separator: " ")), "cut: \(effect)\n\(lines.joined(separator: "\n"))")
        }
        #expect(lines.contains { $0.contains("name:") }, "the name field is on screen")
    }

    @Test func aLongAcknowledgeTitleIsWrittenWholeInsideTheDialog() throws {
        let (_, a, _) = try ActionLayerTests.setUp(after: 40 * 60)
        let rule = try #require(a.rules.first { $0.segment != nil } ?? a.rules.first)
        let dialog = ConfirmDialog(action: .acknowledge(rule: rule.rule.name, segment: "market=EU,surface=web,risk_tier=high"), analysis: a)
        let lines = Self.frame(dialog, width: 64, height: 24)
        #expect(DisplayWidth.of(dialog.title) > 58)
        #expect(Self.text(lines).contains(dialog.title.split(separator: " ").joined(separator: " ")), "\(lines.joined(separator: "\n"))")
    }

    @Test func onAShortTerminalTheReasonFieldStaysVisible() throws {
        let (_, a0, _) = try ActionLayerTests.setUp(after: 40 * 60)
        var a = a0
        a.state.stageIndex = a.release.stages.count - 1
        var dialog = ConfirmDialog(action: .rollback, analysis: a)
        dialog.reason = String(repeating: "late labels show EU web missing fraud ", count: 4) + "END"
        let lines = Self.frame(dialog, width: 60, height: 10)
        #expect(lines.contains { $0.contains("reason:") && $0.contains("END█") }, "the end of a long reason, with the cursor: \(lines.joined(separator: "\n"))")
        #expect(lines.contains { $0.contains("name:") })
    }
}
