import Testing
@testable import GatewatchUI

/// Every cell of `canvas` holds safe, consistent content.
func checkCells(_ canvas: Canvas, sourceLocation: SourceLocation = #_sourceLocation) {
    for y in 0..<canvas.height {
        for x in 0..<canvas.width {
            let cell = canvas[x, y]
            #expect(!cell.text.unicodeScalars.contains(where: isUnsafe), "unsafe scalar at \(x),\(y)",
                    sourceLocation: sourceLocation)
            switch cell.width {
            case 2:
                #expect(x + 1 < canvas.width && canvas[x + 1, y].width == 0, "wide head without continuation at \(x),\(y)",
                        sourceLocation: sourceLocation)
            case 0:
                #expect(x > 0 && canvas[x - 1, y].width == 2, "orphan continuation at \(x),\(y)",
                        sourceLocation: sourceLocation)
            default:
                #expect(cell.width == 1 && DisplayWidth.of(cell.text) == 1, "bad cell at \(x),\(y)",
                        sourceLocation: sourceLocation)
            }
        }
    }
}

@Suite struct CanvasTests {
    @Test func newCanvasIsBlank() {
        let c = Canvas(width: 3, height: 2)
        #expect(c.plainText() == "\n")
        #expect(c[0, 0] == .blank)
        #expect(c[-1, 0] == .blank)
        #expect(c[3, 5] == .blank)
        #expect(c.styleRuns() == "")
    }

    @Test func writeClipsAtTheEdgeAndAtMaxWidth() {
        var c = Canvas(width: 5, height: 2)
        #expect(c.write("abcdefg", x: 2, y: 0) == 3)
        #expect(c.write("abcdef", x: 0, y: 1, maxWidth: 3) == 3)
        #expect(c.write("zz", x: 0, y: 2) == 0)          // below the canvas
        #expect(c.write("zz", x: 0, y: -1) == 0)
        #expect(c.plainText() == "  abc\nabc")
        checkCells(c)
    }

    @Test func writeClipsAtTheLeftEdge() {
        var c = Canvas(width: 4, height: 1)
        c.write("漢ab", x: -1, y: 0)
        #expect(c.plainText() == " ab")
        checkCells(c)
    }

