import Foundation
import Testing
import GatewatchApp
import GatewatchCore
import GatewatchSQLite

/// A hook cannot hold Gatewatch: its time limit counts from its start (writing its input included), the whole
/// process group is killed at the limit, and what it prints is kept only as a short excerpt with secrets hidden.
@Suite struct HookLimitTests {
    static func event(reason: String = "errors in BR") -> AuditEvent {
        AuditEvent(release: "fraud-scoring-v8", time: 1_800_000_000, actor: "omar", role: .oncall, kind: .rollback,
                   reason: reason, fromState: "canary-5", toState: "rolled back")
    }

    func temporaryFile(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("gw-hook-\(name)-\(UUID().uuidString)").path
    }

    /// A process is gone when it no longer exists or is a zombie nobody reaped yet (in a container without init).
    static func isGone(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return true }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return stat.split(separator: ")").last?.split(separator: " ").first == "Z"
    }

    /// The event (1 MB of reason) does not fit in the pipe; a hook that never reads it used to hold the writer until
    /// it exited (30 s here), and the time limit only started after that.
    @Test func aHookThatNeverReadsItsInputIsStoppedAtTheLimit() {
        let runner = HookRunner(commands: [.rollback: "sleep 30"], timeout: 1)
        let started = Date()
        let failure = runner.run(for: Self.event(reason: String(repeating: "x", count: 1 << 20)))
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed < 4, "the limit is 1 s from the start; took \(elapsed) s")
        #expect(failure?.contains("timed out after 1s") == true, "\(failure ?? "nil")")
    }

    /// The limit stops everything the hook started, not only the shell.
    @Test func theLimitKillsTheHooksChildrenToo() throws {
        let pidFile = temporaryFile("pid")
        defer { try? FileManager.default.removeItem(atPath: pidFile) }
        let runner = HookRunner(commands: [.rollback: "sleep 300 & echo $! > '\(pidFile)'; wait"], timeout: 1)
        let failure = runner.run(for: Self.event())
        #expect(failure?.contains("timed out") == true, "\(failure ?? "nil")")
        let text = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let child = try #require(pid_t(text))
        let deadline = Date().addingTimeInterval(3)
        while !Self.isGone(child) && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let gone = Self.isGone(child)
        if !gone { kill(child, SIGKILL) }
        #expect(gone, "the hook's child \(child) outlived the time limit")
    }

    /// A hook that prints more than a pipe holds to stderr and exits used to block on the full pipe until the limit.
    @Test func aHookThatFloodsStderrIsReadWhileItRuns() {
        let runner = HookRunner(commands: [.rollback: "yes e | head -c 1000000 >&2; exit 4"], timeout: 5)
        let started = Date()
        let failure = runner.run(for: Self.event())
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed < 3, "took \(elapsed) s")
        #expect(failure?.contains("failed with exit 4") == true, "\(failure ?? "nil")")
        #expect(failure?.contains("1000000 bytes in all") == true, "\(failure ?? "nil")")
        #expect((failure?.count ?? 0) < 400, "only an excerpt is kept: \(failure?.count ?? 0) characters")
    }

    /// What a failing hook prints goes into the audit log, which cannot be edited: only a bounded excerpt, with the
    /// sources' credentials and anything shaped like a secret hidden.
    @Test func aFailingHooksSecretsNeverReachTheAuditLog() throws {
        let scenario = try SnapshotSupport.scenario()
        let store = try SQLiteStore()
        let source = try DemoSource(scenario: scenario, store: store, description: "t", speed: 0)
        let a = try source.poll(simulatedTime: scenario.simulation.start + 20 * 60)
        let script = """
        echo "POST https://deploy:hunter2hunter2@router.internal/v1 failed" >&2
        echo "Authorization: Bearer s3cr3t-config-token" >&2
        echo "password=correct-horse token: ghp_abcdefghijklmnopqrstuvwxyz0123 key AKIAIOSFODNN7EXAMPLE" >&2
        printf 'title \\033]0;owned\\007 and \\033[2J' >&2
        exit 1
        """
        let layer = ActionLayer(registry: store, hooks: HookRunner(commands: [.rollback: script], secrets: ["s3cr3t-config-token"]))
        let outcome = layer.perform(.rollback, analysis: a, by: Operator(name: "omar", role: .oncall), reason: "r", at: a.asOf)
        #expect(outcome.succeeded)
        let note = try #require(try store.auditEvents(release: a.release.slug).last)
        #expect(note.kind == .note)
        for secret in ["hunter2hunter2", "s3cr3t-config-token", "correct-horse", "ghp_abcdefghijklmnopqrstuvwxyz0123", "AKIAIOSFODNN7EXAMPLE"] {
            #expect(!note.reason.contains(secret), "\(secret) reached the audit log: \(note.reason)")
            #expect(!outcome.message.contains(secret), "\(secret) reached the screen: \(outcome.message)")
        }
        #expect(note.reason.contains("[hidden]"), "\(note.reason)")
        #expect(!note.reason.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f }, "control characters: \(note.reason.debugDescription)")
        #expect(note.reason.count < 400, "\(note.reason.count) characters")
    }
}

/// An event is never dated before the release started or before the newest event: a clock stepped back (the
/// dashboard's steady clock aside, a second machine's) used to date a pause before the release start.
@Suite struct EventTimeTests {
    @Test func anActionAtAnEarlierClockIsDatedAfterWhatItActsOn() throws {
        let scenario = try SnapshotSupport.scenario()
        let store = try SQLiteStore()
        let source = try DemoSource(scenario: scenario, store: store, description: "t", speed: 0)
        let a = try source.poll(simulatedTime: scenario.simulation.start + 20 * 60)
        let newest = try #require(try store.auditEvents(release: a.release.slug).map(\.time).max())
        let layer = ActionLayer(registry: store)
        let early = a.state.startedAt - 3600
        let pause = layer.perform(.pause, analysis: a, by: Operator(name: "omar", role: .oncall), reason: "clock test", at: early)
        #expect(pause.succeeded, "\(pause.message)")
        let refused = layer.refuse(.promote, why: "test", analysis: a, by: Operator(name: "rita", role: .reviewer), at: early)
        #expect(!refused.succeeded)
        let events = try store.auditEvents(release: a.release.slug)
        let times = events.map(\.time)
        #expect(times == times.sorted(), "events out of order: \(times)")
        #expect(events.suffix(2).allSatisfy { $0.time >= newest && $0.time >= a.state.startedAt }, "\(events.suffix(2).map(\.time)) vs \(newest)")
    }

    @Test func aSteppedClockIsNoticedAndSaid() {
        let now = SteadyClock.now()
        #expect(SteadyClock.step(wall: now + 1) == nil, "a second of slew is no step")
        let back = SteadyClock.step(wall: now - 3600)
        #expect(back.map { abs($0 + 3600) < 2 } == true)
        #expect(SteadyClock.stepText(back)?.hasPrefix("system clock stepped back 1h") == true, "\(SteadyClock.stepText(back) ?? "nil")")
        #expect(SteadyClock.stepText(SteadyClock.step(wall: now + 600))?.hasPrefix("system clock stepped forward 10m") == true)
    }
}
