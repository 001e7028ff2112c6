import Foundation
import GatewatchCore

/// Polls the source on a background thread once per interval and leaves the newest snapshot in a mailbox the UI
/// thread takes from. A slow or failing source never blocks the UI: its error goes into `SourceHealth`.
public final class Poller: @unchecked Sendable {
    /// Guarded by `lock` (grown on the polling thread by `discover`).
    private var sources: [any ReleaseSource]
    /// Finds releases created after the dashboard started: given the slugs followed, the sources of new ones.
    /// Asked every `discoverEvery` seconds; a failure is ignored (the next poll reports the registry's health).
    public var discover: (@Sendable (Set<String>) throws -> [any ReleaseSource])?
    public var discoverEvery: Double = 10
    private var lastDiscovery: Double = 0
    private let interval: Double
    private let lock = NSLock()
    private var mailbox: [ReleaseSnapshot]?
    private var stopped = false
    private var health: SourceHealth
    private var lastAnalyses: [String: ReleaseAnalysis] = [:]
    private let wallStart: Double
    private let simulatedStart: Timestamp
    private let wake = DispatchSemaphore(value: 0)
    /// Source seconds per real second (the first source's; all share one clock).
    private let speed: Double

    /// Polls `sources` (one per release; all share one simulated clock, starting from the most advanced).
    public init(sources: [any ReleaseSource], interval: Double = 1) {
        precondition(!sources.isEmpty, "a poller needs a source")
        self.sources = sources
        self.interval = interval
        wallStart = Date().timeIntervalSince1970
        simulatedStart = sources.map(\.clock).max()!
        speed = sources[0].speed
        health = SourceHealth(sourceName: sources[0].description, speed: sources[0] is DemoSource ? sources[0].speed : nil,
                              pollInterval: interval)
    }

    public convenience init(source: any ReleaseSource, interval: Double = 1) {
        self.init(sources: [source], interval: interval)
    }

    /// How many releases the poller follows.
    public var releaseCount: Int { lock.withLock { sources.count } }

    /// Polls at once instead of waiting for the interval (after an action).
    public func wakeNow() { wake.signal() }

    /// The simulated time that corresponds to the wall clock now.
    public func simulatedNow() -> Timestamp {
        simulatedStart + Timestamp((Date().timeIntervalSince1970 - wallStart) * speed)
    }

    /// Runs one poll synchronously (used for the first frame and by tests).
    public func pollOnce() {
        let now = simulatedNow()
        let wall = Date().timeIntervalSince1970
        if let discover, wall - lastDiscovery >= discoverEvery {
            lastDiscovery = wall
            let known = Set(lock.withLock { self.sources.map(\.slug) })
            if let found = try? discover(known), !found.isEmpty {
                lock.withLock { self.sources += found }
            }
        }
        let sources = lock.withLock { self.sources }
        // The first round shows each release as soon as it is read: a large fleet takes a while to read.
        let firstRound = lastAnalyses.isEmpty && sources.count > 1
        var problems = [String?](repeating: nil, count: sources.count)
        var registryProblems: [String] = []
        for (i, source) in sources.enumerated() {
            let outcome = Result { try source.refresh(at: now) }
            switch outcome {
            case .success(let (analysis, problem)):
                problems[i] = problem
                lastAnalyses[analysis.release.slug] = analysis
                // Only a simulator has a clock of its own worth showing; real sources run on the wall clock.
                if source is DemoSource { health.simulatedTime = max(health.simulatedTime ?? .min, analysis.asOf) }
            case .failure(let error):
                // A source reads its registry first: a thrown error means the state and the audit log are out of
                // reach (a metrics failure comes back as a problem with the analysis).
                problems[i] = "\(error)"
                registryProblems.append("\(error)")
            }
            if firstRound, lastAnalyses.count < sources.count {
                var partial = health
                if problems.allSatisfy({ $0 == nil }) { partial.lastSuccess = Date().timeIntervalSince1970 }
                post(partial)
            }
        }
        let failures = problems.compactMap { $0 }
        if failures.isEmpty {
            health.lastSuccess = Date().timeIntervalSince1970
            health.lastError = nil
        } else {
            health.lastError = failures.joined(separator: "; ")
        }
        health.registryError = registryProblems.isEmpty ? nil : registryProblems.joined(separator: "; ")
        post(health)
    }

    /// Leaves the analyses read so far in the mailbox, with `health`.
    private func post(_ health: SourceHealth) {
        let snapshots = lastAnalyses.values.sorted { $0.release.slug < $1.release.slug }.map { ReleaseSnapshot(analysis: $0, health: health) }
        lock.lock()
        if !snapshots.isEmpty { mailbox = snapshots }
        lock.unlock()
    }

    /// Starts polling on a background thread.
    public func start() {
        let thread = Thread { [self] in
            while true {
                lock.lock()
                let done = stopped
                lock.unlock()
                if done { return }
                pollOnce()
                _ = wake.wait(timeout: .now() + interval)
            }
        }
        thread.name = "gatewatch-poller"
        thread.start()
    }

    public func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
        wake.signal()
    }

    /// The newest snapshots (one per release) since the last call, if any.
    public func take() -> [ReleaseSnapshot]? {
        lock.lock()
        defer { lock.unlock() }
        let s = mailbox
        mailbox = nil
        return s
    }
}
