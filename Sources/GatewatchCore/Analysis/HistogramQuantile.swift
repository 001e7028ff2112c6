/// Prometheus' `histogram_quantile`: linear interpolation inside the bucket that holds the rank.
public enum HistogramQuantile {
    /// `buckets` are (upper bound, cumulative count) in any order, one of them `+Inf`. NaN when there are no
    /// observations or no `+Inf` bucket, as in Prometheus.
    public static func quantile(_ q: Double, buckets: [(upperBound: Double, count: Double)]) -> Double {
        guard !q.isNaN else { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        var sorted = buckets.filter { !$0.upperBound.isNaN }.sorted { $0.upperBound < $1.upperBound }
        guard sorted.count >= 2, sorted.last!.upperBound == .infinity else { return .nan }
        // Cumulative counts must not decrease (Prometheus' monotonicity fix for scrape skew).
        for i in 1..<sorted.count where sorted[i].count < sorted[i - 1].count {
            sorted[i].count = sorted[i - 1].count
        }
        let total = sorted.last!.count
        guard total > 0, total.isFinite else { return .nan }
        let rank = q * total
        let index = sorted.firstIndex { $0.count >= rank } ?? sorted.count - 1
        if index == sorted.count - 1 { return sorted[sorted.count - 2].upperBound }
        if index == 0, sorted[0].upperBound <= 0 { return sorted[0].upperBound }
        var bucketStart = 0.0, countBefore = 0.0
        if index > 0 {
            bucketStart = sorted[index - 1].upperBound
            countBefore = sorted[index - 1].count
        }
        let bucketEnd = sorted[index].upperBound
        let inBucket = sorted[index].count - countBefore
        return bucketStart + (bucketEnd - bucketStart) * ((rank - countBefore) / inBucket)
    }
}
