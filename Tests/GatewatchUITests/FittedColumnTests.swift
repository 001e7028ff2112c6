import Testing
@testable import GatewatchUI

/// Content-fitted table columns: as wide as their widest cell, and when the table is too narrow the lowest priority
/// gives way first, each down to its minimum; the name column keeps its width longest.
@Suite struct FittedColumnTests {
    static let columns = [
        TableColumn.fitted("STATE", minimum: 6, priority: 2),
        TableColumn.fitted("RULE", minimum: 8, priority: 5),
        TableColumn.fitted("VALUE", minimum: 5, priority: 1, alignRight: true),
        TableColumn.fitted("SEVERITY", minimum: 5, priority: 0),
    ]
    static let rows: [[TableCell]] = [
        ["○ pending 3m/10m", "segment-precision-guardrail", "559ms", "rollback"],
        ["✓ ok", "challenger-p99-latency", "0.50%", "block"],
    ]

    static func draw(width: Int) -> String {
        var canvas = Canvas(width: width, height: 3)
        Table.draw(into: &canvas, rect: Rect(x: 0, y: 0, width: width, height: 3), columns: columns, rows: rows,
                   selectedRow: nil, scrollOffset: 0, theme: .default, glyphs: .unicode)
        return canvas.plainText()
    }

    @Test func wideEnoughEveryCellIsWhole() {
        // 16 + 27 + 5 + 8 and three spaces, plus the two-column gutter.
        let text = Self.draw(width: 61)
        for cell in Self.rows.joined() { #expect(text.contains(cell.text), "\(cell.text) cut:\n\(text)") }
        #expect(!text.contains("…"), "\(text)")
    }

    @Test func theLowestPriorityGivesWayFirst() {
        // 56 wanted and three spaces in 55: four short. SEVERITY (priority 0) gives three, down to its minimum of 5;
        // VALUE (priority 1) is at its minimum already; STATE (2) gives the last one.
        let widths = Table.widths(Self.columns, desired: [16, 27, 5, 8], available: 55)
        #expect(widths == [15, 27, 5, 5])
        // Nine short: STATE gives six; RULE stays whole.
        let narrower = Table.widths(Self.columns, desired: [16, 27, 5, 8], available: 50)
        #expect(narrower == [10, 27, 5, 5])
        let text = Self.draw(width: 52)
        #expect(text.contains("segment-precision-guardrail"), "\(text)")
        #expect(text.contains("○ pending…") && text.contains("roll…"), "\(text)")
    }

    @Test func theNameGivesWayOnlyWhenEverythingElseIsAtItsMinimum() {
        let widths = Table.widths(Self.columns, desired: [16, 27, 5, 8], available: 30)
        #expect(widths == [6, 11, 5, 5])
    }

    @Test func otherColumnsKeepWhatTheyAskFor() {
        let mixed = [TableColumn(title: "X", width: .fixed(10)), TableColumn.fitted("NAME", minimum: 4, priority: 1)]
        #expect(Table.widths(mixed, desired: [0, 30], available: 30) == [nil, 19])
        #expect(Table.widths(mixed, desired: [0, 12], available: 30) == [nil, 12])
    }
}
