import Foundation
import NIOConcurrencyHelpers

/// Runs one job at a time on a thread of its own, so the screen keeps answering keys while a slow registry, a hook
/// or a long record works; the UI thread asks what is running and takes the result when it is there. The app has
/// two: confirmed actions (`Output` = the action layer's outcome) and review loads (`Output` = the session).
public final class BackgroundWorker<Output: Sendable>: Sendable {
    /// The job under way.
    public struct Running: Sendable, Equatable {
        /// What it does ("rollback", "review").
        public var verb: String
        /// The release it is for.
        public var release: String
        public var started: TimeInterval
        /// What it is doing now ("writing to the registry", "running hook 'router.sh' (limit 10s)").
        public var phase: String
    }

    /// A finished job.
    public struct Finished: Sendable {
        public var verb: String
        public var release: String
        public var output: Output
    }

    private struct State: Sendable {
        var running: Running?
        var finished: Finished?
    }

    private let state = NIOLockedValueBox(State())
    private let threadName: String

    public init(threadName: String) { self.threadName = threadName }

    /// The job under way, if any.
    public var running: Running? { state.withLockedValue { $0.running } }

    /// Starts `body` on its own thread unless a job is already under way (then false, nothing started). `body`
    /// reports its phases through the closure it is given.
    public func start(verb: String, release: String, phase: String = "", now: TimeInterval = SteadyClock.now(),
                      body: @escaping @Sendable (_ phase: @escaping @Sendable (String) -> Void) -> Output) -> Bool {
        let started = state.withLockedValue { s -> Bool in
            guard s.running == nil else { return false }
            s.running = Running(verb: verb, release: release, started: now, phase: phase)
            return true
        }
        guard started else { return false }
        let thread = Thread { [self] in
            let output = body { phase in self.state.withLockedValue { $0.running?.phase = phase } }
            self.state.withLockedValue { s in
                s.running = nil
                s.finished = Finished(verb: verb, release: release, output: output)
            }
        }
        thread.name = threadName
        thread.start()
        return true
    }

    /// The result of the last finished job, once.
    public func take() -> Finished? {
        state.withLockedValue { s in
            defer { s.finished = nil }
            return s.finished
        }
    }

    /// Waits until no job is under way (at quit: an action that was started is finished, not cut off).
    public func wait(timeout: TimeInterval) -> Bool {
        let deadline = SteadyClock.now() + timeout
        while running != nil {
            if SteadyClock.now() >= deadline { return false }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return true
    }
}

/// Confirmed actions: the registry write and its hook.
public typealias ActionWorker = BackgroundWorker<ActionLayer.Outcome>
/// Review loads: the session, or nil when the release has no recorded history.
public typealias ReviewLoadWorker = BackgroundWorker<ReviewSession?>
