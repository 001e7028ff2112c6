/// The sample times of one series, sorted and strictly increasing, stored as runs of equal steps.
///
/// Sources deliver samples on a grid (a store's one-minute samples, Prometheus' `query_range` step), so a series is
/// usually one run: its first time, its step and its length, however many samples it holds. Thinned history adds a
/// few runs of a coarser step. Times that follow no grid fall back to a plain array once runs stop paying for
/// themselves, so no input costs more than eight bytes a sample.
struct SampleTimes: Sendable {
    /// Samples `firstIndex ..< next run's firstIndex` are at `firstTime + k·step`.
    private struct Run: Sendable {
        var firstIndex: Int
        var firstTime: Int64
        var step: Int64
    }

    private var runs: [Run] = []
    /// Set once the times stopped fitting runs; then every time is here and `runs` is empty.
    private var explicit: [Int64]?
    private(set) var count = 0

    init() {}

    init<S: Sequence>(_ times: S) where S.Element == Int64 {
        for t in times { append(t) }
    }

    var isEmpty: Bool { count == 0 }
    var first: Int64? { count == 0 ? nil : self[0] }
    var last: Int64? { count == 0 ? nil : self[count - 1] }

    /// The time of sample `index`.
    subscript(index: Int) -> Int64 {
        if let explicit { return explicit[index] }
        if runs.count == 1 { return runs[0].firstTime + Int64(index) * runs[0].step }
        let r = runIndex(containing: index)
        return runs[r].firstTime + Int64(index - runs[r].firstIndex) * runs[r].step
    }

    /// Appends a time later than the last one.
    mutating func append(_ time: Int64) {
        precondition(count == 0 || time > last!, "sample times must increase")
        defer { count += 1 }
        if explicit != nil { explicit!.append(time); return }
        if let r = runs.indices.last {
            let length = count - runs[r].firstIndex
            if length == 1 { runs[r].step = time - runs[r].firstTime; return }
            if time - runs[r].firstTime == Int64(length) * runs[r].step { return }
        }
        runs.append(Run(firstIndex: count, firstTime: time, step: 0))
        // A run costs 24 bytes; a plain time 8. Past a few dozen runs averaging under three samples each, the array wins.
        if runs.count > 32, runs.count * 3 > count {
            explicit = (0..<count).map { self[$0] } + [time]
            runs = []
        }
    }

    mutating func reserveCapacity(_ n: Int) {
        explicit?.reserveCapacity(n)
    }

    /// Index of the last time at or before `time`, or nil.
    @inline(__always)
    func lastIndex(atOrBefore time: Int64) -> Int? {
        if let explicit {
            var lo = 0, hi = explicit.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if explicit[mid] <= time { lo = mid + 1 } else { hi = mid }
            }
            return lo == 0 ? nil : lo - 1
        }
        if runs.count == 1 {
            // The usual case: one run on the grid.
            let run = runs[0]
            guard time >= run.firstTime else { return nil }
            guard run.step > 0 else { return 0 }
            return min(Int((time - run.firstTime) / run.step), count - 1)
        }
        // The last run starting at or before `time`, then a division inside it.
        var lo = 0, hi = runs.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if runs[mid].firstTime <= time { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0 else { return nil }
        let run = runs[lo - 1]
        let end = lo < runs.count ? runs[lo].firstIndex : count
        guard run.step > 0 else { return run.firstIndex }
        return min(run.firstIndex + Int((time - run.firstTime) / run.step), end - 1)
    }

    /// The first and last index with a time in `[start, end]` and their times, or nil when none is.
    @inline(__always)
    func span(from start: Int64, through end: Int64) -> (first: Int, last: Int, firstTime: Int64, lastTime: Int64)? {
        if explicit == nil, runs.count == 1, runs[0].step > 0, start > Int64.min {
            // The usual case, one run on the grid: arithmetic only.
            let run = runs[0]
            guard end >= run.firstTime else { return nil }
            let last = min(Int((end - run.firstTime) / run.step), count - 1)
            let first = start <= run.firstTime ? 0 : Int((start - 1 - run.firstTime) / run.step) + 1
            guard first <= last else { return nil }
            return (first, last, run.firstTime + Int64(first) * run.step, run.firstTime + Int64(last) * run.step)
        }
        guard let last = lastIndex(atOrBefore: end) else { return nil }
        let first = start == .min ? 0 : (lastIndex(atOrBefore: start - 1) ?? -1) + 1
        guard first <= last else { return nil }
        return (first, last, self[first], self[last])
    }

    /// Keeps the times at the given indices (ascending), in order.
    func keeping<S: Sequence>(_ indices: S) -> SampleTimes where S.Element == Int {
        var kept = SampleTimes()
        for i in indices { kept.append(self[i]) }
        return kept
    }

    /// Drops every time from `index` on.
    mutating func removeSuffix(from index: Int) {
        guard index < count else { return }
        if explicit != nil {
            explicit!.removeSubrange(index...)
        } else {
            while let r = runs.indices.last, runs[r].firstIndex >= index { runs.removeLast() }
            if let r = runs.indices.last, index - runs[r].firstIndex == 1 { runs[r].step = 0 }
        }
        count = index
    }

    /// Bytes held (for memory reports and tests).
    var byteCount: Int { runs.capacity * MemoryLayout<Run>.stride + (explicit?.capacity ?? 0) * 8 }

    private func runIndex(containing index: Int) -> Int {
        var lo = 0, hi = runs.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if runs[mid].firstIndex <= index { lo = mid + 1 } else { hi = mid }
        }
        return lo - 1
    }
}
