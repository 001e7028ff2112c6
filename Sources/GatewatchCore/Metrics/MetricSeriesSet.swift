/// Every sample of one release, grouped by series and sorted by time, with the range queries the analysis needs.
///
/// Each series also keeps a running total of its counter increases (a drop counts as a reset, as in Prometheus'
/// `increase`), extended as samples are appended. An increase over any window is then the difference of two totals
/// found by binary search, O(log n) however long the window: the analysis of a release that has run for two weeks
/// costs about what one that has run for an hour does.
public struct MetricSeriesSet: Sendable {
    /// The samples of one series and the running totals of its increases, in compact columns (see `SampleTimes` and
    /// `SampleValues`): about eight bytes a sample instead of twenty-four.
    struct SeriesData: Sendable {
        /// The bucket bound (`le`) and label outcome of the series, parsed once.
        var upperBound: Double = .nan
        var outcome: LabelOutcome?
        var action: DecisionAction?
        var times = SampleTimes()
        var values = SampleValues()
        /// `totals[i]`: the sum of every increase up to and including sample `i`; the first valid sample counts in
        /// full (a counter that starts inside a window started at zero). Invalid samples (NaN, ±Inf, negative) add 0.
        var totals = SampleValues()
        /// The value increases of later samples are measured from: the last valid sample's.
        var lastValid: Double?

        var count: Int { times.count }

        func sample(_ i: Int) -> Sample { Sample(time: times[i], value: values[i]) }

        var samples: [Sample] { (0..<count).map(sample) }

        func lastIndex(atOrBefore time: Timestamp) -> Int? { times.lastIndex(atOrBefore: time) }

        mutating func reserveCapacity(_ n: Int) {
            times.reserveCapacity(n)
            values.reserveCapacity(n)
            totals.reserveCapacity(n)
        }

        mutating func append(_ sample: Sample) {
            let v = sample.value
            var step = 0.0
            if v.isFinite, v >= 0 {
                if let p = lastValid { step = v >= p ? v - p : v } else { step = v }
                lastValid = v
            }
            times.append(sample.time)
            values.append(v)
            totals.append((totals.last ?? 0) + step)
        }

        /// How much the counter grew in `(start, end]` (see `MetricSeriesSet.increase`).
        func increase(from start: Timestamp, to end: Timestamp) -> Double? {
            guard let endIndex = times.lastIndex(atOrBefore: end) else { return nil }
            let startIndex = times.lastIndex(atOrBefore: start)
            if let s = startIndex, s == endIndex { return times[s] >= start - 300 ? 0 : nil }
            return totals[endIndex] - (startIndex.map { totals[$0] } ?? 0)
        }

        /// Drops samples older than `cutoff` except the first, the last of each `(origin + (k−1)·every, origin + k·every]`
        /// bucket and the last at or before each anchor. The totals of the samples kept do not change, so every
        /// increase between a kept boundary and a later time stays exact.
        mutating func thin(before cutoff: Timestamp, origin: Timestamp, every: Int64, anchors: [Timestamp]) {
            guard let end = times.lastIndex(atOrBefore: cutoff - 1), end > 0 else { return }
            var keep = [Bool](repeating: false, count: end + 1)
            keep[0] = true
            func bucket(_ t: Timestamp) -> Int64 {
                let d = t - origin
                return d <= 0 ? d / every : (d + every - 1) / every  // ceil for (a, b] buckets
            }
            var next = bucket(times[0])
            for i in 0...end {
                let current = next
                if i < count - 1 { next = bucket(times[i + 1]) }
                if i == end || current != next { keep[i] = true }
            }
            for anchor in anchors {
                if let i = times.lastIndex(atOrBefore: anchor), i <= end { keep[i] = true }
            }
            guard keep.contains(false) else { return }
            let kept = (0...end).lazy.filter { keep[$0] }
            let indices = Array(kept) + Array((end + 1)..<count)
            times = times.keeping(indices)
            values = values.keeping(indices)
            totals = totals.keeping(indices)
        }

        /// Sets the value of sample `index` and rebuilds the totals from there.
        mutating func setValue(at index: Int, to value: Double) {
            let kept = (index..<count).map(sample)
            times.removeSuffix(from: index)
            values.removeSuffix(from: index)
            totals.removeSuffix(from: index)
            lastValid = nil
            for i in stride(from: index - 1, through: 0, by: -1) where values[i].isFinite && values[i] >= 0 {
                lastValid = values[i]
                break
            }
            append(Sample(time: kept[0].time, value: value))
            for sample in kept.dropFirst() { append(sample) }
        }

        /// Bytes held by the columns.
        var byteCount: Int { times.byteCount + values.byteCount + totals.byteCount }
    }

