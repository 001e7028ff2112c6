import Foundation
import NIOConcurrencyHelpers
import Testing
import GatewatchCore
@testable import GatewatchSQLite

/// Two operators acknowledging the same firing episode at the same moment append one acknowledgement between them:
/// the embedded store checks and appends in one IMMEDIATE transaction. Two connections to one file stand for two
/// processes; each round they start together at a barrier.
@Suite struct ConditionalAppendTests {
    static func ack(_ key: String, by actor: String) -> AuditEvent {
        AuditEvent(release: SQLiteStoreIntegrityTests.slug, time: SQLiteStoreTests.t0 + 60, actor: actor, role: .oncall, kind: .acknowledge,
                   reason: "on it", fromState: "", toState: key)
    }

    /// Runs `work(0)` and `work(1)` on two threads released together, and waits for both.
    static func together(_ work: @escaping @Sendable (Int) -> Void) {
        let ready = DispatchSemaphore(value: 0), go = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        for i in 0..<2 {
            Thread {
                ready.signal()
                go.wait()
                work(i)
                done.signal()
            }.start()
        }
        ready.wait(); ready.wait()
        go.signal(); go.signal()
        done.wait(); done.wait()
    }

    @Test func racingAcknowledgementsOfOneEpisodeAppendOneEvent() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let path = dir.appendingPathComponent("s.sqlite").path
        _ = try SQLiteStoreIntegrityTests.seeded(path)
        let a = try SQLiteStore(path: path), b = try SQLiteStore(path: path)
        let rounds = 40
        let answers = NIOLockedValueBox<[String]>([])
        for round in 0..<rounds {
            let key = "ack rule-\(round) [overall] rollback"
            Self.together { i in
                let store = i == 0 ? a : b
                do {
                    let prior = try store.append(Self.ack(key, by: "op\(i)")) { events in events.last { $0.kind == .acknowledge && $0.toState == key } }
                    answers.withLockedValue { $0.append(prior == nil ? "appended" : "covered") }
                } catch {
                    answers.withLockedValue { $0.append("error: \(error)") }
                }
            }
        }
        let events = try a.auditEvents(release: SQLiteStoreIntegrityTests.slug).filter { $0.kind == .acknowledge }
        let perKey = Dictionary(grouping: events, by: \.toState).mapValues(\.count)
        #expect(perKey.count == rounds && perKey.values.allSatisfy { $0 == 1 }, "\(perKey.filter { $0.value != 1 })")
        let all = answers.withLockedValue { $0 }
        #expect(all.filter { $0 == "appended" }.count == rounds && all.filter { $0 == "covered" }.count == rounds,
                "each round: one appended, one told it was covered; \(all.filter { $0.hasPrefix("error") }.prefix(3))")
        // Beside it, the check and the append as two steps (the protocol's fallback for other registries), to show
        // the window the single step closes.
        var naive = 0
        for round in 0..<rounds {
            let key = "ack naive-\(round) [overall] rollback"
            Self.together { i in
                let store = i == 0 ? a : b
                if (try? store.auditEvents(release: SQLiteStoreIntegrityTests.slug).contains { $0.toState == key }) == false {
                    try? store.append(Self.ack(key, by: "op\(i)"))
                }
            }
            naive += try a.auditEvents(release: SQLiteStoreIntegrityTests.slug).filter { $0.toState == key }.count > 1 ? 1 : 0
        }
        print("racing acknowledgements: one step \(rounds)/\(rounds) rounds with one event; check then append: \(naive)/\(rounds) rounds with two")
    }
}
