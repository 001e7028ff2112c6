import Foundation
import Testing
import GatewatchCore
@testable import GatewatchAudit
@testable import GatewatchMLflow
import GatewatchTestSupport

/// The audit hash chain in a real MLflow server: written by the registry, verified, and broken by tag edits and
/// deletions made through MLflow's REST API. Skipped without mlflow, except under CI=true, where that fails.
@Suite("MLflow audit chain", .serialized)
struct MLflowAuditChainTests {
    typealias S = MLflowTestSupport

    /// The audit tags of a release, by position in the chain.
    static func auditTags(_ registry: MLflowRegistry, _ release: Release) throws -> [(key: String, value: String)] {
        let tags = try S.PlainREST(registry.options.url).versionTags(release.model, release.challengerVersion)
        return tags.filter { $0.key.hasPrefix("gatewatch.\(release.slug).audit.0") }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    static func verify(_ registry: MLflowRegistry, _ slug: String) throws -> AuditVerification {
        AuditVerifier.verify(try registry.auditTrail(release: slug))
    }

    static func problem(_ registry: MLflowRegistry, _ slug: String) throws -> String? {
        if case .broken(let why) = try verify(registry, slug).outcome { return why }
        return nil
    }

    @Test(.enabled(if: MLflowServer.enabled, Comment(rawValue: MLflowServer.skipMessage)))
    func eventsAreChainedAndTagEditsAreDetected() throws {
        let server = try MLflowServer.start(.open)
        defer { server.stop() }
        let registry = try S.registry(server.url)
        let release = try S.sampleRelease("chain")
        let slug = release.slug
        let model = release.model, version = release.challengerVersion
        try registry.create(release, state: S.initial, event: S.start(release))
        var next = S.initial
        next.stageIndex = 1
        try registry.transition(slug, expectedVersion: 1, to: next, event: S.event(slug, kind: .promote, time: S.t0 + 60, from: "shadow", to: "canary-1"))
        try registry.append(S.event(slug, kind: .note, time: S.t0 + 120, from: "canary-1", to: "canary-1", reason: "looks fine"))
        try registry.append(S.event(slug, kind: .acknowledge, time: S.t0 + 180, from: "canary-1", to: "canary-1", actor: "bo", role: .oncall))

        // Four operators appending at once still make one chain.
        let writers = [registry, try S.registry(server.url), try S.registry(server.url), try S.registry(server.url)]
        let outcomes = S.Outcomes()
        DispatchQueue.concurrentPerform(iterations: writers.count) { i in
            for n in 0..<5 {
                outcomes.record {
                    try writers[i].append(S.event(slug, kind: .note, time: S.t0 + 200 + Int64(n), from: "", to: "",
                                                            actor: "op\(i)", reason: "note \(n) from \(i)"))
                }
            }
        }
        #expect(outcomes.others == [])
        let result = try Self.verify(registry, slug)
        #expect(result.outcome == .ok)
        #expect(result.checked == 24 && result.pending == 0)
        let trail = try registry.auditTrail(release: slug)
        #expect(trail.records.compactMap(\.link?.position) == Array(1...24))
        #expect(trail.head?.count == 24)
        #expect(try registry.auditEvents(release: slug).count == 24)

        // A reason edited through the REST API.
        let tags = try Self.auditTags(registry, release)
        // Required: the edits below index the 24 tags (an append that lost every race must fail the test, not crash
        // the whole run).
        try #require(tags.count == 24)
        let third = tags[2]
        try registry.rest.setModelVersionTag(model, version, key: third.key, value: third.value.replacingOccurrences(of: "looks fine", with: "looks great"))
        #expect(try Self.problem(registry, slug)?.hasPrefix("event 3 was edited: its hash does not match its content") == true)
        try registry.rest.setModelVersionTag(model, version, key: third.key, value: third.value)
        #expect(try Self.verify(registry, slug).outcome == .ok)

        // An event in the middle deleted.
        try registry.rest.deleteModelVersionTag(model, version, key: tags[1].key)
        #expect(try Self.problem(registry, slug) == "event 2 is missing: event 3 points to a different previous hash")
        try registry.rest.setModelVersionTag(model, version, key: tags[1].key, value: tags[1].value)
        #expect(try Self.verify(registry, slug).outcome == .ok)

        // The newest event deleted: the head tag shows it.
        try registry.rest.deleteModelVersionTag(model, version, key: tags[23].key)
        #expect(try Self.problem(registry, slug) == "the newest event was deleted: the head says 24 events, 23 found")
        try registry.rest.setModelVersionTag(model, version, key: tags[23].key, value: tags[23].value)

        // Two events' values swapped between their keys.
        try registry.rest.setModelVersionTag(model, version, key: tags[5].key, value: tags[6].value)
        try registry.rest.setModelVersionTag(model, version, key: tags[6].key, value: tags[5].value)
        #expect(try Self.problem(registry, slug)?.hasPrefix("events are out of order: event 7 is stored where event 6 belongs") == true)
        try registry.rest.setModelVersionTag(model, version, key: tags[5].key, value: tags[5].value)
        try registry.rest.setModelVersionTag(model, version, key: tags[6].key, value: tags[6].value)

        // The head tag deleted.
        try registry.rest.deleteModelVersionTag(model, version, key: MLflowTagLayout.auditHeadKey(slug))
        #expect(try Self.problem(registry, slug) == "the head is missing: 24 events found but no head recorded")
    }

    /// A writer that stopped between its event and the head leaves one event after the head: verify calls it pending,
    /// and the next writer adopts it once it is old enough.
    @Test(.enabled(if: MLflowServer.enabled, Comment(rawValue: MLflowServer.skipMessage)))
    func anInterruptedAppendIsPendingThenAdopted() throws {
        let server = try MLflowServer.start(.open)
        defer { server.stop() }
        let registry = try S.registry(server.url)
        registry.abandonedAppendSeconds = 0.5
        let release = try S.sampleRelease("pending")
        let slug = release.slug
        try registry.create(release, state: S.initial, event: S.start(release))
        try registry.append(S.event(slug, kind: .note, time: S.t0 + 60, from: "", to: "", reason: "second"))
        let head = try #require(try registry.auditTrail(release: slug).head)

        // The event tag of a third append, written as the registry would, but no head move.
        let stored = MLflowTagLayout.StoredHead(count: head.count, hash: head.hash, sequence: 2)
        let (value, _) = try MLflowTagLayout.auditValue(S.event(slug, kind: .pause, time: S.t0 + 120, from: "", to: "paused"), after: stored)
        try registry.rest.setModelVersionTag(release.model, release.challengerVersion,
                                             key: MLflowTagLayout.auditKey(slug, sequence: 3, token: "00000000abcd"), value: value)
        let pending = try Self.verify(registry, slug)
        #expect(pending.outcome == .ok && pending.pending == 1, "\(pending.line)")

        try registry.append(S.event(slug, kind: .note, time: S.t0 + 180, from: "", to: "", reason: "fourth"))
        let after = try Self.verify(registry, slug)
        #expect(after.outcome == .ok && after.pending == 0, "\(after.line)")
        #expect(try registry.auditEvents(release: slug).map(\.reason) == ["why", "second", "why", "fourth"])

        // A tag after the head that no writer could have written is stepped over, not removed: verify reports it.
        let damaged = MLflowTagLayout.auditKey(slug, sequence: 5, token: "00000000dead")
        try registry.rest.setModelVersionTag(release.model, release.challengerVersion, key: damaged, value: "{not an event")
        try registry.append(S.event(slug, kind: .note, time: S.t0 + 240, from: "", to: "", reason: "sixth"))
        #expect(try Self.auditTags(registry, release).map(\.key).contains(damaged))
        #expect(try Self.problem(registry, slug) == "event 5 (tag \(damaged)) cannot be read")
        #expect(try registry.auditEvents(release: slug).last?.reason == "sixth")
    }

    /// Events written before the chain are reported as not chained, and chained by the next append.
    @Test(.enabled(if: MLflowServer.enabled, Comment(rawValue: MLflowServer.skipMessage)))
    func eventsWrittenBeforeTheChainAreChainedByTheNextAppend() throws {
        let server = try MLflowServer.start(.open)
        defer { server.stop() }
        let registry = try S.registry(server.url)
        let release = try S.sampleRelease("legacy")
        let slug = release.slug
        try registry.create(release, state: S.initial, event: S.start(release))
        try registry.append(S.event(slug, kind: .note, time: S.t0 + 60, from: "", to: "", reason: "old note"))
        // Strip the chain as an older Gatewatch wrote the tags: the event alone, no head.
        for tag in try Self.auditTags(registry, release) {
            let stored = try JSONDecoder().decode(MLflowTagLayout.StoredEvent.self, from: Data(tag.value.utf8))
            try registry.rest.setModelVersionTag(release.model, release.challengerVersion, key: tag.key, value: try MLflowTagLayout.json(stored.event))
        }
        try registry.rest.deleteModelVersionTag(release.model, release.challengerVersion, key: MLflowTagLayout.auditHeadKey(slug))
        guard case .unchained = try Self.verify(registry, slug).outcome else {
            Issue.record("expected 'not chained': \(try Self.verify(registry, slug).line)")
            return
        }
        try registry.append(S.event(slug, kind: .note, time: S.t0 + 120, from: "", to: "", reason: "new note"))
        let result = try Self.verify(registry, slug)
        #expect(result.outcome == .ok && result.checked == 3, "\(result.line)")
    }
}
