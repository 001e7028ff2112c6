import Foundation
import GatewatchCore

/// Polls the source on a background thread once per interval and leaves the newest snapshot in a mailbox the UI
/// thread takes from. A slow or failing source never blocks the UI: its error goes into `SourceHealth`.
public final class Poller: @unchecked Sendable {
    private let source: DemoSource
    private let interval: Double
    private let lock = NSLock()
    private var mailbox: ReleaseSnapshot?
    private var stopped = false
    private var health: SourceHealth
    private var lastAnalysis: ReleaseAnalysis?
    private let wallStart: Double
    private let simulatedStart: Timestamp
    private let wake = DispatchSemaphore(value: 0)

    public init(source: DemoSource, interval: Double = 1) {
        self.source = source
        self.interval = interval
        wallStart = Date().timeIntervalSince1970
        simulatedStart = source.driver.clock
        health = SourceHealth(sourceName: source.description, speed: source.speed)
    }

    /// The simulated time that corresponds to the wall clock now.
    func simulatedNow() -> Timestamp {
        simulatedStart + Timestamp((Date().timeIntervalSince1970 - wallStart) * source.speed)
    }

    /// Runs one poll synchronously (used for the first frame and by tests).
    public func pollOnce() {
        let snapshot: ReleaseSnapshot?
        do {
            let analysis = try source.poll(simulatedTime: simulatedNow())
            health.lastSuccess = Date().timeIntervalSince1970
            health.lastError = nil
            health.simulatedTime = analysis.asOf
            lastAnalysis = analysis
            snapshot = ReleaseSnapshot(analysis: analysis, health: health)
        } catch {
            health.lastError = "\(error)"
            snapshot = lastAnalysis.map { ReleaseSnapshot(analysis: $0, health: health) }
        }
        lock.lock()
        if let snapshot { mailbox = snapshot }
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

    /// The newest snapshot since the last call, if any.
    public func take() -> ReleaseSnapshot? {
        lock.lock()
        defer { lock.unlock() }
        let s = mailbox
        mailbox = nil
        return s
    }
}
