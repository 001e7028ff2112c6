import Foundation
import GatewatchCore
import NIOConcurrencyHelpers

/// Polls the source on a background thread once per interval and leaves the newest snapshot in a mailbox the UI
/// thread takes from. A slow or failing source never blocks the UI: its error goes into `SourceHealth`.
///
/// Two locks, always taken in this order: `round` for the whole of one poll (its health and last analyses; a poll
/// runs on the polling thread, or once synchronously before it starts), `shared` briefly for what both threads see.
public final class Poller: Sendable {
    /// What the UI thread and the polling thread both touch.
    private struct Shared {
        var sources: [any ReleaseSource]
        var mailbox: [ReleaseSnapshot]?
        var stopped = false
        var discover: (@Sendable (Set<String>) throws -> [any ReleaseSource])?
        var discoverEvery: Double = 10
        var alerts: AlertWatch?
    }

    /// What the sources of a round in progress have reported, in the fleet's order.
    private struct RoundProgress {
        var outcomes: [Result<(analysis: ReleaseAnalysis, problem: String?), any Error>?]
        var analyses: [String: ReleaseAnalysis]
    }

    /// What one poll reads and writes.
    private struct Round {
        var lastDiscovery: Double = 0
        var health: SourceHealth
        var lastAnalyses: [String: ReleaseAnalysis] = [:]
    }

    private let shared: NIOLockedValueBox<Shared>
    private let round: NIOLockedValueBox<Round>
    private let interval: Double
    private let wallStart: Double
    private let simulatedStart: Timestamp
    private let wake = Wakeup()
    /// Source seconds per real second (the first source's; all share one clock).
    private let speed: Double

    /// Polls `sources` (one per release; all share one simulated clock, starting from the most advanced).
    public init(sources: [any ReleaseSource], interval: Double = 1) {
        precondition(!sources.isEmpty, "a poller needs a source")
        self.interval = interval
        wallStart = SteadyClock.now()
        simulatedStart = sources.map(\.clock).max()!
        speed = sources[0].speed
        let health = SourceHealth(sourceName: sources[0].description, speed: sources[0] is DemoSource ? sources[0].speed : nil,
                                  pollInterval: interval)
        shared = NIOLockedValueBox(Shared(sources: sources))
        round = NIOLockedValueBox(Round(health: health))
    }

    public convenience init(source: any ReleaseSource, interval: Double = 1) {
        self.init(sources: [source], interval: interval)
    }

    /// Finds releases created after the dashboard started: given the slugs followed, the sources of new ones.
    /// Asked every `discoverEvery` seconds; a failure is ignored (the next poll reports the registry's health).
    public var discover: (@Sendable (Set<String>) throws -> [any ReleaseSource])? {
        get { shared.withLockedValue { $0.discover } }
        set { shared.withLockedValue { $0.discover = newValue } }
    }
    public var discoverEvery: Double {
        get { shared.withLockedValue { $0.discoverEvery } }
        set { shared.withLockedValue { $0.discoverEvery = newValue } }
    }

    /// Keeps Alertmanager in step with the rules after each round (see `AlertWatch`); nil without one.
    public var alerts: AlertWatch? {
        get { shared.withLockedValue { $0.alerts } }
        set { shared.withLockedValue { $0.alerts = newValue } }
    }

    /// How many releases the poller follows.
    public var releaseCount: Int { shared.withLockedValue { $0.sources.count } }

    /// Polls at once instead of waiting for the interval (after an action).
    public func wakeNow() { wake.signal() }

    /// The simulated time that corresponds to the wall clock now (on the steady clock: a step of the system clock
    /// neither freezes nor rewinds it).
    public func simulatedNow() -> Timestamp {
        simulatedStart + Timestamp((SteadyClock.now() - wallStart) * speed)
    }

