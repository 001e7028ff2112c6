import Testing
@testable import GatewatchApp
import GatewatchCore
import GatewatchUI

/// The score histogram's rows are the score buckets (or runs of whole buckets), labelled with their exact bounds;
/// a threshold is marked on the row that holds it; each row's share is the exact sum of its buckets.
@Suite struct HistogramRowsTests {
    /// 20 buckets of 0.05, as the simulator writes them, the last one open (+Inf).
    static let bounds: [Double] = (1...20).map { $0 == 20 ? .infinity : Double($0) / 20 }

    static func comparison(champion: [Double], challenger: [Double]) -> SegmentComparison {
        SegmentComparison(segment: nil, metrics: [:], drift: nil, championScores: champion, challengerScores: challenger, scoreBounds: bounds)
    }

    static func lines(_ c: SegmentComparison, height: Int, width: Int = 70, thresholds: ScoreThresholds = ScoreThresholds(review: 0.80, block: 0.90)) -> [String] {
        var canvas = Canvas(width: width, height: height)
        HistogramPanel.draw(into: &canvas, rect: Rect(x: 0, y: 0, width: width, height: height), comparison: c, thresholds: thresholds,
                            title: "Scores", focused: false, context: RenderContext(width: width, height: height, theme: .default, glyphs: .unicode, now: 0))
        return canvas.plainText().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test func withRoomEveryBucketHasItsRowAndTheThresholdsSitOnTheRowsThatHoldThem() {
        let counts = (0..<20).map { Double($0 + 1) }
        let text = Self.lines(Self.comparison(champion: counts, challenger: counts), height: 26)
        let rows = text.filter { $0.firstMatch(of: /\d\.\d\d–\d\.\d\d/) != nil }
        #expect(rows.count == 20, "\(text.joined(separator: "\n"))")
        #expect(rows.first?.contains("0.95–1.00") == true && rows.last?.contains("0.00–0.05") == true)
        // review 0.80 → the row 0.80–0.85; block 0.90 → 0.90–0.95; no other row is marked.
        #expect(rows.contains { $0.contains("0.80–0.85 R") })
        #expect(rows.contains { $0.contains("0.90–0.95 B") })
        #expect(rows.filter { $0.firstMatch(of: /\d\d [RB*]/) != nil }.count == 2)
        // Shares are exact: bucket 20 holds 20 / 210 = 9.5 %.
        #expect(rows.first?.contains("9.5%") == true, "\(rows.first ?? "")")
        #expect(text.contains { $0.contains("one row per score bucket") })
    }

    @Test func fewerRowsMergeWholeBucketsIntoEvenBandsWithoutBlurring() {
        // All the mass in one bucket, [0.80, 0.85): only the band holding it has a share.
        var counts = [Double](repeating: 0, count: 20)
        counts[16] = 500
        let text = Self.lines(Self.comparison(champion: counts, challenger: counts), height: 8)
        let rows = text.filter { $0.firstMatch(of: /\d\.\d\d–\d\.\d\d/) != nil }
        #expect(rows.count == 5, "\(text.joined(separator: "\n"))")
        #expect(rows.map { String($0.firstMatch(of: /\d\.\d\d–\d\.\d\d/)!.0) } == ["0.80–1.00", "0.60–0.80", "0.40–0.60", "0.20–0.40", "0.00–0.20"])
        #expect(rows[0].contains("100.0%") && rows[0].contains("0.80–1.00 * "), "\(rows[0])")
        #expect(rows.dropFirst().allSatisfy { $0.contains("0.0%") && !$0.contains("100.0%") })
    }

    @Test func bandsAreRunsOfWholeBuckets() {
        #expect(HistogramPanel.bands(bounds: Self.bounds, rows: 20).count == 20)
        #expect(HistogramPanel.bands(bounds: Self.bounds, rows: 10).map(\.low) == (0..<10).map { Double($0) / 10 })
        // 7 rows: even runs of 4 (5 rows keep more than two thirds of them); 3 rows: runs of 7, 7 and 6 (2 even rows would not).
        let seven = HistogramPanel.bands(bounds: Self.bounds, rows: 7)
        #expect(seven.count == 5 && seven.allSatisfy { $0.last - $0.first + 1 == 4 })
        #expect(HistogramPanel.bands(bounds: Self.bounds, rows: 3).map { $0.last - $0.first + 1 } == [7, 7, 6])
        // Every bucket in exactly one band, in order.
        for rows in 1...24 {
            let b = HistogramPanel.bands(bounds: Self.bounds, rows: rows)
            #expect(b.count <= rows)
            #expect(b.flatMap { Array($0.first...$0.last) } == Array(0..<20))
        }
        #expect(HistogramPanel.decimals([0.125, 0.25, 1]) == 3)
    }
}
