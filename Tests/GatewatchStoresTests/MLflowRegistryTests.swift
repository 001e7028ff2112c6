import Foundation
import NIOConcurrencyHelpers
import XCTest
import GatewatchCore
@testable import GatewatchHTTP
@testable import GatewatchAudit
@testable import GatewatchMLflow
import GatewatchTestSupport

/// Helpers shared by the MLflow registry test classes.
enum MLflowTestSupport {
    static let t0: Timestamp = 1_762_074_000
    static let initial = RolloutState(stageIndex: 0, stageEnteredAt: t0, startedAt: t0, status: .running, version: 1)

    /// The sample scenario's release under a slug and model name of its own (the server is shared by a class).
    static func sampleRelease(_ label: String) throws -> Release {
        var release = try TestSupport.healthyScenario().release
        let suffix = String(UUID().uuidString.prefix(6)).lowercased()
        release.slug = "\(release.slug)-\(label)-\(suffix)"
        release.model = "\(release.model)-\(label)-\(suffix)"
        return release
    }

    static func event(_ slug: String, kind: AuditKind, time: Timestamp, from: String, to: String,
                      actor: String = "ana", role: Role = .owner, reason: String = "why") -> AuditEvent {
        AuditEvent(release: slug, time: time, actor: actor, role: role, kind: kind, reason: reason, fromState: from, toState: to)
    }

    static func start(_ release: Release) -> AuditEvent {
        event(release.slug, kind: .start, time: t0, from: "", to: release.stages[0].name)
    }

    static func registry(_ url: URL, environment: [String: String] = [:], timeout: Double = 10) throws -> MLflowRegistry {
        try MLflowRegistry(options: MLflowOptions(url: url, timeout: timeout), environment: environment)
    }

    /// The message of a `RegistryError.unavailable`, failing the test for anything else.
    static func unavailableMessage(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            try body()
            XCTFail("expected RegistryError.unavailable, nothing was thrown", file: file, line: line)
        } catch RegistryError.unavailable(let message) {
            return message
        } catch {
            XCTFail("expected RegistryError.unavailable, got \(error)", file: file, line: line)
        }
        return ""
    }

    /// Plain REST reads, independent of `MLflowRegistry`.
    struct PlainREST {
        let connection: HTTPConnection

        init(_ url: URL, credentials: HTTPCredentials = .none) throws {
            connection = try HTTPConnection(baseURL: url, credentials: credentials, timeout: 10)
        }

        func json(_ path: String, _ query: [String: String]) throws -> [String: Any] {
            let r = try connection.get("/api/2.0/mlflow/" + path, query: query.map { URLQueryItem(name: $0.key, value: $0.value) })
            return (try JSONSerialization.jsonObject(with: r.body) as? [String: Any]) ?? ["status": r.status]
        }

        /// The version an alias points at (nil when MLflow does not know the alias).
        func alias(_ model: String, _ alias: String) throws -> String? {
            let answer = try json("registered-models/alias", ["name": model, "alias": alias])
            return (answer["model_version"] as? [String: Any])?["version"] as? String
        }

        func versionTags(_ model: String, _ version: String) throws -> [String: String] {
            let answer = try json("model-versions/get", ["name": model, "version": version])
            let tags = ((answer["model_version"] as? [String: Any])?["tags"] as? [[String: Any]]) ?? []
            var result: [String: String] = [:]
            for tag in tags { if let k = tag["key"] as? String { result[k] = tag["value"] as? String ?? "" } }
            return result
        }

        func modelTags(_ model: String) throws -> [String: String] {
            let answer = try json("registered-models/get", ["name": model])
            let tags = ((answer["registered_model"] as? [String: Any])?["tags"] as? [[String: Any]]) ?? []
            var result: [String: String] = [:]
            for tag in tags { if let k = tag["key"] as? String { result[k] = tag["value"] as? String ?? "" } }
            return result
        }

        func setVersionTag(_ model: String, _ version: String, _ key: String, _ value: String) throws {
            let body = try JSONSerialization.data(withJSONObject: ["name": model, "version": version, "key": key, "value": value])
            let r = try connection.post("/api/2.0/mlflow/model-versions/set-tag", json: body)
            XCTAssertEqual(r.status, 200, r.text)
        }
    }

    /// Results collected from several threads.
    final class Outcomes: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var wins = 0
        private(set) var conflicts = 0
        private(set) var others: [String] = []

        func record(_ body: () throws -> Void) {
            do {
                try body()
                lock.withLock { wins += 1 }
            } catch RegistryError.conflict {
                lock.withLock { conflicts += 1 }
            } catch {
                lock.withLock { others.append("\(error)") }
            }
        }
    }
}

