/// Every sample of one release, grouped by series and sorted by time, with the range queries the analysis needs.
///
/// Each series also keeps a running total of its counter increases (a drop counts as a reset, as in Prometheus'
/// `increase`), extended as samples are appended. An increase over any window is then the difference of two totals
/// found by binary search, O(log n) however long the window: the analysis of a release that has run for two weeks
/// costs about what one that has run for an hour does.
public struct MetricSeriesSet: Sendable {
    /// The samples of one series and the running totals of its increases.
    struct SeriesData: Sendable {
        var samples: [Sample] = []
        /// `totals[i]`: the sum of every increase up to and including sample `i`; the first valid sample counts in
        /// full (a counter that starts inside a window started at zero). Invalid samples (NaN, ±Inf, negative) add 0.
        var totals: [Double] = []
        /// The value increases of later samples are measured from: the last valid sample's.
        var lastValid: Double?

        mutating func append(_ sample: Sample) {
            let v = sample.value
            var step = 0.0
            if v.isFinite, v >= 0 {
                if let p = lastValid { step = v >= p ? v - p : v } else { step = v }
                lastValid = v
            }
            samples.append(sample)
            totals.append((totals.last ?? 0) + step)
        }

        /// Rebuilds the totals from sample `index` on (after a sample's value was changed).
        mutating func recompute(from index: Int) {
            let kept = Array(samples[index...])
            samples.removeSubrange(index...)
            totals.removeSubrange(index...)
            lastValid = samples.last(where: { $0.value.isFinite && $0.value >= 0 })?.value
            for sample in kept { append(sample) }
        }
    }

    private var data: [SeriesKey: SeriesData] = [:]
    /// Newest sample time seen, if any.
    public private(set) var newestTime: Timestamp?
    /// Series keys by (family, arm or any, segment or any), so sums touch only the series they need.
    private var groups: [GroupKey: [SeriesKey]] = [:]

    private struct GroupKey: Hashable, Sendable {
        var family: MetricFamily
        var arm: Arm?
        var segment: String?
    }

    public init() {}

    public init(_ samples: [SeriesKey: [Sample]]) {
        for (key, list) in samples { append(list, to: key) }
    }

    /// The samples of every series, sorted by time.
    public var series: [SeriesKey: [Sample]] { data.mapValues(\.samples) }

    /// Number of series.
    public var seriesCount: Int { data.count }

    /// Number of samples over all series.
    public var sampleCount: Int { data.values.reduce(0) { $0 + $1.samples.count } }

    /// Adds samples; out-of-order or duplicate timestamps are ignored, as Prometheus drops them.
    public mutating func append(_ samples: [Sample], to key: SeriesKey) {
        guard !samples.isEmpty else { return }
        if data[key] == nil {
            for arm in [key.arm, nil] as [Arm?] {
                for segment in [key.segment, nil] as [String?] {
                    let group = GroupKey(family: key.family, arm: arm, segment: segment)
                    if groups[group]?.contains(key) != true { groups[group, default: []].append(key) }
                }
            }
        }
        var series = data.removeValue(forKey: key) ?? SeriesData()
        let sorted = samples.count < 2 || zip(samples, samples.dropFirst()).allSatisfy({ $0.time < $1.time })
            ? samples : samples.sorted(by: { $0.time < $1.time })
        series.samples.reserveCapacity(series.samples.count + sorted.count)
        series.totals.reserveCapacity(series.totals.count + sorted.count)
        for sample in sorted {
            if let last = series.samples.last, sample.time <= last.time { continue }
            series.append(sample)
            if newestTime == nil || sample.time > newestTime! { newestTime = sample.time }
        }
        data[key] = series
    }

    /// Adds one sample.
    public mutating func append(_ key: SeriesKey, time: Timestamp, value: Double) {
        append([Sample(time: time, value: value)], to: key)
    }

