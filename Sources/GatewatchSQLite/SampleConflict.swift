import GatewatchCore
import GatewatchOpenMetrics

/// A sample that contradicts a stored one: same release, series and time, another value. Stored history is never
/// rewritten, so the write it came with is refused as a whole.
public struct SampleConflict: Error, Equatable, CustomStringConvertible {
    public var release: String
    public var key: SeriesKey
    public var time: Timestamp
    public var stored: Double
    public var new: Double

    /// The series as OpenMetrics names it, with the labels that identify it.
    public var series: String { OpenMetricsParser.describe(key, release: release) }

    public var description: String {
        "\(series) at \(time) (\(TimeText.iso(time))) is stored as \(Self.exact(stored)); the new sample says \(Self.exact(new))"
    }

    /// A value in full: whole numbers without a fraction, others with every digit Swift prints.
    static func exact(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
    }
}
