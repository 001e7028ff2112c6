import Foundation
import NIOConcurrencyHelpers

/// Opens a review off the UI thread: reading a release's whole record and building its timeline can take a while
/// (days of samples, a slow registry), and the screen keeps answering keys meanwhile. The UI thread starts a load,
/// asks whether one is under way, and takes the session when it is there.
public final class ReviewLoadWorker: Sendable {
    /// The load under way.
    public struct Loading: Sendable, Equatable {
        public var slug: String
        public var started: TimeInterval
    }

    /// A finished load: the session, or nil when the release has no recorded history.
    public struct Loaded: Sendable {
        public var slug: String
        public var session: ReviewSession?
    }

    private struct State {
        var loading: Loading?
        var loaded: Loaded?
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    public var loading: Loading? { state.withLockedValue { $0.loading } }

    /// Starts loading `slug` unless a load is under way (then false). A newer request waits for the older one.
    public func start(_ slug: String, now: TimeInterval = SteadyClock.now(), load: @escaping @Sendable () -> ReviewSession?) -> Bool {
        let started = state.withLockedValue { s -> Bool in
            guard s.loading == nil else { return false }
            s.loading = Loading(slug: slug, started: now)
            return true
        }
        guard started else { return false }
        let thread = Thread { [self] in
            let session = load()
            self.state.withLockedValue { s in
                s.loading = nil
                s.loaded = Loaded(slug: slug, session: session)
            }
        }
        thread.name = "gatewatch review"
        thread.start()
        return true
    }

    /// The last finished load, once.
    public func take() -> Loaded? {
        state.withLockedValue { s in
            defer { s.loaded = nil }
            return s.loaded
        }
    }
}
