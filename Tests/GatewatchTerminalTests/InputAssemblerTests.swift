import CNCursesW
import GatewatchUI
import Testing
@testable import GatewatchTerminal

/// Bracketed paste and escape sequences assembled from what curses reads, without a terminal.
@Suite("Input assembly (bracketed paste)")
struct InputAssemblerTests {
    /// Reads the way the backend does: each unit arrives `gap` seconds after the previous one; while the assembler
    /// is in the middle of something and its wait ends before the next unit arrives, that read comes back empty.
    /// (Units with no gap are there at once, like the bytes after an ESC that curses has already read.)
    struct Reader {
        var assembler = InputAssembler()
        var time = 100.0
        var keys: [Key] = []

        mutating func feed(_ units: [InputAssembler.Unit], gap: Double = 0) {
            for unit in units {
                let arrival = time + gap
                while !assembler.isIdle {
                    let wait = Double(assembler.waitMilliseconds(idle: 100, now: time)) / 1000
                    guard time + wait < arrival else { break }
                    time += wait
                    keys += assembler.feed(.nothing, at: time)
                }
                time = arrival
                keys += assembler.feed(unit, at: time)
            }
        }

        mutating func feed(_ text: String, gap: Double = 0) {
            feed(text.unicodeScalars.map { .scalar($0.value) }, gap: gap)
        }

        /// Nothing more arrives: empty reads, each after the wait asked for, until idle (or `limit` seconds passed).
        mutating func silence(upTo limit: Double = 10) {
            let end = time + limit
            while !assembler.isIdle && time < end {
                time += Double(assembler.waitMilliseconds(idle: 100, now: time)) / 1000
                keys += assembler.feed(.nothing, at: time)
            }
        }

        /// The text of every paste key, in order.
        var pastes: [PastedText] { keys.compactMap { if case .paste(let p) = $0 { p } else { nil } } }
    }

    static let start = "\u{1B}[200~", end = "\u{1B}[201~"

    @Test func pastedTextIsOneKeyAndTheKeysAroundItStayKeys() {
        var r = Reader()
        r.feed("r" + Self.start + "Rolling back per INC-1234\r \t\r" + Self.end + "q")
        r.silence()
        #expect(r.keys == [.character("r"), .paste(PastedText("Rolling back per INC-1234\r \t\r")), .character("q")])
        #expect(r.assembler.isIdle)
    }

    @Test func escapeAndCSISequencesInsideThePasteAreText() {
        var r = Reader()
        // ESC q, a colour sequence, a lone ESC before the end marker, ESC ESC, a near miss of the end marker, an
        // SS3 sequence, and C1 CSI.
        let inside = "a\u{1B}qb\u{1B}[31mred\u{1B}[0m \u{1B}\u{1B}[201x \u{1B}[20 \u{1B}OA \u{9B}2J\u{1B}"
        r.feed(Self.start + inside + Self.end)
        r.silence()
        #expect(r.keys == [.paste(PastedText(inside))])
        // Nothing of it ran as keys: no escape, no q, no enter.
        #expect(!r.keys.contains(.escape) && !r.keys.contains(.character("q")))
    }

    @Test func keyCodesCursesDecodedInsideThePasteAreLeftOutButAResizeIsReported() {
        var r = Reader()
        r.feed(Self.start + "ab")
        r.feed([.keyCode(KEY_UP), .keyCode(KEY_RESIZE)])
        r.feed("c" + Self.end)
        #expect(r.keys == [.resize, .paste(PastedText("abc"))])
    }

    @Test func aPasteSplitAcrossReadsWithShortGapsIsStillOnePaste() {
        var r = Reader()
        // The markers split (10 ms between their bytes after `ESC [`, which curses hands over together), 20 ms between
        // the characters of the first part, 0.3 s between those of the second, 0.2 s before the end marker: all under
        // the silence.
        r.feed("\u{1B}[")
        r.feed("200~", gap: 0.01)
        r.feed("first part, ", gap: 0.02)
        r.feed("second part", gap: 0.3)
        r.feed("\u{1B}", gap: 0.2)
        r.feed("[201~", gap: 0.01)
        #expect(r.pastes.map(\.text).joined() == "first part, second part")
        #expect(r.pastes.allSatisfy { !$0.unterminated })
        #expect(r.assembler.isIdle)
    }

