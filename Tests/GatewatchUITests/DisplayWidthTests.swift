import Testing
@testable import GatewatchUI

@Suite struct DisplayWidthTests {
    @Test func ascii() {
        #expect(DisplayWidth.of("hello, world") == 12)
        #expect(DisplayWidth.of(Character("a")) == 1)
        #expect(DisplayWidth.of("") == 0)
    }

    @Test func eastAsianWide() {
        #expect(DisplayWidth.of("漢字") == 4)
        #expect(DisplayWidth.of("한국어") == 6)
        #expect(DisplayWidth.of("カタカナ") == 8)
        #expect(DisplayWidth.of("ＡＢ") == 4)       // fullwidth forms
        #expect(DisplayWidth.of("ｱｲ") == 2)         // halfwidth katakana stay narrow
        #expect(DisplayWidth.of("、") == 2)          // CJK punctuation
    }

    @Test func emoji() {
        #expect(DisplayWidth.of("👍") == 2)
        #expect(DisplayWidth.of("👍🏽") == 2)          // skin tone modifier joins the cluster
        #expect(DisplayWidth.of("❤️") == 2)           // U+2764 + VS16
        #expect(DisplayWidth.of("❤") == 1)            // text presentation by default
        #expect(DisplayWidth.of("🇧🇷") == 2)           // flag
        #expect(DisplayWidth.of("1️⃣") == 2)           // keycap
    }

    @Test func zwjFamilyIsOneWideCluster() {
        let family = "👨\u{200D}👩\u{200D}👧"
        #expect(family.count == 1)
        #expect(DisplayWidth.of(family) == 2)
        #expect(DisplayWidth.of("a" + family + "b") == 4)
    }

    @Test func combiningAndFormatCharacters() {
        let composed = "e\u{0301}"
        #expect(composed.count == 1)
        #expect(DisplayWidth.of(composed) == 1)
        #expect(DisplayWidth.of(Character(composed)) == 1)
        #expect(DisplayWidth.of("cafe\u{0301}") == 4)
        #expect(DisplayWidth.of("\u{200B}") == 0)    // zero width space
        #expect(DisplayWidth.of("\u{0301}") == 0)    // lone combining mark
        #expect(DisplayWidth.of("\u{20DD}") == 0)    // enclosing mark
        #expect(DisplayWidth.of("\u{FE0F}") == 0)    // lone variation selector
        #expect(DisplayWidth.of("\u{200D}") == 0)    // lone ZWJ
    }

    @Test func controlsCountAsTheirVisiblePicture() {
        #expect(DisplayWidth.of("\u{1B}[0m") == 4)   // ␛[0m
        #expect(DisplayWidth.of("\r\n") == 2)        // one cluster, two pictures
        #expect(DisplayWidth.of("\u{202E}") == 1)    // bidi override shown as �
    }

    @Test func truncateNeverSplitsWideCharacters() {
        #expect(DisplayWidth.truncate("hello world", toWidth: 8) == "hello w…")
        #expect(DisplayWidth.truncate("hello", toWidth: 5) == "hello")
        #expect(DisplayWidth.truncate("漢字abc", toWidth: 3) == "漢…")
        #expect(DisplayWidth.truncate("漢字abc", toWidth: 4) == "漢…")
        #expect(DisplayWidth.truncate("漢字abc", toWidth: 6) == "漢字a…")
        #expect(DisplayWidth.truncate("abc", toWidth: 0) == "")
        #expect(DisplayWidth.truncate("abcdef", toWidth: 4, ellipsis: "...") == "a...")
        #expect(DisplayWidth.truncate("abcdef", toWidth: 2, ellipsis: "...") == "ab")
        let samples = ["漢字漢字", "a👍b👨\u{200D}👩\u{200D}👧c", "e\u{0301}e\u{0301}e\u{0301}xyz", "plain ascii text", "ｱ漢a"]
        for s in samples {
            for w in 0...12 {
                let t = DisplayWidth.truncate(s, toWidth: w)
                #expect(DisplayWidth.of(t) <= w, "\(s) → \(t) at \(w)")
                #expect(DisplayWidth.pad(s, toWidth: w).count >= 0)
                #expect(DisplayWidth.of(DisplayWidth.pad(s, toWidth: w)) == w, "pad \(s) at \(w)")
            }
        }
    }

    @Test func pad() {
        #expect(DisplayWidth.pad("ab", toWidth: 4) == "ab  ")
        #expect(DisplayWidth.pad("ab", toWidth: 4, alignRight: true) == "  ab")
        #expect(DisplayWidth.pad("漢字", toWidth: 3) == "漢…")
        #expect(DisplayWidth.pad("漢字x", toWidth: 2) == "… ")
        #expect(DisplayWidth.pad("12.5%", toWidth: 7, alignRight: true) == "  12.5%")
        #expect(DisplayWidth.pad("x", toWidth: 0) == "")
    }
}

@Suite struct DrawnClusterTests {
    @Test func clustersWithSeveralSpacingCharactersAreDrawnByTheirFirst() {
        #expect(DisplayWidth.drawn("👩\u{200D}💻") == "👩")
        #expect(DisplayWidth.drawn("🇧🇷") == "🇧")
        #expect(DisplayWidth.drawn("👍🏽") == "👍")
        #expect(DisplayWidth.drawn("❤\u{FE0F}") == "❤")
        #expect(DisplayWidth.drawn("🚨\u{200D}🔥") == "🚨")
        #expect(DisplayWidth.drawn("e\u{301}\u{302}\u{303}") == "e\u{301}\u{302}\u{303}")
        #expect(DisplayWidth.drawn("a") == "a")
        #expect(DisplayWidth.drawn("漢") == "漢")
        // A lone regional indicator is narrow (as wcwidth has it); the flag keeps two columns.
        #expect(DisplayWidth.of("🇧") == 1)
        #expect(DisplayWidth.of("🇧🇷") == 2)
    }

    @Test func drawnRowsKeepTheirWidth() {
        var canvas = Canvas(width: 16, height: 1)
        canvas.write("👩\u{200D}💻|🇧🇷|❤\u{FE0F}|é|", x: 0, y: 0)
        #expect(canvas.drawnRowText(0) == "👩|🇧 |❤ |é|" + String(repeating: " ", count: 5))
        #expect(canvas.rowText(0).hasPrefix("👩\u{200D}💻|🇧🇷|❤\u{FE0F}|é|"))
        #expect(canvas.plainText(asDrawn: true) == "👩|🇧 |❤ |é|")
    }
}


/// A long text cut in the middle keeps its end: the port of a URL stays visible.
@Suite struct TruncateMiddleTests {
    @Test func theEndStaysVisible() {
        let url = "prometheus http://metrics.internal.example.com:9091"
        let cut = DisplayWidth.truncateMiddle(url, toWidth: 30)
        #expect(DisplayWidth.of(cut) == 30, "\(cut)")
        #expect(cut == "prometheus http://me….com:9091", "\(cut)")
        #expect(DisplayWidth.truncateMiddle(url, toWidth: 80) == url)
        // Wide characters count twice and are never split.
        #expect(DisplayWidth.truncateMiddle("監視監視監視監視監視:9091", toWidth: 13) == "監視監視…9091")
        #expect(DisplayWidth.truncateMiddle("abc", toWidth: 1) == "…")
        #expect(DisplayWidth.truncateMiddle("abc", toWidth: 0) == "")
    }
}