    @Test func wideCharacterAtTheRightEdgeBecomesASpace() {
        var c = Canvas(width: 5, height: 1)
        #expect(c.write("ab漢字", x: 0, y: 0) == 5)
        #expect(c.plainText() == "ab漢")
        #expect(c[2, 0] == Cell(text: "漢", width: 2))
        #expect(c[3, 0].width == 0)
        #expect(c[4, 0] == .blank)
        var d = Canvas(width: 10, height: 1)
        #expect(d.write("a漢", x: 0, y: 0, style: Style(bold: true), maxWidth: 2) == 2)
        #expect(d[1, 0] == Cell(text: " ", width: 1, style: Style(bold: true)))
        checkCells(c)
        checkCells(d)
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var c = Canvas(width: 6, height: 3)
        c.write("漢字", x: 0, y: 0)
        c.write("x", x: 1, y: 0)         // right half of 漢
        c.write("漢字", x: 0, y: 1)
        c.write("y", x: 2, y: 1)         // left half of 字
        c.write("漢字", x: 0, y: 2)
        c.write("字", x: 1, y: 2)        // straddles both
        #expect(c.plainText() == """
             x字
            漢y
             字
            """)
        checkCells(c)
    }

    @Test func injectedEscapeSequenceIsShownNotExecuted() {
        var c = Canvas(width: 40, height: 2)
        c.write("\u{1B}[31mEVIL\u{1B}[0m", x: 0, y: 0)
        c.write("\u{9B}2J\u{202E}txt.exe\n\u{7}\u{85}", x: 0, y: 1)
        #expect(c.plainText() == """
            ␛[31mEVIL␛[0m
            �2J�txt.exe␊␇�
            """)
        checkCells(c)
    }

    @Test func zeroWidthClustersAreDropped() {
        var c = Canvas(width: 6, height: 1)
        #expect(c.write("\u{200B}a\u{0301}b", x: 0, y: 0) == 2)
        #expect(c[0, 0].text == "a\u{0301}")
        #expect(c.plainText() == "a\u{0301}b")
    }

    @Test func plainTextAndStyleRunsSnapshot() {
        var c = Canvas(width: 24, height: 4)
        let red = Style(foreground: .red, bold: true)
        c.write("Stop rules", x: 0, y: 0, style: Style(bold: true))
        c.write("p99 latency", x: 1, y: 1)
        c.write("FIRING", x: 14, y: 1, style: red)
        c.write("漢字 ok", x: 0, y: 3, style: Style(foreground: .brightGreen, background: .indexed(236)))
        c.fill(Rect(x: 20, y: 0, width: 3, height: 2), style: Style(reverse: true), character: "#")
        c.applyStyle(Style(underline: true), to: Rect(x: 1, y: 1, width: 3, height: 1))
        #expect(c.plainText() == """
            Stop rules          ###
             p99 latency  FIRING###

            漢字 ok
            """)
        #expect(c.styleRuns() == """
            row 0: 0-9 bold; 20-22 reverse
            row 1: 1-3 underline; 14-19 fg=red bold; 20-22 reverse
            row 3: 0-6 fg=bright-green bg=idx236
            """)
        #expect(Canvas.describe(.plain) == "plain")
        #expect(Canvas.describe(Style(foreground: .ansi(12), background: .default, bold: true, dim: true,
                                      underline: true, reverse: true)) == "fg=bright-blue bold dim underline reverse")
        #expect(c.styleRuns(naming: { $0.reverse ? "R" : "S" }).hasPrefix("row 0: 0-9 S; 20-22 R"))
    }

    @Test func changedRowsAndSpans() {
        var a = Canvas(width: 10, height: 3)
        a.write("漢字", x: 0, y: 0)
        #expect(a.changedRows(from: nil) == [0, 1, 2])
        #expect(a.changedSpans(from: nil).map { "\($0.row):\($0.start)-\($0.end)" } == ["0:0-10", "1:0-10", "2:0-10"])
        #expect(a.changedRows(from: Canvas(width: 9, height: 3)) == [0, 1, 2])
        #expect(a.changedRows(from: a) == [])
        #expect(a.changedSpans(from: a).isEmpty)

        var b = a
        b.write("abc", x: 2, y: 1)
        b.write("x", x: 8, y: 1)
        b.write("y", x: 1, y: 0)       // breaks 漢: its head changes too
        b.write("漢", x: 6, y: 2)
        #expect(b.changedRows(from: a) == [0, 1, 2])
        #expect(b.changedSpans(from: a).map { "\($0.row):\($0.start)-\($0.end)" } == ["0:0-2", "1:2-5", "1:8-9", "2:6-8"])

        // Replaying the spans onto the old frame reproduces the new one.
        var replay = a
        for span in b.changedSpans(from: a) {
            var x = span.start
            while x < span.end {
                let cell = b[x, span.row]
                replay.write(cell.text, x: x, y: span.row, style: cell.style)
                x += max(1, cell.width)
            }
        }
        #expect(replay == b)
    }

    @Test func drawCanvasOntoCanvas() {
        var small = Canvas(width: 3, height: 1)
        small.write("a漢", x: 0, y: 0, style: Style(bold: true))
        var big = Canvas(width: 5, height: 2)
        big.draw(small, at: (x: 1, y: 1))
        big.draw(small, at: (x: 3, y: 0))       // 漢 clipped at the right edge
        #expect(big.plainText() == "   a\n a漢")
        var left = Canvas(width: 3, height: 1)
        left.draw(small, at: (x: -2, y: 0))     // only the right half of 漢 would land
        #expect(left.plainText() == "")
        checkCells(big)
        checkCells(left)
    }
}

@Suite struct CanvasTruncationTests {
    @Test func writeTruncatedEndsCutTextWithAnEllipsis() {
        var canvas = Canvas(width: 12, height: 3)
        #expect(canvas.writeTruncated("a very long name", x: 0, y: 0) == 12)
        #expect(canvas.rowText(0) == "a very long…")
        #expect(canvas.writeTruncated("長い長い長い長い", x: 2, y: 1, maxWidth: 7) == 7)
        #expect(canvas.rowText(1) == "  長い長…   ")
        #expect(canvas.writeTruncated("short", x: 0, y: 2, maxWidth: 8) == 5)
        #expect(canvas.rowText(2) == "short       ")
    }

    @Test func writeTruncatedMeasuresTheSanitisedText() {
        var canvas = Canvas(width: 10, height: 1)
        canvas.writeTruncated("\u{1B}[2J\u{1B}]0;title\u{7}", x: 0, y: 0)
        #expect(canvas.rowText(0) == "␛[2J␛]0;t…")
        #expect(!canvas.rowText(0).unicodeScalars.contains { $0.value < 0x20 })
    }
}

