import Foundation
import Testing
@testable import GatewatchApp
import GatewatchCore
import GatewatchSQLite

/// User-written text in the exported Markdown (notes, reasons, operator names, slugs, titles) cannot become HTML,
/// a link or an image when the review is rendered.
@Suite struct ReviewReportMarkdownTests {
    static let hostile = "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) ![i](data:text/html;base64,PHNjcmlwdD4=) <javascript:alert(2)> & done"

    @Test func hostileNotesReasonsAndNamesAreEscaped() throws {
        let scenario = try SnapshotSupport.scenario("latency-regression")
        let store = try SQLiteStore()
        let source = try DemoSource(scenario: scenario, store: store, description: "test", speed: 0)
        let end = scenario.simulation.start + 5 * 3600
        let live = try source.poll(simulatedTime: end)
        let layer = ActionLayer(registry: store)
        let reviewer = Operator(name: "<b onmouseover=alert(3)>rita</b>", role: .reviewer)
        let slug = scenario.release.slug
        let first = try #require(ReviewSession(history: try ReviewReportTests.history(store, slug, end)).timeline.events.first { $0.kind == .rollback })
        #expect(layer.perform(.note(reference: first.reference), analysis: live, by: reviewer, reason: Self.hostile, at: end).succeeded)
        let markdown = ReviewReport.markdown(try ReviewReportTests.history(store, slug, end))
        for raw in ["<script>", "<img", "<b ", "</b>", "<javascript:", "](javascript:", "](data:", "![i]"] {
            #expect(!markdown.contains(raw), "\(raw) reached the Markdown")
        }
        #expect(markdown.contains("&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;"), "\(markdown)")
        #expect(markdown.contains("\\[x\\](javascript&#58;alert(1))"), "\(markdown)")
        #expect(markdown.contains("!\\[i\\](data&#58;text/html;base64,PHNjcmlwdD4=)"), "\(markdown)")
        #expect(markdown.contains("&amp; done"), "\(markdown)")
        #expect(markdown.contains("&lt;b onmouseover=alert(3)&gt;rita&lt;/b&gt;"), "\(markdown)")
    }

    @Test func theEscapeOfOneTextIsInert() {
        #expect(ReviewReport.text("a < b & c > d") == "a &lt; b &amp; c &gt; d")
        #expect(ReviewReport.text("[x](JavaScript:alert(1))") == "\\[x\\](JavaScript&#58;alert(1))")
        #expect(ReviewReport.text("metadata: fine") == "metadata: fine")
        #expect(ReviewReport.cell("a|b\nc\u{1b}[2J") == "a\\|b c\\u{1b}\\[2J")
    }
}
