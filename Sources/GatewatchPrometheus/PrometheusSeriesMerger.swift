import GatewatchCore

/// Turns the Prometheus series of one release into contract series, keeping counters monotonic across polls.
///
/// Why counters are corrected here although `MetricSeriesSet.increase` (GatewatchCore) already reads a drop as a
/// reset: that is enough for *one* series, but Prometheus often holds several series for one contract series (one per
/// `instance`, `pod` or replica), and they have to be summed into one. In a sum, one member's restart is a small drop
/// that the analysis would take for a reset of the whole sum and count everything again. So each Prometheus series
/// (identified by its full label set) is made monotonic first — a drop adds the value before the drop to an offset
/// carried across polls, as `increase()` would count it — and only then summed. A member that disappears keeps
/// contributing its last value, so a sum never drops when a pod goes away. For a single series with no reset the
/// values pass through unchanged, so the store returns exactly what the embedded store holds for the same data.
///
/// Counter values that are not finite or are negative are not counts and are dropped (one `+Inf` would otherwise
/// poison the offset and every later sum); `NaN` is dropped for every family, as the embedded store does. Gauges keep
/// `±Inf` (the analysis reads a non-finite gauge as "no data", like the embedded store); several series of one gauge
/// are merged by taking the maximum at each time (replicas report the same queue, so a sum would double it).
struct PrometheusSeriesMerger: Sendable {
    /// One Prometheus series of a counter family, as far as it has been read.
    struct Member: Sendable, Equatable {
        var key: SeriesKey
        var lastRaw: Double?
        var offset: Double = 0
        var lastAdjusted: Double?
    }

    /// Counter members by identity: the family and the series' full label set. The family is part of it because a
    /// query that aggregates (`sum by (arm, segment, le) (…)`) drops `__name__`: the latency and the score buckets then
    /// have the same label sets (`le="+Inf"` in both), and one family's counter state would be read as the other's.
    private(set) var members: [String: Member] = [:]
    /// Identities of the members of each contract series.
    private var membersByKey: [SeriesKey: Set<String>] = [:]

    /// A Prometheus series mapped to its contract series.
    struct Input {
        var id: String
        var key: SeriesKey
        var points: [(time: Timestamp, value: Double)]
    }

    /// Contract samples of one family's series; updates the counter state.
    mutating func merge(_ family: MetricFamily, _ inputs: [Input]) -> [SeriesKey: [Sample]] {
        // Points of one identity (several chunks, or an answer listing a series twice) joined and sorted by time.
        var byID: [String: (key: SeriesKey, points: [(time: Timestamp, value: Double)])] = [:]
        for input in inputs {
            byID[family.rawValue + " " + input.id, default: (input.key, [])].points.append(contentsOf: input.points)
        }
        var byKey: [SeriesKey: [String]] = [:]
        var lists: [String: [Sample]] = [:]
        var previous: [String: Double] = [:]
        for (id, entry) in byID {
            var points = entry.points.sorted { $0.time < $1.time }
            // Keep the last of equal times.
            points = points.enumerated().filter { i, p in i + 1 == points.count || points[i + 1].time != p.time }.map(\.element)
            byKey[entry.key, default: []].append(id)
            if family.isCounter {
                var member = members[id] ?? Member(key: entry.key)
                var list: [Sample] = []
                list.reserveCapacity(points.count)
                for p in points where p.value.isFinite && p.value >= 0 {
                    if let last = member.lastRaw, p.value < last { member.offset += last }
                    let adjusted = p.value + member.offset
                    list.append(Sample(time: p.time, value: adjusted))
                    member.lastRaw = p.value
                    member.lastAdjusted = adjusted
                }
                if let before = members[id]?.lastAdjusted { previous[id] = before }
                members[id] = member
                membersByKey[entry.key, default: []].insert(id)
                lists[id] = list
            } else {
                lists[id] = points.filter { !$0.value.isNaN }.map { Sample(time: $0.time, value: $0.value) }
            }
        }
        var result: [SeriesKey: [Sample]] = [:]
        for (key, fetchedIDs) in byKey {
            let merged: [Sample]
            if family.isCounter {
                // Members seen in earlier polls but absent now still count with their last value.
                let all = membersByKey[key] ?? Set(fetchedIDs)
                if all.count == 1 {
                    merged = lists[fetchedIDs[0]] ?? []
                } else {
                    for id in all where lists[id] == nil { previous[id] = members[id]?.lastAdjusted }
                    merged = Self.sum(all.sorted().map { (lists[$0] ?? [], previous[$0]) })
                }
            } else if fetchedIDs.count == 1 {
                merged = lists[fetchedIDs[0]] ?? []
            } else {
                merged = Self.maximum(fetchedIDs.sorted().map { lists[$0] ?? [] })
            }
            if !merged.isEmpty { result[key] = merged }
        }
        return result
    }

    /// At each time any member has a point: the sum of every member's latest value at or before it (`carry` is the
    /// value before the first point, from an earlier poll).
    static func sum(_ members: [(list: [Sample], carry: Double?)]) -> [Sample] {
        let times = Set(members.flatMap { $0.list.map(\.time) }).sorted()
        var cursors = [Int](repeating: 0, count: members.count)
        var carries = members.map(\.carry)
        var out: [Sample] = []
        out.reserveCapacity(times.count)
        for t in times {
            var total = 0.0
            for m in members.indices {
                let list = members[m].list
                while cursors[m] < list.count, list[cursors[m]].time <= t {
                    carries[m] = list[cursors[m]].value
                    cursors[m] += 1
                }
                total += carries[m] ?? 0
            }
            out.append(Sample(time: t, value: total))
        }
        return out
    }

    /// At each time any member has a point: the largest value among the members with a point at that time.
    static func maximum(_ members: [[Sample]]) -> [Sample] {
        var best: [Timestamp: Double] = [:]
        for list in members {
            for s in list {
                if let b = best[s.time] { best[s.time] = max(b, s.value) } else { best[s.time] = s.value }
            }
        }
        return best.keys.sorted().map { Sample(time: $0, value: best[$0]!) }
    }
}