    @Test func aMissingEndMarkerEndsThePasteAfterASilenceAndLaterKeysAreKeys() {
        var r = Reader()
        r.feed(Self.start)
        r.feed("no end\r marker\u{1B}[20", gap: 0.001)
        let before = r.time
        r.silence()
        #expect(r.keys == [.paste(PastedText("no end\r marker\u{1B}[20", unterminated: true))])
        let waited = r.time - before
        #expect(waited >= 0.5 && waited < 0.6, "ended after \(waited) s")
        #expect(r.assembler.isIdle)
        r.feed("q")
        #expect(r.keys.last == .character("q"))
    }

    @Test func aHugePasteKeepsTheCapCountsTheRestAndNeverRunsItAsKeys() {
        var r = Reader()
        r.assembler.keptLimit = 1000
        r.feed(Self.start)
        let huge = String(repeating: "q\r\u{1B}", count: 2000) // 6000 scalars of keys that would quit, confirm, cancel
        r.feed(huge)
        r.feed(Self.end + "j")
        let pastes = r.pastes
        #expect(pastes.map(\.text.unicodeScalars.count).reduce(0, +) == 1000)
        #expect(pastes.map(\.dropped).reduce(0, +) == 5000)
        #expect(r.keys.filter { if case .paste = $0 { false } else { true } } == [.character("j")])
    }

    @Test func aLongPasteIsHandedOverInPartsWhileItArrives() {
        var r = Reader()
        r.feed(Self.start)
        // 2000 characters over 1 s: parts every 0.25 s, none lost, the end marker still ends it.
        r.feed(String(repeating: "x", count: 2000), gap: 0.0005)
        r.feed(Self.end)
        let pastes = r.pastes
        #expect(pastes.count >= 3 && pastes.count <= 6, "\(pastes.count) parts")
        #expect(pastes.map(\.text).joined() == String(repeating: "x", count: 2000))
        #expect(r.assembler.isIdle)
    }

    @Test func unicodeAndWideCharactersArriveWhole() {
        var r = Reader()
        let text = "Rückrollung 回滚 ロールバック 👩‍💻 🇧🇷 e\u{301}"
        r.feed(Self.start + text + Self.end)
        #expect(r.keys == [.paste(PastedText(text))])
    }

    @Test func anEmptyPasteIsOnePasteKey() {
        var r = Reader()
        r.feed(Self.start + Self.end)
        #expect(r.keys == [.paste(PastedText(""))])
    }

    @Test func escapeHandlingOutsideAPasteIsAsBefore() {
        var r = Reader()
        r.feed([.scalar(27)])
        r.silence()
        #expect(r.keys == [.escape], "a lone ESC")
        r = Reader()
        r.feed("\u{1B}x")
        #expect(r.keys == [.escape, .character("x")], "Alt+x")
        r = Reader()
        r.feed([.scalar(27), .keyCode(KEY_UP)])
        #expect(r.keys == [.escape, .up], "Alt+Up")
        r = Reader()
        r.feed("\u{1B}[1;5Pk\u{1B}OPk\u{1B}[201~k")
        #expect(r.keys == [.character("k"), .character("k"), .character("k")], "unknown CSI, SS3 and a stray end marker swallowed")
        r = Reader()
        r.feed("\u{1B}[12")
        r.silence()
        #expect(r.keys.isEmpty && r.assembler.isIdle, "an incomplete CSI sequence is swallowed")
        r = Reader()
        r.feed("\u{1B}\u{1B}")
        r.silence()
        #expect(r.keys == [.escape, .escape])
    }

    @Test func theWaitsItAsksFor() {
        var a = InputAssembler()
        #expect(a.waitMilliseconds(idle: 100, now: 0) == 100)
        #expect(a.waitMilliseconds(idle: -1, now: 0) == -1)
        _ = a.feed(.scalar(27), at: 0)
        #expect(a.waitMilliseconds(idle: 100, now: 0) == 0)
        _ = a.feed(.scalar(0x5B), at: 0)
        #expect(a.waitMilliseconds(idle: 100, now: 0) == 25)
        for v in "200~".unicodeScalars { _ = a.feed(.scalar(v.value), at: 0) }
        #expect(a.isInPaste)
        #expect(a.waitMilliseconds(idle: 100, now: 0) == 500, "until the silence would end it")
        #expect(a.waitMilliseconds(idle: 100, now: 0.3) == 200)
    }
}
