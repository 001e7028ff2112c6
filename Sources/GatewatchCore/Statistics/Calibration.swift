/// Calibration of predicted scores against observed outcomes.
public enum Calibration {
    /// ECE = Σ_b (n_b/N)·|positives_b/n_b − meanScore_b| over bins with n_b > 0 (usually equal-width score bins).
    ///
    /// Bins whose count is not a positive finite number, or whose mean score is not finite, are skipped (and not
    /// counted in N); positives are clamped into [0, n_b], NaN positives count as 0. Nil when N = 0.
    public static func expectedCalibrationError(_ bins: [CalibrationBin]) -> Double? {
        let valid = bins.filter { $0.count.isFinite && $0.count > 0 && $0.meanScore.isFinite }
        let total = valid.reduce(0) { $0 + $1.count }
        guard total > 0, total.isFinite else { return nil }
        var sum = 0.0
        for bin in valid {
            let positives = bin.positives.isNaN ? 0 : min(max(bin.positives, 0), bin.count)
            let gap = positives / bin.count - bin.meanScore
            sum += bin.count / total * (gap < 0 ? -gap : gap)
        }
        return sum
    }
}