/// `MLflowRegistry` against a real MLflow 3.17.2 server without authentication (one server for the class).
final class MLflowRegistryTests: XCTestCase {
    nonisolated(unsafe) static var shared: Result<MLflowServer, MLflowServer.Unavailable>?
    var server: MLflowServer!
    typealias S = MLflowTestSupport

    override class func setUp() {
        super.setUp()
        shared = MLflowServer.startShared(.open, label: "open")
    }

    override class func tearDown() {
        MLflowServer.stopShared(&shared)
        super.tearDown()
    }

    override func setUpWithError() throws {
        server = try MLflowServer.require(Self.shared)
    }

    func testCreateStoresTheSampleReleaseAndReadsItBackEqual() throws {
        let registry = try S.registry(server.url)
        let release = try S.sampleRelease("create")
        try registry.create(release, state: S.initial, event: S.start(release))

        XCTAssertTrue(try registry.releaseSlugs().contains(release.slug))
        XCTAssertEqual(try registry.release(release.slug), release)
        XCTAssertEqual(try registry.state(release.slug), S.initial)
        let events = try registry.auditEvents(release: release.slug)
        XCTAssertEqual(events.map(\.kind), [.start])
        XCTAssertEqual(events.first?.id, 1)
        XCTAssertEqual(events.first?.toState, release.stages[0].name)
        XCTAssertEqual(events.first?.release, release.slug)

        // A second registry (another operator) sees the same, from the server alone.
        let other = try S.registry(server.url)
        XCTAssertEqual(try other.release(release.slug), release)
        XCTAssertEqual(try other.state(release.slug), S.initial)
        XCTAssertEqual(try other.auditEvents(release: release.slug), events)

        XCTAssertThrowsError(try registry.create(release, state: S.initial, event: S.start(release))) { error in
            XCTAssertEqual(error as? RegistryError, .alreadyExists(release.slug))
        }
        XCTAssertEqual(try other.auditEvents(release: release.slug).count, 1)
        XCTAssertNil(try registry.release("nope-\(UUID().uuidString.prefix(4))"))
        XCTAssertNil(try registry.state("nope"))
        XCTAssertNil(try registry.release("not a slug!"))
        XCTAssertEqual(try registry.auditEvents(release: "nope"), [])
        XCTAssertTrue(try registry.auditEvents(release: nil).contains { $0.release == release.slug && $0.kind == .start })

        // Placeholder versions up to the challenger, and the aliases, as any MLflow client sees them.
        let plain = try S.PlainREST(server.url)
        XCTAssertEqual(try plain.alias(release.model, "champion"), release.championVersion)
        XCTAssertEqual(try plain.alias(release.model, "challenger"), release.challengerVersion)
        XCTAssertEqual(try plain.modelTags(release.model)["gatewatch.release.\(release.slug)"], release.challengerVersion)
        XCTAssertEqual(try plain.modelTags(release.model)["gatewatch.managed"], "true")
        let tags = try plain.versionTags(release.model, release.challengerVersion)
        XCTAssertEqual(tags["gatewatch.\(release.slug).spec.chunks"].flatMap(Int.init).map { $0 >= 1 }, true)
        XCTAssertEqual(tags.keys.filter { $0.hasPrefix("gatewatch.\(release.slug).state.00000001.") }.count, 1)
        XCTAssertEqual(tags.keys.filter { $0.hasPrefix("gatewatch.\(release.slug).audit.00000001.") }.count, 1)
    }

