import Testing
import GatewatchApp
import GatewatchCore
import GatewatchSQLite
import GatewatchUI

/// Every screen, pane and dialog at 80×24, 120×40 and 200×60 for four scenarios, one snapshot file per scenario and
/// size (sections `== screen ==`), so a change to any screen at any size shows in review. Each screen is reached
/// with the keys a person would press.
@Suite struct ScreenMatrixTests {
    static let scenarios: [(String, Int64)] = [
        ("fraud-canary-healthy", 3 * 3600),
        ("eu-segment-regression", 2 * 3600),
        ("latency-regression", 40 * 60),
        ("review-queue-overflow", 185 * 60),
    ]
    static let sizes = [(80, 24), (120, 40), (200, 60)]

    /// The live model of a scenario at a time, acting as its owner, with its review loader.
    static func model(_ name: String, after seconds: Int64) throws -> AppModel {
        let scenario = try SnapshotSupport.scenario(name)
        let store = try SQLiteStore()
        let source = try DemoSource(scenario: scenario, store: store, description: "demo \(name)", speed: 0)
        let end = scenario.simulation.start + seconds
        let live = try source.poll(simulatedTime: end)
        var model = AppModel()
        model.actor = Operator(name: "ana", role: .owner)
        model.snapshot = ReleaseSnapshot(analysis: live, health: SourceHealth(sourceName: "demo \(name)", lastSuccess: 0, simulatedTime: end))
        let slug = scenario.release.slug
        model.reviewLoader = { _ in
            guard let release = try? store.release(slug), let events = try? store.auditEvents(release: slug),
                  let samples = try? store.samples(release: slug, after: nil, through: end) else { return nil }
            return ReleaseHistory(release: release, events: events, metrics: MetricSeriesSet(samples), end: end)
        }
        return model
    }

    /// The screens in order, each as the keys that reach it from the release screen.
    static let screens: [(String, [Key])] = [
        ("release", []),
        ("rule detail", [.enter]),
        ("gate detail", [.tab, .tab, .enter]),
        ("segment", [.tab, .character("j"), .enter]),
        ("audit", [.character("L")]),
        ("audit event", [.character("L"), .enter]),
        ("overview", [.character(":")] + "releases".map(Key.character) + [.enter]),
        ("events", [.character("E")]),
        ("help", [.character("?")]),
        ("command completion", [.character(":")] + "re".map(Key.character) + [.tab]),
        // Three events in, where the record has data to show.
        ("review", [.character("R"), .character("]"), .character("]"), .character("]")]),
        ("then and now", [.character("R"), .character("]"), .character("]"), .character("]"), .character("t")]),
        ("checklist", [.character("R"), .character("c")]),
        ("promote dialog", [.character("p")]),
        ("override dialog", [.character("P")]),
        ("rollback dialog", [.character("r")]),
        ("pause dialog", [.character(" ")]),
        ("hold dialog", [.character("H")]),
        ("acknowledge dialog", [.character("a")]),
        ("sign-off dialog", [.character("R"), .character("S")]),
    ]

    @Test(arguments: scenarios.map(\.0))
    func everyScreenAtEverySize(name: String) throws {
        let after = Self.scenarios.first { $0.0 == name }!.1
        let base = try Self.model(name, after: after)
        var frames: [String: String] = [:]
        for (w, h) in Self.sizes {
            var file = ""
            for (screen, keys) in Self.screens {
                var m = base
                for key in keys { _ = m.handle(key) }
                let text = m.render(RenderContext(width: w, height: h, now: 0)).plainText()
                // Trailing blanks trimmed: the files stay small and their diffs readable.
                let trimmed = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                    String(line.reversed().drop { $0 == " " }.reversed())
                }
                file += "== \(screen) ==\n" + trimmed.joined(separator: "\n") + "\n"
                frames["\(screen) \(w)"] = text
            }
            SnapshotSupport.assertSnapshot(file, named: "matrix-\(name)-\(w)x\(h).txt")
        }
        // Each key sequence reached its screen (not a message saying why it could not), at every size.
        for (w, _) in Self.sizes {
            #expect(frames["rule detail \(w)"]!.contains("— esc closes"), "rule detail at \(w)")
            #expect(frames["gate detail \(w)"]!.contains("gate "), "gate detail at \(w)")
            #expect(frames["segment \(w)"]!.contains("→ segment"), "segment at \(w)")
            #expect(frames["audit event \(w)"]!.contains("release's log"), "audit event at \(w)")
            #expect(frames["review \(w)"]!.contains("Timeline") || frames["review \(w)"]!.contains("timeline"), "review at \(w)")
            #expect(frames["then and now \(w)"]!.contains("Then and now"), "then and now at \(w)")
            #expect(frames["help \(w)"]!.contains("Everywhere") || frames["help \(w)"]!.contains("Keys ["), "help at \(w)")
            #expect(frames["rollback dialog \(w)"]!.contains("reason"), "rollback dialog at \(w)")
        }
        // Whole where it must be, at every size: the segment's metric table (the interval the marks use) and
        // then-and-now; the audit log's change column from 120 columns (below, it is left to the event's pane).
        for (w, _) in Self.sizes {
            let segment = frames["segment \(w)"]!.split(separator: "\n").map(String.init)
            let header = try #require(segment.firstIndex { $0.contains("METRIC") }, "segment at \(w)")
            for line in segment[header...].prefix(QualityMetric.allCases.count + 1) {
                let table = line.split(separator: "│", omittingEmptySubsequences: false).dropFirst().first.map(String.init) ?? line
                #expect(!table.contains("…"), "a cut cell in the segment table at \(w): \(line)")
            }
            let thenNow = frames["then and now \(w)"]!.split(separator: "\n").map(String.init)
            let top = try #require(thenNow.firstIndex { $0.contains("Then and now") })
            #expect(!thenNow[top..<(thenNow.count - 2)].contains { $0.contains("…") }, "then and now cut at \(w)")
            if w >= 120 {
                let rows = frames["audit \(w)"]!.split(separator: "\n").filter { $0.contains(" → ") }
                #expect(!rows.contains { $0.contains("…") }, "the audit log cut at \(w): \(rows.joined(separator: "\n"))")
            }
        }
    }
}
