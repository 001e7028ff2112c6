/// One score bin of a calibration (reliability) table.
public struct CalibrationBin: Sendable, Hashable, Codable {
    /// Number of scored examples in the bin.
    public var count: Double
    /// Number of them whose label was positive.
    public var positives: Double
    /// Mean predicted score of the examples in the bin.
    public var meanScore: Double

    /// Creates a bin.
    public init(count: Double, positives: Double, meanScore: Double) {
        self.count = count
        self.positives = positives
        self.meanScore = meanScore
    }
}
