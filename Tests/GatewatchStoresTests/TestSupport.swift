import Foundation
import GatewatchCore
@testable import GatewatchScenario

enum TestSupport {
    /// `<repo>/sample-data`, found from this file's path (Tests/GatewatchStoresTests/TestSupport.swift).
    static var sampleDataRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("sample-data").path
    }

    static func healthyScenario() throws -> Scenario {
        try ScenarioLoader.load("fraud-canary-healthy", root: sampleDataRoot)
    }

    /// A fresh path in the temporary directory; the folder is removed by `cleanUp`.
    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gatewatch-tests-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func cleanUp(_ dir: URL) { try? FileManager.default.removeItem(at: dir) }
}
