import Foundation
import Testing
import GatewatchApp
import GatewatchCore
import GatewatchSQLite

/// Hooks run after a successful action with the event on stdin; a failing hook is reported and audited and never
/// undoes the registry state.
@Suite struct HookTests {
    static func analysis() throws -> (SQLiteStore, ReleaseAnalysis) {
        let scenario = try SnapshotSupport.scenario()
        let store = try SQLiteStore()
        let source = try DemoSource(scenario: scenario, store: store, description: "t", speed: 0)
        return (store, try source.poll(simulatedTime: scenario.simulation.start + 20 * 60))
    }

    @Test func aHookReceivesTheEventAsJSON() throws {
        let (store, a) = try Self.analysis()
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("gw-hook-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let layer = ActionLayer(registry: store, hooks: HookRunner(commands: [.rollback: "cat > '\(out)'"]))
        let outcome = layer.perform(.rollback, analysis: a, by: Operator(name: "omar", role: .oncall), reason: "errors in BR", at: a.asOf)
        #expect(outcome == .done("rolled back fraud-scoring-v8: challenger traffic 0%, champion v7 restored"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: String])
        #expect(json["kind"] == "rollback" && json["actor"] == "omar" && json["reason"] == "errors in BR" && json["release"] == "fraud-scoring-v8")
    }

    @Test func aFailingHookIsShownAndAuditedButChangesNothing() throws {
        let (store, a) = try Self.analysis()
        let layer = ActionLayer(registry: store, hooks: HookRunner(commands: [.rollback: "echo router down >&2; exit 3"]))
        let outcome = layer.perform(.rollback, analysis: a, by: Operator(name: "omar", role: .oncall), reason: "r", at: a.asOf)
        #expect(outcome.succeeded)
        #expect(outcome.message.contains("hook 'echo router down >&2; exit 3' failed with exit 3: router down"))
        #expect(try store.state(a.release.slug)?.status == .rolledBack, "a failing hook must not undo the rollback")
        let last = try #require(try store.auditEvents(release: a.release.slug).last)
        #expect(last.kind == .note && last.reason.contains("rollback done, but hook"))
    }

    /// A hook that exits without reading a large event closes the pipe while it is being written: the write fails with
    /// EPIPE, and the host process (here the test runner, which does not ignore SIGPIPE itself) must survive it.
    @Test func aHookThatClosesItsInputDoesNotKillTheHost() throws {
        let (store, a) = try Self.analysis()
        let layer = ActionLayer(registry: store, hooks: HookRunner(commands: [.rollback: "exec 0<&-; exit 0"]))
        let reason = String(repeating: "x", count: 1 << 20)
        let outcome = layer.perform(.rollback, analysis: a, by: Operator(name: "omar", role: .oncall), reason: reason, at: a.asOf)
        #expect(outcome.succeeded)
        #expect(try store.state(a.release.slug)?.status == .rolledBack)
    }

    @Test func hooksComeFromTheConfigFile() throws {
        let config = try GatewatchConfig.parse(yaml: "hooks:\n  rollback: ./router.sh rollback\n  promote: ./router.sh promote\n", file: "gw.yaml")
        #expect(config.hooks[.rollback] == "./router.sh rollback")
        #expect(config.hooks[.promote] == "./router.sh promote")
        #expect(throws: InputError.self) { try GatewatchConfig.parse(yaml: "hooks:\n  explode: x\n", file: "gw.yaml") }
    }
}
