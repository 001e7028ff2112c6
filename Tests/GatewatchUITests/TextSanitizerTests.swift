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