    func testTransitionsAreCompareAndSwapOnTheStateVersion() throws {
        let registry = try S.registry(server.url)
        let release = try S.sampleRelease("cas")
        let slug = release.slug
        try registry.create(release, state: S.initial, event: S.start(release))

        var next = S.initial
        next.stageIndex = 1
        next.stageEnteredAt = S.t0 + 1800
        try registry.transition(slug, expectedVersion: 1, to: next,
                                event: S.event(slug, kind: .promote, time: S.t0 + 1800, from: "shadow", to: "canary-1"))
        let state = try XCTUnwrap(try registry.state(slug))
        XCTAssertEqual(state.version, 2)
        XCTAssertEqual(state.stageIndex, 1)
        XCTAssertEqual(state.stageEnteredAt, S.t0 + 1800)
        var events = try registry.auditEvents(release: slug)
        XCTAssertEqual(events.map(\.kind), [.start, .promote])
        XCTAssertEqual(events.map(\.fromState), ["", "shadow"])
        XCTAssertEqual(events.compactMap(\.id), [1, 2])

        // A stale version conflicts and writes nothing.
        let before = events
        var rollback = S.initial
        rollback.status = .rolledBack
        XCTAssertThrowsError(try registry.transition(slug, expectedVersion: 1, to: rollback,
                                                     event: S.event(slug, kind: .rollback, time: S.t0 + 120, from: "shadow", to: "rolled back"))) {
            XCTAssertEqual($0 as? RegistryError, .conflict(release: slug, expected: 1, found: 2))
        }
        XCTAssertEqual(try registry.auditEvents(release: slug), before)
        XCTAssertEqual(try registry.state(slug), state)

        // The next writer must know version 2.
        var third = state
        third.status = .paused
        try registry.transition(slug, expectedVersion: 2, to: third,
                                event: S.event(slug, kind: .pause, time: S.t0 + 1900, from: "canary-1", to: "paused"))
        XCTAssertEqual(try registry.state(slug)?.version, 3)
        XCTAssertEqual(try registry.state(slug)?.status, .paused)

        // Notes append without changing the state.
        try registry.append(S.event(slug, kind: .note, time: S.t0 + 1950, from: "canary-1", to: "canary-1", reason: "looks fine"))
        events = try registry.auditEvents(release: slug)
        XCTAssertEqual(events.map(\.kind), [.start, .promote, .pause, .note])
        XCTAssertEqual(events.compactMap(\.id), [1, 2, 3, 4])
        XCTAssertEqual(events.last?.reason, "looks fine")
        XCTAssertEqual(try registry.state(slug)?.version, 3)

        XCTAssertThrowsError(try registry.transition("ghost-\(UUID().uuidString.prefix(4))", expectedVersion: 1, to: rollback,
                                                     event: S.event("ghost", kind: .rollback, time: S.t0, from: "", to: ""))) {
            guard case RegistryError.unknownRelease = $0 else { return XCTFail("expected unknownRelease, got \($0)") }
        }
        XCTAssertThrowsError(try registry.append(S.event("ghost-x", kind: .note, time: S.t0, from: "", to: ""))) {
            XCTAssertEqual($0 as? RegistryError, .unknownRelease("ghost-x"))
        }
    }

    /// Two operators (two registries, two connections) act on the same state at the same moment, many times:
    /// each round exactly one wins, the other gets `.conflict`, and the history has one event per round.
    func testRacingRegistriesExactlyOneWinsEachRound() throws {
        let release = try S.sampleRelease("race")
        let slug = release.slug
        let a = try S.registry(server.url), b = try S.registry(server.url)
        try a.create(release, state: S.initial, event: S.start(release))
        XCTAssertNotNil(try b.state(slug))

        // GATEWATCH_MLFLOW_RACE_ROUNDS raises the number of rounds for a stress run.
        let rounds = ProcessInfo.processInfo.environment["GATEWATCH_MLFLOW_RACE_ROUNDS"].flatMap { Int($0) } ?? 12
        for round in 0..<rounds {
            let current = try XCTUnwrap(try a.state(slug))
            XCTAssertEqual(current.version, Int64(1 + round))
            let outcomes = S.Outcomes()
            let registries = [a, b]
            DispatchQueue.concurrentPerform(iterations: 2) { i in
                var next = current
                next.stageIndex = i
                next.status = i == 0 ? .running : .paused
                let event = S.event(slug, kind: i == 0 ? .resume : .pause, time: S.t0 + Int64(round), from: "r\(round)",
                                    to: "writer-\(i)", actor: "op\(i)")
                outcomes.record { try registries[i].transition(slug, expectedVersion: current.version, to: next, event: event) }
            }
            XCTAssertEqual(outcomes.others, [], "round \(round)")
            XCTAssertEqual(outcomes.wins, 1, "round \(round): \(outcomes.wins) winners")
            XCTAssertEqual(outcomes.conflicts, 1, "round \(round)")
            // The stored state is the winner's, and the audit trail has exactly the winner's event for the round.
            let state = try XCTUnwrap(try b.state(slug))
            XCTAssertEqual(state.version, current.version + 1)
            let roundEvents = try b.auditEvents(release: slug).filter { $0.fromState == "r\(round)" }
            XCTAssertEqual(roundEvents.count, 1, "round \(round)")
            XCTAssertEqual(roundEvents.first?.toState, "writer-\(state.stageIndex)")
        }
        let events = try a.auditEvents(release: slug)
        XCTAssertEqual(events.count, 1 + rounds)
        XCTAssertEqual(events.compactMap(\.id), (1...Int64(1 + rounds)).map { $0 })
        XCTAssertEqual(AuditVerifier.verify(try b.auditTrail(release: slug)).outcome, .ok)
    }

