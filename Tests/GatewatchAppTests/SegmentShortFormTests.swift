import Testing
@testable import GatewatchApp
import GatewatchCore
import GatewatchUI

/// Segments in sentences (gate reasons, the next-promotion line, a blocked key) in their short form; the detail
/// panes keep the whole label set.
@Suite struct SegmentShortFormTests {
    static let labels = ReleaseScreen.segmentLabels(["market=EU,surface=web", "market=EU,surface=app", "market=BR,surface=web"])

    @Test func keysBetweenDelimitersAreShortened() {
        #expect(SegmentText.shorten("segment-fpr [market=EU,surface=web] firing (+1 more)", labels: Self.labels)
                == "segment-fpr [EU/web] firing (+1 more)")
        #expect(SegmentText.shorten("guardrails: market=EU,surface=app precision -0.2pt", labels: Self.labels)
                == "guardrails: EU/app precision -0.2pt")
        #expect(SegmentText.shorten("ends with market=BR,surface=web.", labels: Self.labels) == "ends with BR/web.")
        // Not a segment of the release: left as written; no key inside a longer word is touched.
        #expect(SegmentText.shorten("market=JP,surface=web and xmarket=EU,surface=web", labels: Self.labels)
                == "market=JP,surface=web and xmarket=EU,surface=web")
    }

    @Test func anAmbiguousShortFormKeepsTheWholeKey() {
        let labels = ReleaseScreen.segmentLabels(["market=EU,surface=web", "region=EU,surface=web"])
        #expect(SegmentText.shorten("[market=EU,surface=web]", labels: labels) == "[market=EU,surface=web]")
    }

    @Test func theReleaseScreenNamesSegmentsShortAndTheGatePaneWhole() throws {
        var m = try NavigationTests.model()
        m.snapshot?.analysis.gates[0] = GateVerdict(gate: .segmentGuardrails, outcome: .failed,
                                                     reason: "market=EU,surface=web precision -31.99pt vs limit -8.00pt")
        let screen = m.render(RenderContext(width: 120, height: 40, now: 0)).plainText()
        #expect(screen.contains("EU/web precision -31.99pt"), "\(screen)")
        #expect(!screen.contains("market=EU,surface=web"), "\(screen)")
        m.releaseScreen.focus = .gates
        _ = m.handle(.enter)
        let pane = m.render(RenderContext(width: 120, height: 40, now: 0)).plainText()
        #expect(pane.contains("market=EU,surface=web precision"), "the gate's pane has the whole label set")
    }
}
