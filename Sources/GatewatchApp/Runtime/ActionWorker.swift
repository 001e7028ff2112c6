import Foundation
import NIOConcurrencyHelpers

/// Runs a confirmed action (the registry write and its hook) on a thread of its own, one at a time, so the screen
/// keeps answering keys while a slow registry or hook works; the UI thread asks what is running and takes the
/// outcome when it is there.
public final class ActionWorker: Sendable {
    /// The action under way.
    public struct Running: Sendable, Equatable {
        public var verb: String
        public var release: String
        public var started: TimeInterval
        /// What it is doing now ("writing to the registry", "running hook 'router.sh' (limit 10s)").
        public var phase: String
    }

    /// A finished action.
    public struct Finished: Sendable {
        public var verb: String
        public var release: String
        public var outcome: ActionLayer.Outcome
    }

    private struct State {
        var running: Running?
        var finished: Finished?
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    /// The action under way, if any.
    public var running: Running? { state.withLockedValue { $0.running } }

    /// Starts `body` on its own thread unless an action is already under way (then false, nothing started).
    /// `body` reports its phases through the closure it is given.
    public func start(verb: String, release: String, now: TimeInterval = SteadyClock.now(),
                      body: @escaping @Sendable (_ phase: @escaping @Sendable (String) -> Void) -> ActionLayer.Outcome) -> Bool {
        let started = state.withLockedValue { s -> Bool in
            guard s.running == nil else { return false }
            s.running = Running(verb: verb, release: release, started: now, phase: "writing to the registry")
            return true
        }
        guard started else { return false }
        let thread = Thread { [self] in
            let outcome = body { phase in self.state.withLockedValue { $0.running?.phase = phase } }
            self.state.withLockedValue { s in
                s.running = nil
                s.finished = Finished(verb: verb, release: release, outcome: outcome)
            }
        }
        thread.name = "gatewatch action"
        thread.start()
        return true
    }

    /// The outcome of the last finished action, once.
    public func take() -> Finished? {
        state.withLockedValue { s in
            defer { s.finished = nil }
            return s.finished
        }
    }

    /// Waits until no action is under way (at quit: an action that was started is finished, not cut off).
    public func wait(timeout: TimeInterval) -> Bool {
        let deadline = SteadyClock.now() + timeout
        while running != nil {
            if SteadyClock.now() >= deadline { return false }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return true
    }
}