    /// Two operators acknowledging the same episode at once through two registries append one acknowledgement:
    /// the check runs inside the append's loop, on the events the chain head confirms.
    func testRacingAcknowledgementsOfOneEpisodeAppendOne() throws {
        let release = try S.sampleRelease("ack-race")
        let slug = release.slug
        let a = try S.registry(server.url), b = try S.registry(server.url)
        try a.create(release, state: S.initial, event: S.start(release))
        let registries = [a, b]
        for round in 0..<6 {
            let key = "ack rule-\(round) [overall] rollback"
            let covered = NIOLockedValueBox<[Bool]>([])
            DispatchQueue.concurrentPerform(iterations: 2) { i in
                let event = S.event(slug, kind: .acknowledge, time: S.t0 + Int64(round), from: "", to: key, actor: "op\(i)")
                do {
                    let prior = try registries[i].append(event, unlessCoveredBy: { events in events.last { $0.toState == key } })
                    covered.withLockedValue { $0.append(prior != nil) }
                } catch {
                    XCTFail("round \(round), writer \(i): \(error)")
                }
            }
            XCTAssertEqual(covered.withLockedValue { $0.map { $0 ? "covered" : "appended" }.sorted() }, ["appended", "covered"], "round \(round): one appends, one is told it was covered")
            XCTAssertEqual(try b.auditEvents(release: slug).filter { $0.toState == key }.count, 1, "round \(round)")
        }
        XCTAssertEqual(AuditVerifier.verify(try b.auditTrail(release: slug)).outcome, .ok)
    }

