import Foundation
import Testing
import GatewatchCore
@testable import GatewatchSQLite
@testable import GatewatchScenario

@Suite struct ScenariosFleetTests {
    @Test func theFleetRunsItsMembersInOneStoreAtDifferentStages() throws {
        let members = try ScenarioLoader.loadAll("fleet", root: TestSupport.sampleDataRoot)
        #expect(members.count >= 3)
        #expect(Set(members.map(\.release.slug)).count == members.count)
        #expect(Set(members.map(\.clockKey)).count == members.count)
        #expect(members.allSatisfy { $0.fleet == "fleet" })

        let wall = try #require(ISO8601.parse("2026-11-02T10:30:00Z"))
        let store = try SQLiteStore()
        var drivers: [DemoDriver] = []
        for member in members {
            let driver = try DemoDriver(scenario: member, store: store)
            try driver.advance(to: wall)
            #expect(driver.clock == wall)
            drivers.append(driver)
        }
        #expect(Set(try store.releaseSlugs()) == Set(members.map(\.release.slug)))
        for member in members {
            #expect(try store.simulationClock(member.clockKey) == wall)
        }
        let states = try members.map { try #require(try store.state($0.release.slug)) }
        let stages = Set(states.map(\.stageIndex))
        #expect(stages.count >= 3, "stage indices \(states.map(\.stageIndex))")
        // the members tell their own stories side by side
        let bySlug = Dictionary(uniqueKeysWithValues: zip(members.map(\.release.slug), states))
        #expect(bySlug["login-risk-v3"]?.status == .rolledBack)
        #expect(bySlug["checkout-risk-v5"]?.stageIndex == 0)
        #expect(bySlug["ads-brand-safety-v4"].map { members.first { $0.release.slug == "ads-brand-safety-v4" }!.release.stages[$0.stageIndex].name } == "ab-50")

        // a driver reopened on the same store resumes its own member's clock, not another's
        let reopened = try DemoDriver(scenario: members[1], store: store)
        #expect(reopened.clock == wall)
        #expect(try reopened.advance(to: wall + 120) == 2)
        #expect(try store.simulationClock(members[0].clockKey) == wall)
    }

    @Test func startOffsetsMoveTheMembersStartEarlier() throws {
        let members = try ScenarioLoader.loadAll("fleet", root: TestSupport.sampleDataRoot)
        let start = try #require(ISO8601.parse("2026-11-02T09:00:00Z"))
        let bySlug = Dictionary(uniqueKeysWithValues: members.map { ($0.release.slug, $0.simulation.start) })
        #expect(bySlug["fraud-scoring-v8"] == start - 3600)
        #expect(bySlug["checkout-risk-v5"] == start)
        #expect(bySlug["ads-brand-safety-v4"] == start - 2 * 3600)
    }

    @Test func anOrdinaryScenarioLoadsAllAsItself() throws {
        let all = try ScenarioLoader.loadAll("fraud-canary-healthy", root: TestSupport.sampleDataRoot)
        #expect(all.count == 1)
        #expect(all[0].release.slug == "fraud-scoring-v8")
        #expect(all[0].clockKey == "fraud-canary-healthy")
        #expect(all[0].simulation.start == (try TestSupport.healthyScenario()).simulation.start)
    }

    @Test func loadingAFleetAsOneScenarioSaysToUseLoadAll() throws {
        let error = try #require(#expect(throws: InputError.self) {
            try ScenarioLoader.load("fleet", root: TestSupport.sampleDataRoot)
        })
        #expect(error.message.contains("fleet"))
        #expect(error.hint?.contains("loadAll") == true)
        #expect(error.file.hasSuffix("fleet/fleet.yaml"))
    }

    /// A temporary root holding the healthy scenario and a fleet with `fleet.yaml` text.
    func fleetRoot(_ yaml: String) throws -> URL {
        let root = try TestSupport.temporaryDirectory()
        try FileManager.default.copyItem(atPath: TestSupport.sampleDataRoot + "/fraud-canary-healthy",
                                         toPath: root.appendingPathComponent("fraud-canary-healthy").path)
        let dir = root.appendingPathComponent("pair")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try yaml.write(to: dir.appendingPathComponent("fleet.yaml"), atomically: true, encoding: .utf8)
        return root
    }

    @Test func aReusedFolderNeedsItsOwnSlug() throws {
        let root = try fleetRoot("""
            description: the same release twice
            members:
              - { scenario: fraud-canary-healthy, start_offset: 0 }
              - { scenario: fraud-canary-healthy, start_offset: 90m, slug: fraud-scoring-v8-early, seed: 7 }
            """)
        defer { TestSupport.cleanUp(root) }
        let members = try ScenarioLoader.loadAll("pair", root: root.path)
        #expect(members.map(\.release.slug) == ["fraud-scoring-v8", "fraud-scoring-v8-early"])
        #expect(members[1].simulation.seed == 7)
        #expect(members[0].simulation.start - members[1].simulation.start == 5400)
        #expect(members.map(\.clockKey) == ["pair/fraud-scoring-v8", "pair/fraud-scoring-v8-early"])
        #expect(ScenarioLoader.list(root: root.path).contains { $0.name == "pair" && $0.description == "the same release twice" })

        let duplicate = try fleetRoot("""
            description: clash
            members:
              - { scenario: fraud-canary-healthy }
              - { scenario: fraud-canary-healthy, start_offset: 1h }
            """)
        defer { TestSupport.cleanUp(duplicate) }
        let error = try #require(#expect(throws: InputError.self) { try ScenarioLoader.loadAll("pair", root: duplicate.path) })
        #expect(error.message.contains("fraud-scoring-v8"), "\(error.message)")
        #expect(error.hint?.contains("slug") == true)

        let unknown = try fleetRoot("""
            description: missing member
            members:
              - { scenario: nowhere }
            """)
        defer { TestSupport.cleanUp(unknown) }
        let missing = try #require(#expect(throws: InputError.self) { try ScenarioLoader.loadAll("pair", root: unknown.path) })
        #expect(missing.message.contains("nowhere"))
    }

    /// A start_offset so large that the member would start before any representable time crashed the loader
    /// (Int64 overflow in `start - start_offset`); it is an error at the member's key now: no duration is longer
    /// than 3650d. The fleet is Tests/Fuzz/corpus/fleet/regression-start-offset-overflow.yaml.
    @Test func anOffsetPastAnyTimeIsAnError() throws {
        let root = try fleetRoot("""
            description: an offset of 292 billion years
            start: "1969-12-31T00:00:00Z"
            members:
              - { scenario: fraud-canary-healthy, start_offset: 106751991167300d }
            """)
        defer { TestSupport.cleanUp(root) }
        let error = try #require(#expect(throws: InputError.self) { try ScenarioLoader.loadAll("pair", root: root.path) })
        #expect(error.message == "members[0].start_offset: '106751991167300d' is longer than 3650d, the longest duration", "\(error.message)")
        #expect(error.file.hasSuffix("pair/fleet.yaml"))
    }

    @Test func assignmentBiasOnlyMovesSplitStages() {
        let canary = Stage(name: "canary-5", kind: .canary, trafficPercent: 5, bakeSeconds: 0)
        let other = Stage(name: "canary-25", kind: .canary, trafficPercent: 25, bakeSeconds: 0)
        let shadow = Stage(name: "shadow", kind: .shadow, trafficPercent: 0, bakeSeconds: 0)
        let full = Stage(name: "full", kind: .full, trafficPercent: 100, bakeSeconds: 0)
        let bias = AssignmentBias(multiplier: 1.4, stages: ["canary-5"])
        #expect(abs(bias.apply(0.05, stage: canary) - 0.07) < 1e-12)
        #expect(bias.apply(0.25, stage: other) == 0.25)
        let everywhere = AssignmentBias(offset: 0.02)
        #expect(abs(everywhere.apply(0.25, stage: other) - 0.27) < 1e-12)
        #expect(everywhere.apply(0, stage: shadow) == 0)
        #expect(everywhere.apply(1, stage: full) == 1)
        #expect(AssignmentBias(multiplier: 30).apply(0.05, stage: canary) == 1)
    }
}
