/// Every sample of one release, grouped by series and sorted by time, with the range queries the analysis needs.
public struct MetricSeriesSet: Sendable {
    public private(set) var series: [SeriesKey: [Sample]] = [:]
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

    /// Adds samples; out-of-order or duplicate timestamps are ignored, as Prometheus drops them.
    public mutating func append(_ samples: [Sample], to key: SeriesKey) {
        guard !samples.isEmpty else { return }
        if series[key] == nil {
            for arm in [key.arm, nil] as [Arm?] {
                for segment in [key.segment, nil] as [String?] {
                    let group = GroupKey(family: key.family, arm: arm, segment: segment)
                    if groups[group]?.contains(key) != true { groups[group, default: []].append(key) }
                }
            }
        }
        var list = series[key] ?? []
        for sample in samples.sorted(by: { $0.time < $1.time }) {
            if let last = list.last, sample.time <= last.time { continue }
            list.append(sample)
            if newestTime == nil || sample.time > newestTime! { newestTime = sample.time }
        }
        series[key] = list
    }

    /// Adds one sample.
    public mutating func append(_ key: SeriesKey, time: Timestamp, value: Double) {
        append([Sample(time: time, value: value)], to: key)
    }

    /// Oldest sample time, if any.
    public var oldestTime: Timestamp? { series.values.compactMap { $0.first?.time }.min() }

    /// Sets the value of the last sample at or before `time` of `key` (used to show a counter as it stood later).
    /// A series with no sample by then gets one at `time`.
    public mutating func setValue(_ key: SeriesKey, atOrBefore time: Timestamp, to value: Double) {
        guard var list = series[key], let i = Self.lastIndex(list, atOrBefore: time) else {
            append([Sample(time: time, value: value)], to: key)
            return
        }
        list[i].value = value
        series[key] = list
    }

    /// Keys of one family.
    public func keys(_ family: MetricFamily, arm: Arm? = nil, segment: String? = nil) -> [SeriesKey] {
        (groups[GroupKey(family: family, arm: arm, segment: segment)] ?? []).sorted()
    }

    /// Segments that appear in the data.
    public var segments: [String] {
        Array(Set(series.keys.compactMap(\.segment))).sorted()
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
        guard let list = series[key], let i = Self.lastIndex(list, atOrBefore: time) else { return nil }
        guard time - list[i].time <= lookback, list[i].value.isFinite else { return nil }
        return list[i].value
    }

    /// How much a counter grew in `(start, end]`, counting a drop as a reset. Nil when the series has no sample
    /// in the range and none before it.
    public func increase(_ key: SeriesKey, from start: Timestamp, to end: Timestamp) -> Double? {
        guard let list = series[key], let endIndex = Self.lastIndex(list, atOrBefore: end) else { return nil }
        let startIndex = Self.lastIndex(list, atOrBefore: start)
        if let s = startIndex, s == endIndex { return list[s].time >= start - 300 ? 0 : nil }
        var total = 0.0
        var previous: Double? = startIndex.map { list[$0].value }
        let first = (startIndex ?? -1) + 1
        for i in first...endIndex {
            let v = list[i].value
            guard v.isFinite, v >= 0 else { continue }
            if let p = previous {
                total += v >= p ? v - p : v
            } else {
                // No sample before the window: the counter started inside it.
                total += v
            }
            previous = v
        }
        return total
    }

    /// Sum of `increase` over every series matching the filter (nil means any).
    public func increaseSum(_ family: MetricFamily, arm: Arm?, segment: String?, extra: String? = nil,
                            from start: Timestamp, to end: Timestamp) -> Double? {
        var total: Double? = nil
        for key in groups[GroupKey(family: family, arm: arm, segment: segment)] ?? [] where extra == nil || key.extra == extra {
            if let inc = increase(key, from: start, to: end) { total = (total ?? 0) + inc }
        }
        return total
    }

    /// The samples of a series in `(start, end]`.
    public func samples(_ key: SeriesKey, from start: Timestamp, to end: Timestamp) -> ArraySlice<Sample> {
        guard let list = series[key], let e = Self.lastIndex(list, atOrBefore: end) else { return [] }
        let s = (Self.lastIndex(list, atOrBefore: start) ?? -1) + 1
        return s <= e ? list[s...e] : []
    }

    /// A copy holding only samples at or before `time` (for as-of analysis).
    public func truncated(to time: Timestamp) -> MetricSeriesSet {
        var copy = MetricSeriesSet()
        for (key, list) in series {
            if let i = Self.lastIndex(list, atOrBefore: time) { copy.append(Array(list[0...i]), to: key) }
        }
        return copy
    }
}
