/// For each sample of one series, how many valid samples the series had up to and including it, counted as they
/// arrived: thinning drops samples but not their count, so the number of samples a window held (which sets the
/// average interval of Prometheus' extrapolation) stays known. Non-decreasing; stored as runs of equal steps like
/// `SampleTimes`: one run for a series never thinned and without invalid samples, a few more per thinning.
struct SampleOrdinals: Sendable {
    /// Samples `firstIndex ..< next run's firstIndex` have ordinal `first + k·step`.
    private struct Run: Sendable {
        var firstIndex: Int
        var first: Int64
        var step: Int64
    }

    private var runs: [Run] = []
    /// Set once the ordinals stopped fitting runs; then every ordinal is here and `runs` is empty.
    private var explicit: [UInt32]?
    private(set) var count = 0
    /// The step of the one run while there is only one (−1 otherwise), kept here so the usual look-up reads no
    /// other memory.
    private var uniformStep: Int64 = 0

    init() {}

    var last: Int64 { count == 0 ? 0 : self[count - 1] }

    /// The ordinal of sample `index`.
    @inline(__always)
    subscript(index: Int) -> Int64 {
        if let explicit { return Int64(explicit[index]) }
        if runs.count == 1 { return runs[0].first + Int64(index) * runs[0].step }
        var lo = 0, hi = runs.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if runs[mid].firstIndex <= index { lo = mid + 1 } else { hi = mid }
        }
        let run = runs[lo - 1]
        return run.first + Int64(index - run.firstIndex) * run.step
    }

    /// `self[b] − self[a]`: the valid samples after `a` up to and including `b`.
    @inline(__always)
    func distance(from a: Int, to b: Int) -> Int64 {
        if uniformStep >= 0 { return Int64(b - a) * uniformStep }
        return self[b] - self[a]
    }

    /// Appends an ordinal no smaller than the last one.
    mutating func append(_ ordinal: Int64) {
        precondition(ordinal >= last && ordinal <= Int64(UInt32.max), "ordinals must not decrease")
        defer {
            count += 1
            uniformStep = explicit == nil && runs.count == 1 ? runs[0].step : -1
        }
        if explicit != nil { explicit!.append(UInt32(ordinal)); return }
        if let r = runs.indices.last {
            let length = count - runs[r].firstIndex
            if length == 1 { runs[r].step = ordinal - runs[r].first; return }
            if ordinal - runs[r].first == Int64(length) * runs[r].step { return }
        }
        runs.append(Run(firstIndex: count, first: ordinal, step: 0))
        // A run costs 24 bytes, a plain ordinal 4: past a few dozen runs averaging under six samples, the array wins.
        if runs.count > 32, runs.count * 6 > count {
            explicit = (0..<count).map { UInt32(self[$0]) } + [UInt32(ordinal)]
            runs = []
        }
    }

    mutating func reserveCapacity(_ n: Int) {
        explicit?.reserveCapacity(n)
    }

    /// Keeps the ordinals at the given indices (ascending), in order.
    func keeping<S: Sequence>(_ indices: S) -> SampleOrdinals where S.Element == Int {
        var kept = SampleOrdinals()
        for i in indices { kept.append(self[i]) }
        return kept
    }

    /// Drops every ordinal from `index` on.
    mutating func removeSuffix(from index: Int) {
        guard index < count else { return }
        if explicit != nil {
            explicit!.removeSubrange(index...)
        } else {
            while let r = runs.indices.last, runs[r].firstIndex >= index { runs.removeLast() }
            if let r = runs.indices.last, index - runs[r].firstIndex == 1 { runs[r].step = 0 }
        }
        count = index
        uniformStep = explicit == nil && runs.count <= 1 ? (runs.first?.step ?? 0) : -1
    }

    /// Bytes held (for memory reports and tests).
    var byteCount: Int { runs.capacity * MemoryLayout<Run>.stride + (explicit?.capacity ?? 0) * 4 }
}