    /// Runs one poll synchronously (used for the first frame and by tests).
    public func pollOnce() {
        round.withLockedValue { round in
            let now = simulatedNow()
            let wall = SteadyClock.now()
            let (discover, every, known) = shared.withLockedValue { ($0.discover, $0.discoverEvery, Set($0.sources.map(\.slug))) }
            if let discover, wall - round.lastDiscovery >= every {
                round.lastDiscovery = wall
                if let found = try? discover(known), !found.isEmpty {
                    shared.withLockedValue { $0.sources += found }
                }
            }
            let sources = shared.withLockedValue { $0.sources }
            // The first round shows each release as soon as it is read: a large fleet takes a while to read.
            let firstRound = round.lastAnalyses.isEmpty && sources.count > 1
            var problems = [String?](repeating: nil, count: sources.count)
            var registryProblems: [String] = []
            // The releases are read in parallel, one thread per core (`ParallelFor`): each source is independent
            // (Sendable, its state behind its own lock), and reading a fleet is most of a dashboard's start. What
            // they report is gathered behind one lock and applied below in the fleet's order, so a round's result
            // does not depend on which source finished first.
            let progress = NIOLockedValueBox(RoundProgress(outcomes: Array(repeating: nil, count: sources.count), analyses: round.lastAnalyses))
            let health = round.health
            ParallelFor.run(sources.count) { [self] i in
                let outcome = Result { try sources[i].refresh(at: now) }
                progress.withLockedValue { p in
                    p.outcomes[i] = outcome
                    if case .success(let (analysis, _)) = outcome { p.analyses[analysis.release.slug] = analysis }
                    // The first round shows each release as soon as it is read.
                    if firstRound, p.analyses.count < sources.count {
                        var partial = health
                        if p.outcomes.allSatisfy({ o in if case .success(let (_, problem))? = o { return problem == nil }; return o == nil }) {
                            partial.lastSuccess = SteadyClock.now()
                        }
                        post(p.analyses, partial)
                    }
                }
            }
            for (i, outcome) in progress.withLockedValue({ $0.outcomes }).enumerated() {
                switch outcome {
                case .success(let (analysis, problem))?:
                    problems[i] = problem
                    round.lastAnalyses[analysis.release.slug] = analysis
                    // Only a simulator has a clock of its own worth showing; real sources run on the wall clock.
                    if sources[i] is DemoSource { round.health.simulatedTime = max(round.health.simulatedTime ?? .min, analysis.asOf) }
                case .failure(let error)?:
                    // A source reads its registry first: a thrown error means the state and the audit log are out of
                    // reach (a metrics failure comes back as a problem with the analysis).
                    problems[i] = "\(error)"
                    registryProblems.append("\(error)")
                case nil:
                    problems[i] = "\(sources[i].slug): not read"
                }
            }
            let failures = problems.compactMap { $0 }
            if failures.isEmpty {
                round.health.lastSuccess = SteadyClock.now()
                round.health.lastError = nil
            } else {
                round.health.lastError = failures.joined(separator: "; ")
            }
            round.health.registryError = registryProblems.isEmpty ? nil : registryProblems.joined(separator: "; ")
            round.health.clockStep = SteadyClock.step()
            if let watch = shared.withLockedValue({ $0.alerts }) {
                let held = watch.sync(round.lastAnalyses, wall: SteadyClock.now())
                for (slug, alerts) in held { round.lastAnalyses[slug]?.heldAlerts = alerts }
            }
            post(round.lastAnalyses, round.health)
        }
    }

    /// Leaves the analyses read so far in the mailbox, with `health`.
    private func post(_ analyses: [String: ReleaseAnalysis], _ health: SourceHealth) {
        let snapshots = analyses.values.sorted { $0.release.slug < $1.release.slug }.map { ReleaseSnapshot(analysis: $0, health: health) }
        if !snapshots.isEmpty { shared.withLockedValue { $0.mailbox = snapshots } }
    }

    /// Starts polling on a background thread.
    public func start() {
        let thread = Thread { [self] in
            while !shared.withLockedValue({ $0.stopped }) {
                pollOnce()
                wake.wait(seconds: interval)
            }
        }
        thread.name = "gatewatch-poller"
        thread.start()
    }

    public func stop() {
        shared.withLockedValue { $0.stopped = true }
        wake.signal()
    }

    /// The newest snapshots (one per release) since the last call, if any.
    public func take() -> [ReleaseSnapshot]? {
        shared.withLockedValue { s in
            defer { s.mailbox = nil }
            return s.mailbox
        }
    }
}