    /// Series in the order they were first seen; `index` finds one by key, `groups` lists them by filter.
    private var storage: [SeriesData] = []
    private var storedKeys: [SeriesKey] = []
    private var index: [SeriesKey: Int] = [:]
    /// Newest sample time seen, if any.
    public private(set) var newestTime: Timestamp?
    /// Segments in the order first seen; a segment's slot is its position + 1 (slot 0 is "any segment").
    private var segmentSlots: [String: Int] = [:]
    private var segmentNames: [String] = []
    /// Positions in `storage` by (family, arm or any, segment or any), in key order, so sums touch only the series
    /// they need. A flat table indexed by `groupIndex`, so finding a group costs arithmetic, not a hash of its
    /// segment's name (a full analysis looks groups up millions of times).
    private var groupTable: [[Int]] = Array(repeating: [], count: MetricSeriesSet.groupsPerSlot)
    /// For histogram families: the group's series with a numeric bound, in (bound, key) order, so bucket sums need
    /// no sort. Indexed like `groupTable`.
    private var boundTable: [[Int]] = Array(repeating: [], count: MetricSeriesSet.groupsPerSlot)

    private static let familyCount = MetricFamily.allCases.count
    private static let groupsPerSlot = familyCount * 3

    private static func groupIndex(_ family: MetricFamily, _ arm: Arm?, _ slot: Int) -> Int {
        let armSlot = arm.map { $0 == .champion ? 0 : 1 } ?? 2
        return (slot * 3 + armSlot) * familyCount + family.ordinal
    }

    /// The group of a filter, or nil when the segment is not in the data.
    private func group(_ family: MetricFamily, _ arm: Arm?, _ segment: SegmentSlot) -> [Int]? {
        guard segment.raw >= 0 else { return nil }
        return groupTable[Self.groupIndex(family, arm, segment.raw)]
    }

    /// The slot of a segment (nil: any segment) for the queries that take one: resolve it once, query many times.
    public func slot(_ segment: String?) -> SegmentSlot {
        guard let segment else { return .any }
        return SegmentSlot(raw: segmentSlots[segment] ?? -1)
    }

    public init() {}

    public init(_ samples: [SeriesKey: [Sample]]) {
        for (key, list) in samples { append(list, to: key) }
    }

    /// The samples of every series, sorted by time.
    public var series: [SeriesKey: [Sample]] {
        Dictionary(uniqueKeysWithValues: zip(storedKeys, storage.map(\.samples)))
    }

    /// Number of series.
    public var seriesCount: Int { storage.count }

    /// Number of samples over all series.
    public var sampleCount: Int { storage.reduce(0) { $0 + $1.count } }

    /// Bytes held by the sample columns of every series (not counting keys and indexes).
    public var sampleBytes: Int { storage.reduce(0) { $0 + $1.byteCount } }

    /// Adds samples; out-of-order or duplicate timestamps are ignored, as Prometheus drops them.
    public mutating func append(_ samples: [Sample], to key: SeriesKey) {
        guard !samples.isEmpty else { return }
        let position = index[key] ?? addSeries(key)
        let sorted = samples.count < 2 || zip(samples, samples.dropFirst()).allSatisfy({ $0.time < $1.time })
            ? samples : samples.sorted(by: { $0.time < $1.time })
        let needed = storage[position].count + sorted.count
        if storage[position].values.capacity < needed {
            // Grow by a quarter rather than the default doubling: a long-running dashboard holds many series whose
            // arrays would otherwise be up to half empty.
            let capacity = storage[position].count == 0 ? needed : needed + needed / 4
            storage[position].reserveCapacity(capacity)
        }
        for sample in sorted {
            if let last = storage[position].times.last, sample.time <= last { continue }
            storage[position].append(sample)
            if newestTime == nil || sample.time > newestTime! { newestTime = sample.time }
        }
    }

