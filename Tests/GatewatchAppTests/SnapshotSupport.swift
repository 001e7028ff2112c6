import Foundation
import Testing
import GatewatchScenario

/// Text snapshots under Tests/GatewatchAppTests/Snapshots. Set GATEWATCH_RECORD=1 to re-record; a missing
/// snapshot is recorded and the test fails so that the new file gets looked at before it is committed.
enum SnapshotSupport {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sampleData = repositoryRoot.appendingPathComponent("sample-data").path

    static func assertSnapshot(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = directory.appendingPathComponent(name)
        let record = ProcessInfo.processInfo.environment["GATEWATCH_RECORD"] == "1"
        guard !record, let expected = try? String(contentsOf: url, encoding: .utf8) else {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            Issue.record("recorded snapshot \(name); check it and run again", sourceLocation: sourceLocation)
            return
        }
        if expected != actual {
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let firstDiff = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, e.count)
            Issue.record("snapshot \(name) differs at line \(firstDiff + 1)\nexpected: \(firstDiff < e.count ? String(e[firstDiff]) : "<end>")\nactual:   \(firstDiff < a.count ? String(a[firstDiff]) : "<end>")\n--- actual ---\n\(actual)", sourceLocation: sourceLocation)
        }
    }

    static func scenario(_ name: String = "fraud-canary-healthy") throws -> Scenario {
        try ScenarioLoader.load(name, root: sampleData)
    }
}