    /// Appends from two registries at once never share an id and never lose an event.
    func testConcurrentAppendsKeepEveryEventWithDistinctIds() throws {
        let release = try S.sampleRelease("append")
        let slug = release.slug
        let a = try S.registry(server.url), b = try S.registry(server.url)
        try a.create(release, state: S.initial, event: S.start(release))
        let perWriter = 6
        let outcomes = S.Outcomes()
        let registries = [a, b]
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            for n in 0..<perWriter {
                outcomes.record {
                    try registries[i].append(S.event(slug, kind: .note, time: S.t0 + Int64(n), from: "", to: "", actor: "op\(i)",
                                                     reason: "note \(n) from \(i)"))
                }
            }
        }
        XCTAssertEqual(outcomes.others, [])
        XCTAssertEqual(outcomes.wins, 2 * perWriter)
        let events = try a.auditEvents(release: slug)
        XCTAssertEqual(events.count, 1 + 2 * perWriter)
        // Ids are unique and increase in append order; an append waits for the one in progress, so none is skipped.
        let ids = events.compactMap(\.id)
        XCTAssertEqual(ids, (1...Int64(1 + 2 * perWriter)).map { $0 })
        // One hash chain through all of them.
        XCTAssertEqual(AuditVerifier.verify(try a.auditTrail(release: slug)).outcome, .ok)
        XCTAssertEqual(ids.count, events.count)
        XCTAssertEqual(ids, ids.sorted())
        XCTAssertEqual(Set(ids).count, ids.count)
        XCTAssertEqual(ids.first, 1)
        for i in 0..<2 {
            // Each writer's notes are all there, in the order it wrote them.
            XCTAssertEqual(events.filter { $0.actor == "op\(i)" }.map(\.reason), (0..<perWriter).map { "note \($0) from \(i)" })
        }
    }

    /// The promotion to the last stage moves the `champion` alias to the challenger; a rollback moves it back.
    func testLastPromotionMovesTheChampionAliasAndRollbackRestoresIt() throws {
        let registry = try S.registry(server.url)
        let release = try S.sampleRelease("alias")
        let slug = release.slug
        let plain = try S.PlainREST(server.url)
        try registry.create(release, state: S.initial, event: S.start(release))
        XCTAssertEqual(try plain.alias(release.model, "champion"), release.championVersion)

        // Walk the stage plan the way the action layer does.
        var state = try XCTUnwrap(try registry.state(slug))
        let last = release.stages.count - 1
        for index in 1...last {
            var next = state
            next.stageIndex = index
            next.stageEnteredAt = S.t0 + Int64(index) * 3600
            next.status = index == last ? .complete : .running
            if index == last {
                next.rollbackTarget = state.champion(of: release)
                next.servingChampion = release.challengerVersion
            }
            try registry.transition(slug, expectedVersion: state.version, to: next,
                                    event: S.event(slug, kind: .promote, time: next.stageEnteredAt,
                                                   from: release.stages[index - 1].name, to: release.stages[index].name))
            state = try XCTUnwrap(try registry.state(slug))
            let expected = index == last ? release.challengerVersion : release.championVersion
            XCTAssertEqual(try plain.alias(release.model, "champion"), expected, "after promotion to \(release.stages[index].name)")
        }
        XCTAssertEqual(state.servingChampion, release.challengerVersion)
        XCTAssertEqual(state.rollbackTarget, release.championVersion)
        XCTAssertEqual(state.champion(of: release), release.challengerVersion)

        var rolledBack = state
        rolledBack.status = .rolledBack
        rolledBack.servingChampion = state.rollbackTarget == release.championVersion ? nil : state.rollbackTarget
        rolledBack.rollbackTarget = nil
        try registry.transition(slug, expectedVersion: state.version, to: rolledBack,
                                event: S.event(slug, kind: .rollback, time: S.t0 + 99_999, from: "full", to: "rolled back"))
        XCTAssertEqual(try plain.alias(release.model, "champion"), release.championVersion)
        XCTAssertEqual(try plain.alias(release.model, "challenger"), release.challengerVersion)
        let final = try XCTUnwrap(try registry.state(slug))
        XCTAssertNil(final.servingChampion)
        XCTAssertEqual(final.status, .rolledBack)
        XCTAssertEqual(try registry.auditEvents(release: slug).map(\.kind).last, .rollback)
    }

    /// A spec longer than one tag value is split and reassembled; an over-long reason is shortened, not split.
    func testLongValuesStayWithinTheTagLimit() throws {
        let registry = try S.registry(server.url)
        var release = try S.sampleRelease("long")
        release.segments = (0..<400).map { Segment("market=M\($0),surface=app,region=région-\($0)") }
        let slug = release.slug
        try registry.create(release, state: S.initial, event: S.start(release))
        XCTAssertEqual(try registry.release(slug), release)

        let plain = try S.PlainREST(server.url)
        let tags = try plain.versionTags(release.model, release.challengerVersion)
        let pieces = try XCTUnwrap(tags["gatewatch.\(slug).spec.chunks"].flatMap(Int.init))
        XCTAssertGreaterThan(pieces, 1)
        for (key, value) in tags where key.hasPrefix("gatewatch.") {
            XCTAssertLessThanOrEqual(value.unicodeScalars.count, MLflowTagLayout.chunkLimit, key)
        }

        let reason = String(repeating: "é", count: 12_000)
        try registry.append(S.event(slug, kind: .note, time: S.t0 + 5, from: "shadow", to: "shadow", reason: reason))
        let note = try XCTUnwrap(try registry.auditEvents(release: slug).last)
        XCTAssertEqual(note.kind, .note)
        XCTAssertTrue(note.reason.hasSuffix("…"))
        XCTAssertTrue(note.reason.hasPrefix("éééé"))
        XCTAssertLessThan(note.reason.count, MLflowTagLayout.chunkLimit)
    }

    /// Several releases of one model over time; the index lists each, and each keeps its own state and trail.
    func testOneModelHoldsSeveralReleases() throws {
        let registry = try S.registry(server.url)
        let first = try S.sampleRelease("multi")
        var second = first
        second.slug = first.slug + "-next"
        second.championVersion = first.challengerVersion
        second.challengerVersion = "9"
        try registry.create(first, state: S.initial, event: S.start(first))
        try registry.create(second, state: S.initial, event: S.start(second))
        let slugs = try registry.releaseSlugs()
        XCTAssertTrue(slugs.contains(first.slug) && slugs.contains(second.slug))
        XCTAssertEqual(try registry.release(first.slug), first)
        XCTAssertEqual(try registry.release(second.slug), second)
        var next = S.initial
        next.stageIndex = 1
        try registry.transition(second.slug, expectedVersion: 1, to: next,
                                event: S.event(second.slug, kind: .promote, time: S.t0 + 60, from: "shadow", to: "canary-1"))
        XCTAssertEqual(try registry.state(first.slug)?.version, 1)
        XCTAssertEqual(try registry.state(second.slug)?.version, 2)
        XCTAssertEqual(try registry.auditEvents(release: first.slug).count, 1)
        XCTAssertEqual(try registry.auditEvents(release: second.slug).count, 2)
        let plain = try S.PlainREST(server.url)
        XCTAssertEqual(try plain.alias(first.model, "challenger"), "9")
        XCTAssertEqual(try plain.alias(first.model, "champion"), "8")
    }

    /// Tags damaged by another client give clear errors or visible placeholders, never a crash.
    func testDamagedTagsAreReportedNotFatal() throws {
        let registry = try S.registry(server.url)
        let release = try S.sampleRelease("damaged")
        let slug = release.slug
        try registry.create(release, state: S.initial, event: S.start(release))
        let plain = try S.PlainREST(server.url)
        let prefix = "gatewatch.\(slug)."
        try plain.setVersionTag(release.model, release.challengerVersion, prefix + "audit.00000002.abcdef", "{not json")
        try plain.setVersionTag(release.model, release.challengerVersion, prefix + "audit.x.y", "ignored: not our layout")
        let events = try registry.auditEvents(release: slug)
        XCTAssertEqual(events.map(\.kind), [.start, .note])
        XCTAssertTrue(events.last?.reason.contains("unreadable audit tag") == true)

        try plain.setVersionTag(release.model, release.challengerVersion, prefix + "state.00000002.abcdef", "[1, 2")
        XCTAssertThrowsError(try registry.state(slug)) { error in
            guard case RegistryError.damagedState(let damaged, let problem) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(damaged, slug)
            XCTAssertTrue(problem.contains("state tag") && problem.contains("cannot be read"), problem)
        }

        try plain.setVersionTag(release.model, release.challengerVersion, prefix + "spec.chunks", "7")
        let specMessage = S.unavailableMessage { _ = try registry.release(slug) }
        XCTAssertTrue(specMessage.contains("incomplete"), specMessage)
    }

    /// A state tag no writer produces (a stage index of -3) is a damaged state, and a rollback writes a sound one over
    /// it: a version above the damaged tag, the rollback event on the chain, the champion alias on the spec's champion,
    /// and a state `audit verify` finds explained. A readable state is never replaced this way.
    func testADamagedStateTagIsReplacedByARollbackFromTheSpec() throws {
        let registry = try S.registry(server.url)
        let release = try S.sampleRelease("damaged-rollback")
        let slug = release.slug
        try registry.create(release, state: S.initial, event: S.start(release))
        var promoted = S.initial
        promoted.stageIndex = 1
        try registry.transition(slug, expectedVersion: 1, to: promoted,
                                event: S.event(slug, kind: .promote, time: S.t0 + 60, from: "shadow", to: "canary-1"))
        let plain = try S.PlainREST(server.url)
        let damaged = #"{"state":{"stageEnteredAt":1762074000,"stageIndex":-3,"startedAt":1762074000,"status":"running","version":3},"written_at":1762074100}"#
        try plain.setVersionTag(release.model, release.challengerVersion, "gatewatch.\(slug).state.00000003.dddddddddddd", damaged)
        XCTAssertThrowsError(try registry.state(slug)) { error in
            guard case RegistryError.damagedState(_, let problem) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(problem.contains("has the stage index -3, not a stage"), problem)
        }
        XCTAssertThrowsError(try registry.transition(slug, expectedVersion: 3, to: promoted, event: S.event(slug, kind: .pause, time: S.t0 + 90,
                                                                                                         from: "canary-1", to: "paused")))

        // What the action layer writes: the audit log's replay with this rollback.
        let event = S.event(slug, kind: .rollback, time: S.t0 + 120, from: "damaged state", to: "rolled back")
        let rolledBack = try XCTUnwrap(StateReplay.state(of: release, events: try registry.auditEvents(release: slug) + [event], asOf: .max))
        XCTAssertEqual(rolledBack.stageIndex, 1)
        try registry.replaceDamagedState(slug, with: rolledBack, event: event)
        let state = try XCTUnwrap(try registry.state(slug))
        XCTAssertEqual(state.status, .rolledBack)
        XCTAssertEqual(state.version, 4, "above the damaged tag's version 3")
        XCTAssertEqual(try registry.auditEvents(release: slug).map(\.kind), [.start, .promote, .rollback])
        XCTAssertEqual(try plain.alias(release.model, "champion"), release.championVersion)
        XCTAssertNil(StateVerifier.problem(slug, in: registry))
        XCTAssertEqual(AuditVerifier.verify(try registry.auditTrail(release: slug)).outcome, .ok)
        XCTAssertThrowsError(try registry.replaceDamagedState(slug, with: rolledBack, event: event), "a sound state is not replaced") { error in
            XCTAssertTrue("\(error)".contains("is not damaged"), "\(error)")
        }
        XCTAssertEqual(try registry.auditEvents(release: slug).count, 3)
    }

    /// A server without authentication proves nobody: the identity is unverified and says why.
    func testAServerWithoutAuthenticationGivesAnUnverifiedIdentity() throws {
        let who = try S.registry(server.url).identity(release: nil)
        XCTAssertFalse(who.verified)
        XCTAssertEqual(who.source, "self-declared")
        XCTAssertEqual(who.name, SystemUser.current)
        XCTAssertTrue(who.note?.contains("has no authentication") == true, who.note ?? "nil")
    }

    func testAWrongBasePathExplainsTheHTMLAnswer() throws {
        let registry = try S.registry(server.url.appendingPathComponent("not-mlflow"))
        let message = S.unavailableMessage { _ = try registry.releaseSlugs() }
        XCTAssertTrue(message.contains("HTML"), message)
        XCTAssertTrue(message.contains("registry.url"), message)
        XCTAssertTrue(message.contains(server.url.absoluteString), message)

        let doubled = try S.registry(server.url.appendingPathComponent("api/2.0/mlflow"))
        let doubledMessage = S.unavailableMessage { _ = try doubled.state("fraud-scoring-v8") }
        XCTAssertTrue(doubledMessage.contains("without /api/2.0/mlflow"), doubledMessage)
    }

    func testAStoppedServerAndASilentServerAreClearMessages() throws {
        let port = try MLflowServer.freePort()
        let stopped = try S.registry(URL(string: "http://127.0.0.1:\(port)")!, timeout: 2)
        let refused = S.unavailableMessage { _ = try stopped.releaseSlugs() }
        XCTAssertTrue(refused.contains("connection refused"), refused)
        XCTAssertTrue(refused.contains("127.0.0.1:\(port)"), refused)
        XCTAssertTrue(refused.contains("running"), refused)

        let (fd, silentPort) = try MLflowServer.silentListener()
        defer { close(fd) }
        let silent = try S.registry(URL(string: "http://127.0.0.1:\(silentPort)")!, timeout: 1)
        let began = Date()
        let timedOut = S.unavailableMessage { _ = try silent.state("fraud-scoring-v8") }
        XCTAssertTrue(timedOut.contains("did not answer"), timedOut)
        XCTAssertTrue(timedOut.contains("registry.timeout"), timedOut)
        XCTAssertLessThan(Date().timeIntervalSince(began), 5)
    }
}