    /// Stores an empty series and files it in its groups in key order (so `keys` need not sort).
    private mutating func addSeries(_ key: SeriesKey) -> Int {
        let position = storage.count
        storage.append(SeriesData(upperBound: key.upperBound, outcome: key.family == .labels ? key.extra.flatMap(LabelOutcome.init) : nil,
                                  action: key.family == .decisions ? key.extra.flatMap(DecisionAction.init) : nil))
        storedKeys.append(key)
        index[key] = position
        var segmentSlot = 0
        if let segment = key.segment {
            if let known = segmentSlots[segment] {
                segmentSlot = known
            } else {
                segmentNames.append(segment)
                segmentSlot = segmentNames.count
                segmentSlots[segment] = segmentSlot
                groupTable.append(contentsOf: Array(repeating: [], count: Self.groupsPerSlot))
                boundTable.append(contentsOf: Array(repeating: [], count: Self.groupsPerSlot))
            }
        }
        var seen = Set<Int>()
        for arm in [key.arm, nil] as [Arm?] {
            for slot in [segmentSlot, 0] {
                let group = Self.groupIndex(key.family, arm, slot)
                guard seen.insert(group).inserted else { continue }
                var members = groupTable[group]
                groupTable[group] = []
                if let last = members.last, key < storedKeys[last] {
                    var lo = 0, hi = members.count
                    while lo < hi { let mid = (lo + hi) / 2; if storedKeys[members[mid]] < key { lo = mid + 1 } else { hi = mid } }
                    members.insert(position, at: lo)
                } else {
                    members.append(position)
                }
                groupTable[group] = members
                if key.family.isHistogram, !storage[position].upperBound.isNaN {
                    var ordered = boundTable[group]
                    boundTable[group] = []
                    let bound = storage[position].upperBound
                    var lo = 0, hi = ordered.count
                    while lo < hi {
                        let mid = (lo + hi) / 2, other = ordered[mid]
                        if (storage[other].upperBound, storedKeys[other]) < (bound, key) { lo = mid + 1 } else { hi = mid }
                    }
                    ordered.insert(position, at: lo)
                    boundTable[group] = ordered
                }
            }
        }
        return position
    }

    /// Adds one sample.
    public mutating func append(_ key: SeriesKey, time: Timestamp, value: Double) {
        append([Sample(time: time, value: value)], to: key)
    }

    /// The newest sample time of a family (of one arm, or of any), over every segment; nil when it has no sample.
    public func newestTime(_ family: MetricFamily, arm: Arm?) -> Timestamp? {
        guard let members = group(family, arm, .any) else { return nil }
        var newest: Timestamp? = nil
        for position in members {
            if let last = storage[position].times.last, newest.map({ last > $0 }) ?? true { newest = last }
        }
        return newest
    }

    /// Oldest sample time, if any.
    public var oldestTime: Timestamp? { storage.compactMap { $0.times.first }.min() }

    /// Sets the value of the last sample at or before `time` of `key` (used to show a counter as it stood later).
    /// A series with no sample by then gets one at `time`.
    public mutating func setValue(_ key: SeriesKey, atOrBefore time: Timestamp, to value: Double) {
        guard let position = index[key], let i = storage[position].lastIndex(atOrBefore: time) else {
            append([Sample(time: time, value: value)], to: key)
            return
        }
        storage[position].setValue(at: i, to: value)
    }

    /// Keys of one family.
    public func keys(_ family: MetricFamily, arm: Arm? = nil, segment: String? = nil) -> [SeriesKey] {
        (group(family, arm, slot(segment)) ?? []).map { storedKeys[$0] }
    }

    /// Segments that appear in the data.
    public var segments: [String] { segmentNames.sorted() }

    /// The gauge value at `time`: the last sample no older than `lookback` seconds (Prometheus' staleness rule).
    public func value(_ key: SeriesKey, at time: Timestamp, lookback: Int64 = 300) -> Double? {
        guard let position = index[key] else { return nil }
        let series = storage[position]
        guard let i = series.lastIndex(atOrBefore: time) else { return nil }
        guard time - series.times[i] <= lookback, series.values[i].isFinite else { return nil }
        return series.values[i]
    }

    /// How much a counter grew in `(start, end]`, counting a drop as a reset; the base is the last valid sample at or
    /// before `start`. Nil when the series has no sample in the range and none before it.
    public func increase(_ key: SeriesKey, from start: Timestamp, to end: Timestamp) -> Double? {
        guard let position = index[key] else { return nil }
        return storage[position].increase(from: start, to: end)
    }

    /// Sum of `increase` over every series matching the filter (nil means any).
    public func increaseSum(_ family: MetricFamily, arm: Arm?, segment: String?, extra: String? = nil,
                            from start: Timestamp, to end: Timestamp) -> Double? {
        increaseSum(family, arm: arm, slot: slot(segment), extra: extra, from: start, to: end)
    }

    /// `increaseSum` for a segment slot (see `slot(_:)`).
    public func increaseSum(_ family: MetricFamily, arm: Arm?, slot: SegmentSlot, extra: String? = nil,
                            from start: Timestamp, to end: Timestamp) -> Double? {
        var total: Double? = nil
        guard let members = group(family, arm, slot), !members.isEmpty else { return nil }
        // Through a buffer pointer: the series are read in place, without retaining their columns one by one.
        storage.withUnsafeBufferPointer { series in
            for position in members where extra == nil || storedKeys[position].extra == extra {
                if let inc = series[position].increase(from: start, to: end) { total = (total ?? 0) + inc }
            }
        }
        return total
    }