    /// Oldest sample time, if any.
    public var oldestTime: Timestamp? { data.values.compactMap { $0.samples.first?.time }.min() }

    /// Sets the value of the last sample at or before `time` of `key` (used to show a counter as it stood later).
    /// A series with no sample by then gets one at `time`.
    public mutating func setValue(_ key: SeriesKey, atOrBefore time: Timestamp, to value: Double) {
        guard var series = data[key], let i = Self.lastIndex(series.samples, atOrBefore: time) else {
            append([Sample(time: time, value: value)], to: key)
            return
        }
        data[key] = nil
        series.samples[i].value = value
        series.recompute(from: i)
        data[key] = series
    }

    /// Keys of one family.
    public func keys(_ family: MetricFamily, arm: Arm? = nil, segment: String? = nil) -> [SeriesKey] {
        (groups[GroupKey(family: family, arm: arm, segment: segment)] ?? []).sorted()
    }

    /// Segments that appear in the data.
    public var segments: [String] {
        Array(Set(data.keys.compactMap(\.segment))).sorted()
    }

    /// Index of the last sample at or before `time`, or nil.
    static func lastIndex(_ list: [Sample], atOrBefore time: Timestamp) -> Int? {
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid].time <= time { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? nil : lo - 1
    }

    /// The gauge value at `time`: the last sample no older than `lookback` seconds (Prometheus' staleness rule).
    public func value(_ key: SeriesKey, at time: Timestamp, lookback: Int64 = 300) -> Double? {
        guard let list = data[key]?.samples, let i = Self.lastIndex(list, atOrBefore: time) else { return nil }
        guard time - list[i].time <= lookback, list[i].value.isFinite else { return nil }
        return list[i].value
    }

    /// How much a counter grew in `(start, end]`, counting a drop as a reset; the base is the last valid sample at or
    /// before `start`. Nil when the series has no sample in the range and none before it.
    public func increase(_ key: SeriesKey, from start: Timestamp, to end: Timestamp) -> Double? {
        guard let series = data[key] else { return nil }
        return Self.increase(series, from: start, to: end)
    }

    static func increase(_ series: SeriesData, from start: Timestamp, to end: Timestamp) -> Double? {
        guard let endIndex = lastIndex(series.samples, atOrBefore: end) else { return nil }
        let startIndex = lastIndex(series.samples, atOrBefore: start)
        if let s = startIndex, s == endIndex { return series.samples[s].time >= start - 300 ? 0 : nil }
        return series.totals[endIndex] - (startIndex.map { series.totals[$0] } ?? 0)
    }

    /// Sum of `increase` over every series matching the filter (nil means any).
    public func increaseSum(_ family: MetricFamily, arm: Arm?, segment: String?, extra: String? = nil,
                            from start: Timestamp, to end: Timestamp) -> Double? {
        var total: Double? = nil
        for key in groups[GroupKey(family: family, arm: arm, segment: segment)] ?? [] where extra == nil || key.extra == extra {
            if let series = data[key], let inc = Self.increase(series, from: start, to: end) { total = (total ?? 0) + inc }
        }
        return total
    }

    /// The samples of a series in `(start, end]`.
    public func samples(_ key: SeriesKey, from start: Timestamp, to end: Timestamp) -> ArraySlice<Sample> {
        guard let list = data[key]?.samples, let e = Self.lastIndex(list, atOrBefore: end) else { return [] }
        let s = (Self.lastIndex(list, atOrBefore: start) ?? -1) + 1
        return s <= e ? list[s...e] : []
    }

    /// A copy holding only samples at or before `time` (for as-of analysis).
    public func truncated(to time: Timestamp) -> MetricSeriesSet {
        var copy = MetricSeriesSet()
        for (key, series) in data {
            if let i = Self.lastIndex(series.samples, atOrBefore: time) { copy.append(Array(series.samples[0...i]), to: key) }
        }
        return copy
    }
}