/// `MLflowRegistry` against a real MLflow server running the `basic-auth` app (one server for the class).
final class MLflowBasicAuthRegistryTests: XCTestCase {
    nonisolated(unsafe) static var shared: Result<MLflowServer, MLflowServer.Unavailable>?
    static let adminPassword = "gatewatch-Adm1n-\(UUID().uuidString.prefix(8))"
    var server: MLflowServer!
    typealias S = MLflowTestSupport

    override class func setUp() {
        super.setUp()
        shared = MLflowServer.startShared(.basicAuth(adminPassword: adminPassword), label: "basic-auth")
    }

    override class func tearDown() {
        MLflowServer.stopShared(&shared)
        super.tearDown()
    }

    override func setUpWithError() throws {
        server = try MLflowServer.require(Self.shared)
    }

    /// A sample release on versions 1 → 2: the basic-auth app checks the password hash on every request (≈0.3 s
    /// here), so fewer placeholder versions keep the class fast.
    func smallRelease(_ label: String) throws -> Release {
        var release = try S.sampleRelease(label)
        release.championVersion = "1"
        release.challengerVersion = "2"
        return release
    }

    var adminEnvironment: [String: String] {
        ["MLFLOW_TRACKING_USERNAME": "admin", "MLFLOW_TRACKING_PASSWORD": Self.adminPassword]
    }

