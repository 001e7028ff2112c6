import GatewatchCore

/// What one poll hands to the screen: the analysis at the as-of time plus the health of the sources.
public struct ReleaseSnapshot: Sendable {
    public var analysis: ReleaseAnalysis
    public var health: SourceHealth

    public init(analysis: ReleaseAnalysis, health: SourceHealth) {
        self.analysis = analysis
        self.health = health
    }
}
