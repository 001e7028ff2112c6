import Testing
@testable import GatewatchUI

/// True when the scalar must never reach the terminal.
func isUnsafe(_ s: Unicode.Scalar) -> Bool {
    let v = s.value
    return v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
        || v == 0x200E || v == 0x200F || v == 0x061C
}

@Suite struct TextSanitizerTests {
    @Test func escapeSequenceBecomesVisible() {
        #expect(TextSanitizer.clean("\u{1B}[31mEVIL\u{1B}[0m") == "␛[31mEVIL␛[0m")
    }

    @Test func c0ControlsBecomeControlPictures() {
        #expect(TextSanitizer.clean("a\nb\tc\r") == "a␊b␉c␍")
        #expect(TextSanitizer.clean("\u{0}\u{7}\u{7F}") == "␀␇␡")
        #expect(TextSanitizer.clean("\r\n") == "␍␊")
    }

    @Test func c1BidiAndOddCodePointsBecomeReplacement() {
        #expect(TextSanitizer.clean("\u{85}x\u{9B}") == "�x�")
        #expect(TextSanitizer.clean("\u{202E}gnp.exe") == "�gnp.exe")
        #expect(TextSanitizer.clean("\u{2066}a\u{2069}\u{200E}\u{200F}\u{61C}") == "�a����")
        #expect(TextSanitizer.clean("\u{E000}") == "�")      // private use
        #expect(TextSanitizer.clean("\u{0378}") == "�")      // unassigned
        #expect(TextSanitizer.clean("\u{FFFF}") == "�")      // noncharacter
        #expect(TextSanitizer.clean("a\u{2028}b") == "a�b")  // line separator
    }

    @Test func ordinaryTextIsUnchanged() {
        let s = "héllo 漢字 👍 👨\u{200D}👩\u{200D}👧 e\u{0301} ✓ → ─"
        #expect(TextSanitizer.clean(s) == s)
    }

    @Test func asciiOnlyKeepsWidth() {
        #expect(TextSanitizer.clean("naïve 漢!", asciiOnly: true) == "na?ve ??!")
        #expect(TextSanitizer.clean("\u{1B}x👍", asciiOnly: true) == "?x??")
        #expect(TextSanitizer.clean("e\u{0301}", asciiOnly: true) == "?")
        let s = "a漢👍é\u{1B}"
        #expect(DisplayWidth.of(TextSanitizer.clean(s, asciiOnly: true)) == DisplayWidth.of(s))
        #expect(TextSanitizer.clean(s, asciiOnly: true).unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test func outputNeverContainsUnsafeScalars() {
        var all = ""
        for v in Array(0...0xA0) + [0x061C, 0x200E, 0x200F, 0x2028, 0x2029] + Array(0x202A...0x202E) + Array(0x2066...0x2069) {
            all.unicodeScalars.append(Unicode.Scalar(UInt32(v))!)
        }
        #expect(!TextSanitizer.clean(all).unicodeScalars.contains(where: isUnsafe))
        #expect(!TextSanitizer.clean(all, asciiOnly: true).unicodeScalars.contains(where: isUnsafe))
    }
}

@Suite struct TextSanitizerLinesAndJSONTests {
    @Test func cleanLinesKeepsLineFeedsAndTabsOnly() {
        let hostile = "title\u{1B}]0;pwned\u{7}\n\tnext \u{1B}[2J\u{1B}[H line\r\u{202E}evil\u{202C}\u{9B}31m"
        let clean = TextSanitizer.cleanLines(hostile)
        #expect(clean == "title␛]0;pwned␇\n\tnext ␛[2J␛[H line␍�evil��31m")
        #expect(!clean.unicodeScalars.contains { isUnsafe($0) && $0 != "\n" && $0 != "\t" })
        #expect(clean.split(separator: "\n", omittingEmptySubsequences: false).count == 2)
        #expect(TextSanitizer.cleanLines("plain\ttext\n") == "plain\ttext\n")
        #expect(TextSanitizer.cleanLines("日本 👩‍💻 é") == "日本 👩‍💻 é")
    }

    @Test func jsonKeepsItsValueButNoInvisibleCharacterStaysRaw() throws {
        // What JSON encoders leave raw: DEL, C1 controls, bidi controls, line separators, private use above U+FFFF.
        let json = "{\"a\":\"x\u{7F}\u{85}\u{202E}y\u{2066}\u{2028}\u{10FFFD}日\"}"
        let escaped = TextSanitizer.escapeInvisiblesInJSON(json)
        #expect(escaped == #"{"a":"x\u007f\u0085\u202ey\u2066\u2028\udbff\udffd日"}"#)
        #expect(!escaped.unicodeScalars.contains { isUnsafe($0) || $0.value == 0x2028 })
        #expect(TextSanitizer.escapeInvisiblesInJSON("{\"b\":\"plain\"}") == "{\"b\":\"plain\"}")
    }
}
