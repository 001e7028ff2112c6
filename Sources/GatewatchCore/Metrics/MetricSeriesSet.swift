/// Every sample of one release, grouped by series and sorted by time, with the range queries the analysis needs.
///
/// Each series also keeps a running total of its counter increases (a drop counts as a reset, as in Prometheus'
/// `increase`) and the running count of its samples, extended as samples are appended. An increase over any window
/// (Prometheus' `increase()`, see `increase(_:from:to:)`) then needs only the first and last sample inside it, found
/// by binary search, O(log n) however long the window: the analysis of a release that has run for two weeks costs
/// about what one that has run for an hour does.
public struct MetricSeriesSet: Sendable {
    /// The samples of one series and the running totals of its increases, in compact columns (see `SampleTimes` and
    /// `SampleValues`): about eight bytes a sample instead of twenty-four.
    struct SeriesData: Sendable {
        /// The bucket bound (`le`) and label outcome of the series, parsed once.
        var upperBound: Double = .nan
        var outcome: LabelOutcome?
        var action: DecisionAction?
        /// Whether an invalid sample was ever appended (without one, a window's edges need no search).
        var hasInvalid = false
        // What every increase reads comes first, so it shares cache lines.
        var times = SampleTimes()
        /// `totals[i]`: the sum of every increase from the first valid sample up to and including sample `i` (a drop
        /// adds the new value: a reset). Invalid samples (NaN, ±Inf, negative) add 0.
        var totals = SampleValues()
        var values = SampleValues()
        /// `ordinals[i]`: how many valid samples the series had received up to and including sample `i`, kept
        /// through thinning.
        var ordinals = SampleOrdinals()
        /// The value increases of later samples are measured from: the last valid sample's.
        var lastValid: Double?

        /// A counter value increases are taken from: finite and not negative.
        @inline(__always)
        static func isValid(_ value: Double) -> Bool { value >= 0 && value < .infinity }

        var count: Int { times.count }

        func sample(_ i: Int) -> Sample { Sample(time: times[i], value: values[i]) }

        var samples: [Sample] { (0..<count).map(sample) }

        func lastIndex(atOrBefore time: Timestamp) -> Int? { times.lastIndex(atOrBefore: time) }

        mutating func reserveCapacity(_ n: Int) {
            times.reserveCapacity(n)
            values.reserveCapacity(n)
            totals.reserveCapacity(n)
            ordinals.reserveCapacity(n)
        }

        /// Appends a sample later than the last; `dropped` valid samples came between them (thinned away).
        mutating func append(_ sample: Sample, dropped: Int64 = 0) {
            let v = sample.value
            var step = 0.0
            let valid = Self.isValid(v)
            if !valid { hasInvalid = true }
            if valid {
                if let p = lastValid { step = v >= p ? v - p : v }
                lastValid = v
            }
            times.append(sample.time)
            values.append(v)
            totals.append((totals.last ?? 0) + step)
            ordinals.append(ordinals.last + dropped + (valid ? 1 : 0))
        }

        /// Prometheus' `increase()` over `[start, end]` (see `MetricSeriesSet.increase`).
        @inline(__always)
        func increase(from start: Timestamp, to end: Timestamp) -> Double? {
            guard let window = times.span(from: start, through: end), window.first < window.last else { return nil }
            if !hasInvalid {
                // Samples on both edges: Prometheus' extrapolation factor is exactly 1.
                if window.firstTime == start, window.lastTime == end { return totals[window.last] - totals[window.first] }
                return extrapolated(first: window.first, last: window.last, firstTime: window.firstTime, lastTime: window.lastTime,
                                    from: start, to: end)
            }
            guard let f = firstValidIndex(from: window.first, through: window.last), let l = lastValidIndex(from: f, through: window.last),
                  f < l else { return nil }
            return extrapolated(first: f, last: l, firstTime: times[f], lastTime: times[l], from: start, to: end)
        }