    /// The increase of each bucket of a histogram family in `(start, end]`, summed across the matching series by
    /// bound and sorted by bound; series whose `le` is not a number are left out.
    public func bucketIncreases(_ family: MetricFamily, arm: Arm?, segment: String?, from start: Timestamp, to end: Timestamp) -> [(upperBound: Double, count: Double)] {
        bucketIncreases(family, arm: arm, slot: slot(segment), from: start, to: end)
    }

    /// `bucketIncreases` for a segment slot.
    public func bucketIncreases(_ family: MetricFamily, arm: Arm?, slot: SegmentSlot, from start: Timestamp, to end: Timestamp) -> [(upperBound: Double, count: Double)] {
        guard slot.raw >= 0 else { return [] }
        let ordered = boundTable[Self.groupIndex(family, arm, slot.raw)]
        var buckets: [(upperBound: Double, count: Double)] = []
        buckets.reserveCapacity(ordered.count)
        storage.withUnsafeBufferPointer { series in
            for position in ordered {
                guard let inc = series[position].increase(from: start, to: end) else { continue }
                let bound = series[position].upperBound
                // Series of several arms or segments share bounds: added up as they come, in bound order.
                if let last = buckets.last, last.upperBound == bound { buckets[buckets.count - 1].count += inc } else { buckets.append((bound, inc)) }
            }
        }
        return buckets
    }

    /// The decisions of an arm in `(start, end]` by action, every action present (one pass over its decision series).
    public func decisionCounts(_ arm: Arm, segment: String?, from start: Timestamp, to end: Timestamp) -> [(DecisionAction, Double)] {
        decisionCounts(arm, slot: slot(segment), from: start, to: end)
    }

    /// `decisionCounts` for a segment slot.
    public func decisionCounts(_ arm: Arm, slot: SegmentSlot, from start: Timestamp, to end: Timestamp) -> [(DecisionAction, Double)] {
        var counts: [(DecisionAction, Double)] = DecisionAction.allCases.map { ($0, 0) }
        guard let members = group(.decisions, arm, slot) else { return counts }
        storage.withUnsafeBufferPointer { series in
            for position in members {
                guard let action = series[position].action, let inc = series[position].increase(from: start, to: end) else { continue }
                counts[action.ordinal].1 += inc
            }
        }
        return counts
    }

    /// The label outcomes of an arm in `(start, end]` (one pass over its label series).
    public func labelCounts(_ arm: Arm, segment: String?, from start: Timestamp, to end: Timestamp) -> LabelCounts {
        labelCounts(arm, slot: slot(segment), from: start, to: end)
    }

    /// `labelCounts` for a segment slot.
    public func labelCounts(_ arm: Arm, slot: SegmentSlot, from start: Timestamp, to end: Timestamp) -> LabelCounts {
        var counts = LabelCounts()
        guard let members = group(.labels, arm, slot) else { return counts }
        storage.withUnsafeBufferPointer { series in
            for position in members {
                guard let outcome = series[position].outcome, let inc = series[position].increase(from: start, to: end) else { continue }
                counts[outcome] += inc
            }
        }
        return counts
    }

    /// Thins every series' samples older than `cutoff` (see `SeriesData.thin`): a live dashboard keeps full
    /// resolution only where its rules look, so its memory stops growing with the age of the release. Queries whose
    /// start is `origin + k·every` or an anchor, and any window that starts at or after `cutoff`, give the same answers
    /// as before; other windows reaching before `cutoff` start at the kept sample before them.
    public mutating func thin(before cutoff: Timestamp, origin: Timestamp, every: Int64, keeping anchors: [Timestamp]) {
        guard every > 0 else { return }
        for i in storage.indices { storage[i].thin(before: cutoff, origin: origin, every: every, anchors: anchors) }
    }

    /// The samples of a series in `(start, end]`.
    public func samples(_ key: SeriesKey, from start: Timestamp, to end: Timestamp) -> [Sample] {
        guard let position = index[key] else { return [] }
        let series = storage[position]
        guard let e = series.lastIndex(atOrBefore: end) else { return [] }
        let s = (series.lastIndex(atOrBefore: start) ?? -1) + 1
        return s <= e ? (s...e).map(series.sample) : []
    }

    /// A copy holding only samples at or before `time` (for as-of analysis).
    public func truncated(to time: Timestamp) -> MetricSeriesSet {
        var copy = MetricSeriesSet()
        for (key, series) in zip(storedKeys, storage) {
            if let i = series.lastIndex(atOrBefore: time) { copy.append((0...i).map(series.sample), to: key) }
        }
        return copy
    }
}
