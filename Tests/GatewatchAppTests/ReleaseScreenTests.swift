import Testing
import GatewatchApp
import GatewatchCore
import GatewatchUI

@Suite struct ReleaseScreenTests {
    @Test func healthyCanaryAt2hOn80x24() throws {
        let canvas = try SnapshotRenderer.render(scenario: SnapshotSupport.scenario(), after: 2 * 3600, width: 80, height: 24)
        SnapshotSupport.assertSnapshot(canvas.plainText(), named: "release-healthy-2h-80x24.txt")
        // The pieces issue #2 asks for are on screen.
        let text = canvas.plainText()
        #expect(text.contains("fraud-scoring-v8"))
        #expect(text.contains("v7 → v8"))
        #expect(text.contains("Stages"))
        #expect(text.contains("Stop rules"))
        #expect(text.contains("sim 11-02 11:00Z"))
    }

    @Test func healthyCanaryAt5hOn160x48() throws {
        let canvas = try SnapshotRenderer.render(scenario: SnapshotSupport.scenario(), after: 5 * 3600, width: 160, height: 48)
        SnapshotSupport.assertSnapshot(canvas.plainText(), named: "release-healthy-5h-160x48.txt")
        SnapshotSupport.assertSnapshot(canvas.styleRuns(), named: "release-healthy-5h-160x48.styles.txt")
    }

    /// Twenty minutes in, the queue has no hour of depth yet: the panel says what it waits for, not "draining".
    @Test func theQueuePanelWaitsForAnHourBeforeItCallsATrend() throws {
        let text = try SnapshotRenderer.render(scenario: SnapshotSupport.scenario(), after: 20 * 60, width: 160, height: 48).plainText()
        #expect(text.contains("trend in 41m: needs 1h of depth") || text.contains("trend in 40m: needs 1h of depth"), "\(text)")
        #expect(text.contains("growth —"))
        #expect(!text.contains("draining"))
    }

    @Test func asciiGlyphsOnly() throws {
        let canvas = try SnapshotRenderer.render(scenario: SnapshotSupport.scenario(), after: 2 * 3600, width: 80, height: 24, glyphs: .ascii)
        let text = canvas.plainText()
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII }, "non-ASCII in: \(text.unicodeScalars.filter { !$0.isASCII })")
        SnapshotSupport.assertSnapshot(text, named: "release-healthy-2h-80x24.ascii.txt")
    }

    @Test func firingRollbackRuleIsImpossibleToMiss() throws {
        var scenario = try SnapshotSupport.scenario()
        scenario.simulation.challenger.latencyMedianMs = 250
        scenario.simulation.challenger.latencyP99Ms = 1500
        // After the controller's rollback the challenger's rules say what they were, not that they still fire.
        let rolledBack = try SnapshotRenderer.render(scenario: scenario, after: 40 * 60, width: 100, height: 30).plainText()
        SnapshotSupport.assertSnapshot(rolledBack, named: "release-latency-firing-40m-100x30.txt")
        #expect(rolledBack.contains("Rolled back"))
        #expect(rolledBack.contains("- was firing"), "\(rolledBack)")
        #expect(!rolledBack.contains("FIRING"), "\(rolledBack)")
        // Without a controller the rule is live and firing.
        scenario.simulation.autoRollback = false
        let canvas = try SnapshotRenderer.render(scenario: scenario, after: 40 * 60, width: 100, height: 30)
        let text = canvas.plainText()
        SnapshotSupport.assertSnapshot(text, named: "release-latency-firing-live-40m-100x30.txt")
        #expect(text.contains("ROLLBACK RULE FIRING"))
        #expect(text.contains("FIRING"))
        // The firing row is drawn in the theme's firing style, and its severity too.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let row = try #require(lines.firstIndex { $0.contains("FIRING") })
        let firing = Theme.default.style("rule.firing")
        let x = try #require(lines[row].firstRange(of: "FIRING")).lowerBound.utf16Offset(in: lines[row])
        #expect(canvas[x, row].style == firing || canvas[x, row].style.reverse, "FIRING cell style: \(canvas[x, row].style)")
    }

    @Test func enterExplainsTheSelectedRule() throws {
        var scenario = try SnapshotSupport.scenario()
        scenario.simulation.challenger.latencyMedianMs = 250
        scenario.simulation.challenger.latencyP99Ms = 1500
        var model = try SnapshotRenderer.model(scenario: scenario, after: 40 * 60)
        // The firing p99 rule is the first row (firing rules first).
        model.releaseScreen.selectedRule = ListSelection(row: 0)
        _ = model.handle(.enter)
        #expect(model.releaseScreen.explaining)
        let canvas = model.render(RenderContext(width: 100, height: 30, now: 0))
        let text = canvas.plainText()
        SnapshotSupport.assertSnapshot(text, named: "release-latency-firing-explained-100x30.txt")
        #expect(text.contains("latency_p99{arm=\"challenger\"}[5m] > 0.3 for 10m"))
        #expect(text.contains("vs threshold > 300ms"))
        #expect(text.contains("pending→firing"))
        _ = model.handle(.escape)
        #expect(!model.releaseScreen.explaining)
    }

    @Test func hostileNamesNeverReachTheTerminalRaw() throws {
        var scenario = try SnapshotSupport.scenario()
        scenario.release.title = "evil\u{1B}[31mRED\u{1B}[0m\u{202E}txt.exe\u{7}"
        scenario.release.owner = "bob\r\nrm -rf"
        let canvas = try SnapshotRenderer.render(scenario: scenario, after: 3600, width: 120, height: 30)
        for y in 0..<canvas.height {
            for x in 0..<canvas.width {
                for scalar in canvas[x, y].text.unicodeScalars {
                    #expect(scalar.value >= 0x20 && scalar.value != 0x7F && !(0x80...0x9F).contains(scalar.value)
                            && !(0x202A...0x202E).contains(scalar.value), "raw control U+\(String(scalar.value, radix: 16)) at \(x),\(y)")
                }
            }
        }
        let text = canvas.plainText()
        #expect(text.contains("evil␛[31mRED␛[0m"))
        #expect(text.contains("bob␍␊rm -rf"))
    }

    @Test func tooSmallTerminalSaysHowBigItMustBe() throws {
        let canvas = try SnapshotRenderer.render(scenario: SnapshotSupport.scenario(), after: 60, width: 40, height: 10)
        #expect(canvas.plainText().contains("Enlarge it to at least \(ReleaseScreen.minimumWidth)×\(ReleaseScreen.minimumHeight)"))
    }
}