    func testAWrongPasswordIsAClearCredentialsMessage() throws {
        let registry = try S.registry(server.url, environment: ["MLFLOW_TRACKING_USERNAME": "admin", "MLFLOW_TRACKING_PASSWORD": "wrong"])
        let message = S.unavailableMessage { _ = try registry.releaseSlugs() }
        XCTAssertTrue(message.contains("401"), message)
        XCTAssertTrue(message.contains("refused the credentials"), message)
        XCTAssertTrue(message.contains("MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD"), message)
        XCTAssertFalse(message.contains("wrong"), "the password must not appear: \(message)")

        let anonymous = try S.registry(server.url)
        let missing = S.unavailableMessage { _ = try anonymous.state("fraud-scoring-v8") }
        XCTAssertTrue(missing.contains("requires authentication (401)"), missing)
        XCTAssertTrue(missing.contains("MLFLOW_TRACKING_TOKEN"), missing)
    }

    func testTheRightPasswordWorksEndToEnd() throws {
        let registry = try S.registry(server.url, environment: adminEnvironment)
        let release = try smallRelease("auth")
        try registry.create(release, state: S.initial, event: S.start(release))
        XCTAssertEqual(try registry.release(release.slug), release)
        var next = S.initial
        next.stageIndex = 1
        try registry.transition(release.slug, expectedVersion: 1, to: next,
                                event: S.event(release.slug, kind: .promote, time: S.t0 + 60, from: "shadow", to: "canary-1"))
        XCTAssertEqual(try registry.state(release.slug)?.version, 2)
        XCTAssertEqual(try registry.auditEvents(release: release.slug).compactMap(\.id), [1, 2])
    }