        /// `extrapolatedRate` of Prometheus 2.42 for valid samples `first < last`, step by step as it does it, so the
        /// result is Prometheus' to the last bit. Its times are milliseconds divided by 1000; whole seconds are the
        /// same numbers exactly.
        @inline(never)
        func extrapolated(first: Int, last: Int, firstTime: Timestamp, lastTime: Timestamp,
                          from start: Timestamp, to end: Timestamp) -> Double {
            let result = totals[last] - totals[first]
            var toStart = Self.seconds(firstTime, start)
            let toEnd = Self.seconds(end, lastTime)
            let sampled = Double(lastTime - firstTime)
            let average = sampled / Double(ordinals.distance(from: first, to: last))  // over samples − 1 intervals
            if result > 0 {
                // The counter cannot have been below zero: extrapolate no further back than where it was.
                let toZero = sampled * (values[first] / result)
                if toZero < toStart { toStart = toZero }
            }
            let threshold = average * 1.1
            var interval = sampled
            interval += toStart < threshold ? toStart : average / 2
            interval += toEnd < threshold ? toEnd : average / 2
            return result * (interval / sampled)
        }

        /// `a − b` in seconds, as a `Double` even where the `Int64` difference would overflow.
        @inline(__always)
        static func seconds(_ a: Timestamp, _ b: Timestamp) -> Double {
            let (d, overflow) = a.subtractingReportingOverflow(b)
            return overflow ? Double(a) - Double(b) : Double(d)
        }

        /// The first valid sample in `s...e`: past a run of invalid ones by binary search on the ordinals (the next
        /// higher ordinal is a valid sample, unless thinning dropped valid samples just before an invalid one).
        @inline(never)
        func firstValidIndex(from s: Int, through e: Int) -> Int? {
            var j = s
            while j <= e {
                if Self.isValid(values[j]) { return j }
                let ordinal = ordinals[j]
                var lo = j + 1, hi = e + 1
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if ordinals[mid] > ordinal { hi = mid } else { lo = mid + 1 }
                }
                j = lo
            }
            return nil
        }

