import Foundation
import Testing
import GatewatchCore
@testable import GatewatchSQLite
@testable import GatewatchScenario

/// `OpenMetricsImporter`: loading into the SQLite store, all or nothing.
@Suite struct OpenMetricsImportTests {
    static let goodText = """
        # TYPE gatewatch_decisions counter
        gatewatch_decisions_total{release="fraud-v2",arm="challenger",segment="market=BR,surface=app",action="allow"} 10 1762074000
        gatewatch_decisions_total{release="fraud-v2",arm="challenger",segment="market=BR,surface=app",action="allow"} 25 1762074060
        gatewatch_decisions_total{release="fraud-v3",arm="champion",segment="market=EU,surface=web",action="block"} 2 1762074000
        # TYPE gatewatch_review_queue_depth gauge
        gatewatch_review_queue_depth{release="fraud-v2"} 12 1762074000
        gatewatch_review_queue_depth{release="fraud-v2"} NaN 1762074060
        gatewatch_review_queue_depth{release="fraud-v3"} 3 1762074000
        node_load1{instance="x"} 0.5 1762074000
        # EOF

        """

    @Test func loadsEveryReleaseAndCountsWhatItSkipped() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let file = dir.appendingPathComponent("in.om").path
        try Self.goodText.write(toFile: file, atomically: true, encoding: .utf8)
        let store = try SQLiteStore(path: dir.appendingPathComponent("store.sqlite").path)
        let summary = try OpenMetricsImporter.load(path: file, into: store)
        #expect(summary.releases.map(\.release) == ["fraud-v2", "fraud-v3"])
        #expect(summary.releases.map(\.samples) == [4, 2])
        #expect(summary.releases.map(\.series) == [2, 2])
        #expect(summary.releases[0].nanSamples == 1)
        #expect(summary.skipped == ["node_load1": 1])
        #expect(summary.lines.last?.contains("node_load1 (1)") == true)

        let v2 = try store.samples(release: "fraud-v2", after: nil, through: .max)
        #expect(v2[SeriesKey(.decisions, arm: .challenger, segment: "market=BR,surface=app", extra: "allow")]
            == [Sample(time: 1_762_074_000, value: 10), Sample(time: 1_762_074_060, value: 25)])
        // NaN (staleness) is not stored
        #expect(v2[SeriesKey(.reviewQueueDepth)] == [Sample(time: 1_762_074_000, value: 12)])
        let v3 = try store.samples(release: "fraud-v3", after: nil, through: .max)
        #expect(v3[SeriesKey(.reviewQueueDepth)] == [Sample(time: 1_762_074_000, value: 3)])
    }

    @Test func aBadLastLineLeavesTheStoreUnchanged() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let store = try SQLiteStore(path: dir.appendingPathComponent("store.sqlite").path)
        // existing data that the import would extend and overwrite
        try store.append(release: "fraud-v2", samples: [SeriesKey(.reviewQueueDepth): [Sample(time: 1_762_074_000, value: 99)]])
        let before = try ["fraud-v2", "fraud-v3"].map { try store.samples(release: $0, after: nil, through: .max) }

        let bad = Self.goodText.replacingOccurrences(of: "# EOF\n", with: "")
            + "gatewatch_review_queue_depth{release=\"fraud-v3\"} 4 1762074060 trailing\n"
        let lastLine = bad.split(separator: "\n").count
        let file = dir.appendingPathComponent("bad.om").path
        try bad.write(toFile: file, atomically: true, encoding: .utf8)
        let error = try #require(throws: InputError.self) { try OpenMetricsImporter.load(path: file, into: store) }
        #expect(error.line == lastLine)
        #expect(error.column == 63)
        #expect(error.description.hasPrefix("\(file):\(lastLine):63: "))

        let after = try ["fraud-v2", "fraud-v3"].map { try store.samples(release: $0, after: nil, through: .max) }
        #expect(after == before)
        #expect(after[0][SeriesKey(.reviewQueueDepth)] == [Sample(time: 1_762_074_000, value: 99)])
        #expect(after[1].isEmpty)
    }

    @Test func unreadableAndNonUTF8FilesAreInputErrors() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let missing = dir.appendingPathComponent("missing.om").path
        let e1 = try #require(throws: InputError.self) { try OpenMetricsImporter.read(missing) }
        #expect(e1.file == missing)
        let binary = dir.appendingPathComponent("binary.om")
        try Data([0x67, 0xff, 0xfe, 0x0a]).write(to: binary)
        let e2 = try #require(throws: InputError.self) { try OpenMetricsImporter.read(binary.path) }
        #expect(e2.message.contains("UTF-8"))
    }
}