    /// A user who may read but not edit gets a 403 sentence, and nothing changes.
    func testAReadOnlyUserIsDeniedWithAClearMessage() throws {
        let admin = try S.PlainREST(server.url, credentials: .basic(user: "admin", password: Self.adminPassword))
        let user = "viewer-\(UUID().uuidString.prefix(6).lowercased())", password = "Viewer-pass-\(UUID().uuidString.prefix(8))"
        let body = try JSONSerialization.data(withJSONObject: ["username": user, "password": password])
        let created = try admin.connection.post("/api/2.0/mlflow/users/create", json: body)
        XCTAssertEqual(created.status, 200, created.text)

        let registry = try S.registry(server.url, environment: adminEnvironment)
        let release = try smallRelease("perm")
        try registry.create(release, state: S.initial, event: S.start(release))

        let viewer = try S.registry(server.url, environment: ["MLFLOW_TRACKING_USERNAME": user, "MLFLOW_TRACKING_PASSWORD": password])
        XCTAssertEqual(try viewer.state(release.slug), S.initial)
        var next = S.initial
        next.stageIndex = 1
        let message = S.unavailableMessage {
            try viewer.transition(release.slug, expectedVersion: 1, to: next,
                                  event: S.event(release.slug, kind: .promote, time: S.t0 + 60, from: "shadow", to: "canary-1"))
        }
        XCTAssertTrue(message.contains("403") && message.contains("denied"), message)
        XCTAssertTrue(message.contains("MLFLOW_TRACKING_USERNAME"), message)
        XCTAssertEqual(try registry.state(release.slug), S.initial)
    }

    /// A user created by the admin, with `permission` on `model` (nil: none granted, the server's default applies).
    func user(_ prefix: String, permission: String?, on model: String) throws -> [String: String] {
        let admin = try S.PlainREST(server.url, credentials: .basic(user: "admin", password: Self.adminPassword))
        let user = "\(prefix)-\(UUID().uuidString.prefix(6).lowercased())", password = "Pass-\(UUID().uuidString.prefix(10))"
        let created = try admin.connection.post("/api/2.0/mlflow/users/create",
                                                json: try JSONSerialization.data(withJSONObject: ["username": user, "password": password]))
        XCTAssertEqual(created.status, 200, created.text)
        if let permission {
            let granted = try admin.connection.post("/api/3.0/mlflow/users/permissions/grant", json: try JSONSerialization.data(withJSONObject: [
                "username": user, "resource_type": "registered_model", "resource_id": model, "permission": permission]))
            XCTAssertEqual(granted.status, 200, granted.text)
        }
        return ["MLFLOW_TRACKING_USERNAME": user, "MLFLOW_TRACKING_PASSWORD": password]
    }

    /// The server says who each user is, and the permission it resolves on the release's model gives the role:
    /// READ reviewer, EDIT oncall, MANAGE owner, the admin owner; the default permission (READ) where none is granted.
    func testTheRoleIsTheServersPermissionOnTheReleasesModel() throws {
        let registry = try S.registry(server.url, environment: adminEnvironment)
        let release = try smallRelease("roles")
        try registry.create(release, state: S.initial, event: S.start(release))
        let admin = try registry.identity(release: release.slug)
        XCTAssertEqual(admin, Identity(name: "admin", role: .owner, source: "MLflow admin", verified: true))
        for (permission, role) in [("READ", Role.reviewer), ("EDIT", .oncall), ("MANAGE", .owner)] {
            let env = try user(permission.lowercased(), permission: permission, on: release.model)
            let who = try S.registry(server.url, environment: env).identity(release: release.slug)
            XCTAssertEqual(who.name, env["MLFLOW_TRACKING_USERNAME"])
            XCTAssertEqual(who.role, role, permission)
            XCTAssertEqual(who.source, "MLflow \(permission) on \(release.model)")
            XCTAssertTrue(who.verified)
        }
        let plain = try user("plain", permission: nil, on: release.model)
        let who = try S.registry(server.url, environment: plain).identity(release: release.slug)
        XCTAssertEqual(who.role, .reviewer, "the server's default_permission READ")
        XCTAssertEqual(who.source, "MLflow READ on \(release.model)")
        // The config's mapping decides: EDIT as owner here.
        var options = try MLflowOptions(url: server.url)
        options.permissionRoles = ["EDIT": .owner]
        let editor = try user("editor", permission: "EDIT", on: release.model)
        XCTAssertEqual(try MLflowRegistry(options: options, environment: editor).identity(release: release.slug).role, .owner)
        XCTAssertNil(try MLflowRegistry(options: options, environment: plain).identity(release: release.slug).role, "READ maps to nothing here")
    }
}
