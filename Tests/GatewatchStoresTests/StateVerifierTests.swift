import Foundation
import Testing
import GatewatchCore
@testable import GatewatchAudit
@testable import GatewatchSQLite
@testable import GatewatchMLflow
import GatewatchTestSupport

/// A stored state that no audited transition explains is found, though the events' hash chain is intact: an
/// UPDATE of the embedded store's state row, a newer state tag written straight into MLflow.
@Suite("State explained by the audit log", .serialized)
struct StateVerifierTests {
    typealias S = MLflowTestSupport

    /// A release started and promoted once, as every writer leaves it.
    static func promoted(_ registry: any Registry, _ release: Release) throws {
        try registry.create(release, state: S.initial, event: S.start(release))
        var next = S.initial
        next.stageIndex = 1
        next.stageEnteredAt = S.t0 + 60
        try registry.transition(release.slug, expectedVersion: 1, to: next,
                                event: S.event(release.slug, kind: .promote, time: S.t0 + 60, from: "shadow", to: release.stages[1].name))
    }

    @Test func anUpdatedStateRowInTheEmbeddedStoreIsFound() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gw-state-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let release = try S.sampleRelease("state")
        do {
            let store = try SQLiteStore(path: path)
            try Self.promoted(store, release)
            #expect(StateVerifier.problem(release.slug, in: store) == nil, "a state written with its event is explained")
        }
        let last = release.stages.count - 1
        let update = try TestProcesses.run("/usr/bin/sqlite3", [path,
            "UPDATE rollout_state SET state = json_set(state, '$.stageIndex', \(last), '$.status', 'complete') WHERE slug = '\(release.slug)'"])
        #expect(update.status == 0, "\(update.output)")
        let store = try SQLiteStore(path: path)
        #expect(try store.state(release.slug)?.stageIndex == last, "the premise: the row was changed")
        #expect(AuditVerifier.verify(try store.auditTrail(release: release.slug)).outcome == .ok, "the premise: the chain is intact")
        let problem = try #require(StateVerifier.problem(release.slug, in: store))
        #expect(problem.contains("stage full where the log leads to canary-1"), "\(problem)")
        #expect(problem.contains("status complete where the log leads to running"), "\(problem)")
    }

    @Test(.enabled(if: MLflowServer.enabled, Comment(rawValue: MLflowServer.skipMessage)))
    func aStateTagWrittenStraightIntoMLflowIsFound() throws {
        let server = try MLflowServer.start(.open)
        defer { server.stop() }
        let registry = try S.registry(server.url)
        let release = try S.sampleRelease("state")
        try Self.promoted(registry, release)
        #expect(StateVerifier.problem(release.slug, in: registry) == nil)
        // A newer state tag beside the real ones, as anyone with EDIT on the model can write it.
        let plain = try S.PlainREST(server.url)
        let tags = try plain.versionTags(release.model, release.challengerVersion)
        let stateTags = tags.filter { $0.key.hasPrefix("gatewatch.\(release.slug).state.") }.sorted { $0.key < $1.key }
        let newest = try #require(stateTags.last)
        var object = try #require(try JSONSerialization.jsonObject(with: Data(newest.value.utf8)) as? [String: Any])
        var state = try #require(object["state"] as? [String: Any])
        state["stageIndex"] = release.stages.count - 1
        state["status"] = "complete"
        object["state"] = state
        let token = String(newest.key.split(separator: ".").last!)
        let key = MLflowTagLayout.stateKey(release.slug, version: 9, token: token)
        let value = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        try plain.setVersionTag(release.model, release.challengerVersion, key, value)
        let fresh = try S.registry(server.url)
        #expect(try fresh.state(release.slug)?.status == .complete, "the premise: the forged tag is read as the state")
        #expect(AuditVerifier.verify(try fresh.auditTrail(release: release.slug)).outcome == .ok, "the premise: the chain is intact")
        let problem = try #require(StateVerifier.problem(release.slug, in: fresh))
        #expect(problem.contains("stage full where the log leads to canary-1"), "\(problem)")
    }
}
