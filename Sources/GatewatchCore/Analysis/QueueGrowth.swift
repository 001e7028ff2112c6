/// How fast the review queue grows: the least-squares slope of its depth over a window, or why there is none yet.
public struct QueueGrowth: Sendable, Hashable, Codable {
    /// Depth per hour (negative: draining); nil until the samples span the window.
    public var perHour: Double?
    /// How much of the window the depth samples cover so far.
    public var spanSeconds: Int64
    /// The window the slope is fitted over.
    public var windowSeconds: Int64

    public init(perHour: Double?, spanSeconds: Int64, windowSeconds: Int64) {
        self.perHour = perHour
        self.spanSeconds = spanSeconds
        self.windowSeconds = windowSeconds
    }

    /// True when the fitted growth is at most 0; nil when there is no fit yet.
    public var draining: Bool? { perHour.map { $0 <= 0 } }
}
