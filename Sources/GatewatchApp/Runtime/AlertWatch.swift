import Foundation
import GatewatchCore
import NIOConcurrencyHelpers

/// Keeps Alertmanager in step with the releases' rules, on the poller's thread after each round, at most every
/// `interval` seconds: expires the silences Gatewatch made whose episode has ended (`EpisodeSilence.expired`), and
/// reads the alerts Alertmanager holds for each release, for the rules panel. A failure is kept per release and shown
/// there; it never touches the analysis or the actions.
public final class AlertWatch: Sendable {
    public let source: any AlertSource
    public let interval: Double
    private struct State {
        var lastSync: Double = -.infinity
        var held: [String: HeldAlerts] = [:]
        var expiredTotal = 0
    }
    private let state = NIOLockedValueBox(State())

    public init(source: any AlertSource, interval: Double = 15) {
        self.source = source
        self.interval = interval
    }

    /// Silences expired since the watch started.
    public var expiredCount: Int { state.withLockedValue { $0.expiredTotal } }

    /// Syncs when `interval` has passed since the last sync (`wall` is the steady clock), then returns what is held
    /// for each release of `analyses`.
    public func sync(_ analyses: [String: ReleaseAnalysis], wall: Double) -> [String: HeldAlerts] {
        let due = state.withLockedValue { s -> Bool in
            guard wall - s.lastSync >= interval else { return false }
            s.lastSync = wall
            return true
        }
        guard due else { return state.withLockedValue { $0.held } }
        var held: [String: HeldAlerts] = [:]
        var expired = 0
        let previous = state.withLockedValue { $0.held }
        for (slug, analysis) in analyses.sorted(by: { $0.key < $1.key }) {
            do {
                let silences = try source.silences(release: slug)
                // A rolled-back release has no episode left to silence.
                let rules = analysis.state.status == .rolledBack ? [] : analysis.rules
                for id in EpisodeSilence.expired(silences, rules: rules) {
                    try source.expireSilence(id: id)
                    expired += 1
                }
                held[slug] = HeldAlerts(alerts: try source.alerts(release: slug))
            } catch {
                held[slug] = HeldAlerts(alerts: previous[slug]?.alerts ?? [], problem: "\(error)")
            }
        }
        state.withLockedValue {
            $0.held = held
            $0.expiredTotal += expired
        }
        return held
    }
}