        /// The last valid sample in `s...e`: the samples sharing an invalid one's ordinal start with the valid sample
        /// that has it (or, after thinning, with an invalid one that follows dropped valid samples).
        @inline(never)
        func lastValidIndex(from s: Int, through e: Int) -> Int? {
            var j = e
            while j >= s {
                if Self.isValid(values[j]) { return j }
                let ordinal = ordinals[j]
                var lo = s, hi = j
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if ordinals[mid] >= ordinal { hi = mid } else { lo = mid + 1 }
                }
                if lo < j, Self.isValid(values[lo]) { return lo }
                j = lo - 1
            }
            return nil
        }

        /// Drops samples older than `cutoff` except the first, the last and the last valid of each
        /// `(origin + (k−1)·every, origin + k·every]` bucket and the first valid at or after each anchor. Totals and
        /// ordinals of the samples kept do not change, so every increase between kept samples stays exact.
        mutating func thin(before cutoff: Timestamp, origin: Timestamp, every: Int64, anchors: [Timestamp]) {
            guard let end = times.lastIndex(atOrBefore: cutoff - 1), end > 0 else { return }
            var keep = [Bool](repeating: false, count: end + 1)
            keep[0] = true
            func bucket(_ t: Timestamp) -> Int64 {
                let d = t - origin
                return d <= 0 ? d / every : (d + every - 1) / every  // ceil for (a, b] buckets
            }
            var next = bucket(times[0])
            var lastValidInBucket: Int? = nil
            for i in 0...end {
                let current = next
                if i < count - 1 { next = bucket(times[i + 1]) }
                if Self.isValid(values[i]) { lastValidInBucket = i }
                if i == end || current != next {
                    keep[i] = true
                    if let v = lastValidInBucket { keep[v] = true }
                    lastValidInBucket = nil
                }
            }
            for anchor in anchors {
                var i = anchor == .min ? 0 : (times.lastIndex(atOrBefore: anchor - 1) ?? -1) + 1
                while i <= end, !Self.isValid(values[i]) { i += 1 }
                if i <= end { keep[i] = true }
            }
            guard keep.contains(false) else { return }
            let kept = (0...end).lazy.filter { keep[$0] }
            let indices = Array(kept) + Array((end + 1)..<count)
            times = times.keeping(indices)
            values = values.keeping(indices)
            totals = totals.keeping(indices)
            ordinals = ordinals.keeping(indices)
        }

        /// The samples up to and including `index`, with their totals and ordinals.
        func prefix(through index: Int) -> SeriesData {
            var copy = SeriesData(upperBound: upperBound, outcome: outcome, action: action)
            copy.hasInvalid = hasInvalid
            copy.times = times.keeping(0...index)
            copy.values = values.keeping(0...index)
            copy.totals = totals.keeping(0...index)
            copy.ordinals = ordinals.keeping(0...index)
            copy.lastValid = lastValidIndex(from: 0, through: index).map { values[$0] }
            return copy
        }

        /// Sets the value of sample `index` and rebuilds the totals and ordinals from there (keeping the count of
        /// samples thinned away between the samples).
        mutating func setValue(at index: Int, to value: Double) {
            let kept = (index..<count).map(sample)
            let dropped = (index..<count).map { i in
                ordinals[i] - (i > 0 ? ordinals[i - 1] : 0) - (Self.isValid(values[i]) ? 1 : 0)
            }
            times.removeSuffix(from: index)
            values.removeSuffix(from: index)
            totals.removeSuffix(from: index)
            ordinals.removeSuffix(from: index)
            lastValid = nil
            for i in stride(from: index - 1, through: 0, by: -1) where Self.isValid(values[i]) {
                lastValid = values[i]
                break
            }
            append(Sample(time: kept[0].time, value: value), dropped: dropped[0])
            for (sample, gap) in zip(kept, dropped).dropFirst() { append(sample, dropped: gap) }
        }

        /// Bytes held by the columns.
        var byteCount: Int { times.byteCount + values.byteCount + totals.byteCount + ordinals.byteCount }
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

    /// How much a counter grew in the closed window `[start, end]`: Prometheus 2.42's `increase()` (`extrapolatedRate`
    /// in `promql/functions.go`), the one definition every window of the analysis uses, rule windows and since-start
    /// totals alike. Only samples inside the window count, so a counter's value before it is a base, never growth:
    /// the last minus the first, plus the value before each drop (a reset), extrapolated towards each edge — by the
    /// distance to it when that is under 1.1 average sample intervals, else by half an interval — and never back past
    /// where the counter would have been zero. Nil with fewer than two samples in the window. Invalid samples (NaN,
    /// ±Inf, negative) are taken as absent (Prometheus would compute with them; `PrometheusMetricsStore` drops them
    /// from counters). Thinned history keeps each sample's count, so the average interval is the unthinned one.
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

    /// The increase of each bucket of a histogram family in `[start, end]`, summed across the matching series by
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

    /// The decisions of an arm in `[start, end]` by action, every action present (one pass over its decision series).
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

    /// The label outcomes of an arm in `[start, end]` (one pass over its label series).
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
    /// resolution only where its rules look, so its memory stops growing with the age of the release. Increases over
    /// windows that start at an anchor or at or after `cutoff` and end at `origin + k·every` or at or after `cutoff`
    /// give the same answers as before, to the bit; other windows reaching before `cutoff` start or end at the kept
    /// samples inside them.
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

    /// A copy holding only samples at or before `time` (for as-of analysis); thinned history stays as exact as here.
    public func truncated(to time: Timestamp) -> MetricSeriesSet { truncated(to: time, leavingOut: nil) }

    /// `truncated(to:)` without the series of `family`.
    func truncated(to time: Timestamp, leavingOut family: MetricFamily?) -> MetricSeriesSet {
        var copy = MetricSeriesSet()
        for (key, series) in zip(storedKeys, storage) where key.family != family {
            guard let i = series.lastIndex(atOrBefore: time) else { continue }
            let position = copy.addSeries(key)
            copy.storage[position] = series.prefix(through: i)
            if copy.newestTime == nil || series.times[i] > copy.newestTime! { copy.newestTime = series.times[i] }
        }
        return copy
    }
}
