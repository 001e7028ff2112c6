import GatewatchCore

/// One release's data, polled by the `Poller`: the embedded demo (`DemoSource`) or real sources (`LiveSource`).
public protocol ReleaseSource: AnyObject, Sendable {
    /// The release it follows.
    var slug: String { get }
    /// Words for the status line.
    var description: String { get }
    /// Source seconds per real second (the demo's speed; 1 for real sources).
    var speed: Double { get }
    /// The source's time now, where polling starts.
    var clock: Timestamp { get }
    /// Where actions are written.
    var registry: any Registry { get }
    /// Polls what is new up to `time` and analyses the release. `problem` reports a part that failed while the
    /// analysis could still be made (e.g. metrics down but the registry read): the screen shows it and stays usable.
    func refresh(at time: Timestamp) throws -> (analysis: ReleaseAnalysis, problem: String?)
}

extension DemoSource: ReleaseSource {
    public var slug: String { driver.scenario.release.slug }
    public var clock: Timestamp { driver.clock }

    public func refresh(at time: Timestamp) throws -> (analysis: ReleaseAnalysis, problem: String?) {
        (try poll(simulatedTime: time), nil)
    }
}
