import Testing
@testable import GatewatchCore

@Suite struct MetricSeriesSetTests {
    let key = SeriesKey(.decisions, arm: .challenger, segment: "market=BR", extra: "allow")

    func set(_ pairs: [(Timestamp, Double)], key: SeriesKey? = nil) -> MetricSeriesSet {
        var s = MetricSeriesSet()
        s.append(pairs.map { Sample(time: $0.0, value: $0.1) }, to: key ?? self.key)
        return s
    }

    /// Whether two increases agree to rounding (expected values below are worked by hand from Prometheus' rules).
    func close(_ a: Double?, _ b: Double) -> Bool { a.map { abs($0 - b) <= 1e-9 * max(1, abs(b)) } ?? false }

    @Test func increaseCountsADropAsAReset() throws {
        let s = set([(0, 0), (60, 10), (120, 25), (180, 5), (240, 15)])
        #expect(s.increase(key, from: 0, to: 240) == 40)  // 15 − 0 + 25 before the reset
        #expect(s.increase(key, from: 60, to: 180) == 20)  // 5 − 10 + 25
        #expect(s.increase(key, from: 120, to: 240) == 15)  // 15 − 25 + 25
        #expect(s.increase(key, from: 0, to: 60) == 10)
        // The window starts between samples: 180 and 240 are inside; 10 over 60 s, extrapolated 10 s back to the start
        // (the zero point, 30 s back, is further): 10 × 70 / 60.
        #expect(close(s.increase(key, from: 170, to: 240), 10 * 70 / 60.0))
    }

    @Test func increaseUsesOnlySamplesInsideTheWindow() {
        // Prometheus' increase(): the closed window [start, end], extrapolated to its edges.
        let s = set([(100, 7), (160, 10), (220, 12)])
        // 100 and 160: +3 over 60 s. The start is 100 s away, past 1.1 intervals: half an interval (30 s) is added;
        // the end is 40 s away, under 1.1 intervals: all of it. 3 × 130 / 60.
        #expect(close(s.increase(key, from: 0, to: 200), 6.5))
        #expect(close(s.increase(key, from: 0, to: 250), 5 * 180 / 120.0))  // 30 s + 120 s + 30 s
        #expect(close(s.increase(key, from: 100, to: 250), 5 * 150 / 120.0))  // 0 + 120 s + 30 s
        #expect(s.increase(key, from: 100, to: 220) == 5)  // samples on both edges: no extrapolation
        #expect(s.increase(key, from: 0, to: 50) == nil)  // nothing in the window
        #expect(s.increase(key, from: 0, to: 130) == nil)  // one sample: no increase
        #expect(s.increase(key, from: 161, to: 219) == nil)
        #expect(s.increase(SeriesKey(.errors), from: 0, to: 500) == nil)  // unknown series
    }

    @Test func aCounterThatStartsLargeCountsOnlyItsGrowth() {
        // The first sample of a counter that ran before the window is a base, never an increase.
        let s = set([(60, 500_000), (120, 500_010), (180, 500_020)])
        #expect(close(s.increase(key, from: 0, to: 180), 20 * 180 / 120.0))  // extrapolated 60 s back to the start
        #expect(s.increase(key, from: 60, to: 180) == 20)
    }

    @Test func extrapolationStopsWhereTheCounterWouldBeZero() {
        // +12 over 120 s from 2: the counter was zero 20 s before its first sample, so the start edge (100 s away)
        // is taken as 20 s away: 12 × 140 / 120 = 14.
        let s = set([(100, 2), (160, 8), (220, 14)])
        #expect(close(s.increase(key, from: 0, to: 220), 14))
        // A counter that did not move is not extrapolated at all (and its zero point is undefined).
        let flat = set([(100, 5), (160, 5)])
        #expect(flat.increase(key, from: 0, to: 300) == 0)
    }

    @Test func increaseWithFewerThanTwoSamplesInsideTheWindowHasNoValue() {
        let s = set([(100, 7), (160, 10)])
        #expect(s.increase(key, from: 160, to: 200) == nil)  // one sample: Prometheus drops the series
        #expect(s.increase(key, from: 400, to: 460) == nil)
        #expect(s.increase(key, from: 100, to: 160) == 3)  // both edges are closed
    }

    @Test func outOfOrderAndDuplicateAppendsAreIgnored() {
        var s = set([(100, 5), (200, 10)])
        s.append(key, time: 150, value: 100)
        s.append(key, time: 200, value: 99)
        s.append(key, time: 50, value: 1)
        #expect(s.series[key] == [Sample(time: 100, value: 5), Sample(time: 200, value: 10)])
        // +5 over 100 s, both edges 100 s away (under 110 s): extrapolated to 300 s. The zero point is 100 s back too.
        #expect(close(s.increase(key, from: 0, to: 300), 15))
        // one call with unsorted samples is sorted first
        s.append([Sample(time: 300, value: 13), Sample(time: 250, value: 11)], to: key)
        #expect(s.series[key]?.map(\.time) == [100, 200, 250, 300])
        #expect(s.newestTime == 300)
        #expect(s.increase(key, from: 200, to: 300) == 3)
    }

    @Test func negativeAndNonFiniteCounterSamplesAreSkipped() {
        // Treated as absent: 0, 10 and 14 are the samples of the window.
        let s = set([(0, 0), (60, 10), (120, -4), (180, .nan), (240, 14)])
        #expect(s.increase(key, from: 0, to: 240) == 14)
        // On the window's edges too: in [1, 240] the samples are 60 and 240: +4 over 180 s, 59 s extrapolated back.
        #expect(close(s.increase(key, from: 1, to: 240), 4 * 239 / 180.0))
        #expect(s.increase(key, from: 100, to: 239) == nil)  // no valid sample inside
        // 10 at 60 and 12 at 120 are the samples: +2 over 60 s, extrapolated 60 s to each edge.
        let invalidEdges = set([(0, .nan), (60, 10), (120, 12), (180, .infinity)])
        #expect(close(invalidEdges.increase(key, from: 0, to: 180), 6))
    }

    @Test func valueHonoursTheFiveMinuteLookback() {
        let gauge = SeriesKey(.reviewQueueDepth)
        var s = set([(1000, 42)], key: gauge)
        #expect(s.value(gauge, at: 1000) == 42)
        #expect(s.value(gauge, at: 1300) == 42)
        #expect(s.value(gauge, at: 1301) == nil)
        #expect(s.value(gauge, at: 999) == nil)
        #expect(s.value(gauge, at: 1100, lookback: 50) == nil)
        #expect(s.value(gauge, at: 1050, lookback: 50) == 42)
        s.append(gauge, time: 1200, value: .nan)
        #expect(s.value(gauge, at: 1200) == nil)  // NaN is a stale marker, not a value
        s.append(gauge, time: 1260, value: 7)
        #expect(s.value(gauge, at: 1500) == 7)
        #expect(s.value(SeriesKey(.reviewCapacityPerHour), at: 1000) == nil)
    }

    @Test func increaseSumFiltersByArmSegmentAndExtra() {
        var s = MetricSeriesSet()
        let a = SeriesKey(.decisions, arm: .champion, segment: "s1", extra: "allow")
        let b = SeriesKey(.decisions, arm: .champion, segment: "s2", extra: "block")
        let c = SeriesKey(.decisions, arm: .challenger, segment: "s1", extra: "allow")
        let e = SeriesKey(.errors, arm: .champion, segment: "s1")
        s.append([Sample(time: 0, value: 0), Sample(time: 60, value: 10)], to: a)
        s.append([Sample(time: 0, value: 0), Sample(time: 60, value: 20)], to: b)
        s.append([Sample(time: 0, value: 0), Sample(time: 60, value: 40)], to: c)
        s.append([Sample(time: 0, value: 0), Sample(time: 60, value: 80)], to: e)
        #expect(s.increaseSum(.decisions, arm: nil, segment: nil, from: 0, to: 60) == 70)
        #expect(s.increaseSum(.decisions, arm: .champion, segment: nil, from: 0, to: 60) == 30)
        #expect(s.increaseSum(.decisions, arm: nil, segment: "s1", from: 0, to: 60) == 50)
        #expect(s.increaseSum(.decisions, arm: .champion, segment: "s1", from: 0, to: 60) == 10)
        #expect(s.increaseSum(.decisions, arm: nil, segment: nil, extra: "block", from: 0, to: 60) == 20)
        #expect(s.increaseSum(.decisions, arm: .challenger, segment: "s2", from: 0, to: 60) == nil)
        #expect(s.keys(.decisions, arm: .champion) == [a, b])
        #expect(s.segments == ["s1", "s2"])
        // A segment resolved once to its slot answers as its name does; an unknown one has no data.
        #expect(s.slot(nil) == .any && s.slot("s1") != s.slot("s2"))
        #expect(s.increaseSum(.decisions, arm: nil, slot: s.slot("s1"), from: 0, to: 60) == 50)
        #expect(s.increaseSum(.errors, arm: .champion, slot: s.slot("s1"), from: 0, to: 60) == 80)
        #expect(s.increaseSum(.decisions, arm: nil, slot: s.slot("s3"), from: 0, to: 60) == nil)
        #expect(s.labelCounts(.champion, slot: s.slot("s3"), from: 0, to: 60) == LabelCounts())
        #expect(s.keys(.decisions, segment: "s3").isEmpty && s.keys(.errors, segment: "s1") == [e])
    }

    @Test func samplesRangeIsHalfOpenAndTruncationDropsLaterSamples() {
        let s = set([(0, 1), (60, 2), (120, 3), (180, 4)])
        #expect(s.samples(key, from: 60, to: 180).map(\.time) == [120, 180])
        #expect(s.samples(key, from: -1, to: 0).map(\.time) == [0])
        #expect(s.samples(key, from: 180, to: 500).isEmpty)
        let t = s.truncated(to: 100)
        #expect(t.series[key]?.map(\.time) == [0, 60])
        #expect(t.newestTime == 60)
        #expect(s.truncated(to: -5).series.isEmpty)
    }

    /// Prometheus 2.42's `increase()` (`extrapolatedRate` in `promql/functions.go`) transcribed over a plain list of
    /// samples, the invalid ones left out first: the reference the running totals and ordinals must agree with.
    static func referenceIncrease(_ list: [Sample], from start: Timestamp, to end: Timestamp) -> Double? {
        let points = list.filter { $0.time >= start && $0.time <= end && $0.value.isFinite && $0.value >= 0 }
        guard points.count >= 2, let first = points.first, let last = points.last else { return nil }
        var result = last.value - first.value
        var previous = first.value
        for point in points.dropFirst() {
            if point.value < previous { result += previous }
            previous = point.value
        }
        var toStart = Double(first.time - start)
        let toEnd = Double(end - last.time)
        let sampled = Double(last.time - first.time)
        let average = sampled / Double(points.count - 1)
        if result > 0, first.value >= 0 {
            let toZero = sampled * (first.value / result)
            if toZero < toStart { toStart = toZero }
        }
        let threshold = average * 1.1
        var interval = sampled
        interval += toStart < threshold ? toStart : average / 2
        interval += toEnd < threshold ? toEnd : average / 2
        return result * (interval / sampled)
    }

    /// A counter on a mostly one-minute grid with gaps, off-grid times (for some seeds), resets, values that are not
    /// whole numbers and invalid samples.
    static func randomCounter(seed: UInt64, count: Int = 400) -> [Sample] {
        var rng = SeededRandom(seed: seed)
        var list: [Sample] = []
        var value = 0.0
        var time: Int64 = 0
        for _ in 0..<count {
            time += seed % 5 == 0 ? Int64(rng.next() % 90) + 1 : (rng.next() % 25 == 0 ? 60 * Int64(rng.next() % 4 + 2) : 60)
            switch rng.next() % 20 {
            case 0: value = Double(rng.next() % 50)  // a reset
            case 2 where seed % 4 == 0: value += 0.1  // not exact in a Float: the column widens to Double
            case 1: list.append(Sample(time: time, value: [.nan, .infinity, -3][Int(rng.next() % 3)])); continue
            default: value += Double(rng.next() % 100) / 4
            }
            list.append(Sample(time: time, value: value))
        }
        return list
    }

    @Test(arguments: 1...20) func runningTotalsAgreeWithSummingEverySample(seed: UInt64) {
        var rng = SeededRandom(seed: seed &+ 1_000)
        let list = Self.randomCounter(seed: seed)
        var s = MetricSeriesSet()
        // Appended in pieces, as polls deliver them.
        var rest = list[...]
        while !rest.isEmpty {
            let n = Int(rng.next() % 50) + 1
            s.append(Array(rest.prefix(n)), to: key)
            rest = rest.dropFirst(n)
        }
        for _ in 0..<300 {
            let a = Int64(rng.next() % 26_000) - 500, b = a + Int64(rng.next() % 26_000)
            let expected = Self.referenceIncrease(list, from: a, to: b), actual = s.increase(key, from: a, to: b)
            let stored = s.samples(key, from: a, to: b), given = list.filter { $0.time > a && $0.time <= b }
            #expect(stored.count == given.count && zip(stored, given).allSatisfy {
                $0.time == $1.time && ($0.value == $1.value || ($0.value.isNaN && $1.value.isNaN))
            }, "samples in (\(a), \(b)]")
            #expect((expected == nil) == (actual == nil), "(\(a), \(b)]")
            if let e = expected, let v = actual { #expect(abs(e - v) <= 1e-9 * max(1, abs(e)), "(\(a), \(b)]: \(v) vs \(e)") }
        }
        // Changing a past value (as the then-and-now view does) keeps the totals right.
        var changed = s
        changed.setValue(key, atOrBefore: 12_000, to: 1)
        var edited = list
        let i = edited.lastIndex(where: { $0.time <= 12_000 })!
        edited[i].value = 1
        for (a, b) in [(Int64(0), Int64(24_000)), (11_000, 13_000), (12_000, 20_000)] {
            #expect(changed.increase(key, from: a, to: b) == Self.referenceIncrease(edited, from: a, to: b)
                    || abs(changed.increase(key, from: a, to: b)! - Self.referenceIncrease(edited, from: a, to: b)!) < 1e-6)
        }
    }

    @Test(arguments: 1...12) func thinnedHistoryGivesTheIncreasesOfTheFullOne(seed: UInt64) {
        // Thinning keeps each sample's position among the valid ones, so the average interval, and with it the
        // extrapolation, is the same: every window that starts at an anchor or after the cut and ends at a bucket
        // boundary or after the cut gives the same increase, bit for bit.
        let list = Self.randomCounter(seed: seed, count: 1_500)
        var full = MetricSeriesSet()
        full.append(list, to: key)
        let origin: Timestamp = 600, every: Int64 = 900
        let anchors: [Timestamp] = [origin, 7_261 + Timestamp(seed) * 97]
        let span = list.last!.time, cut = span * 7 / 10
        var thinned = full
        thinned.thin(before: span * 6 / 10, origin: origin, every: every, keeping: anchors)
        thinned.thin(before: cut, origin: origin, every: every, keeping: anchors)  // a second pass, as every hour
        #expect(thinned.sampleCount < full.sampleCount * 2 / 3, "\(thinned.sampleCount) of \(full.sampleCount) kept")
        let ends = stride(from: origin, through: cut, by: Int(every)).map { $0 } + stride(from: cut, through: span + 200, by: 173).map { $0 }
        let starts = anchors + stride(from: cut, through: span, by: 611).map { $0 }
        var compared = 0
        for start in starts {
            for end in ends where end >= start {
                let a = full.increase(key, from: start, to: end), b = thinned.increase(key, from: start, to: end)
                #expect(a == b, "[\(start), \(end)]: thinned \(b.map { "\($0)" } ?? "nil"), full \(a.map { "\($0)" } ?? "nil")")
                if a != nil { compared += 1 }
            }
        }
        #expect(compared > 1_000)
        // A copy cut at a time keeps the positions too.
        for end in [origin + 20 * every, cut + 1_234] {
            #expect(thinned.truncated(to: end).increase(key, from: anchors[0], to: end) == full.increase(key, from: anchors[0], to: end))
        }
    }

    @Test func timesOnAGridAreRunsAndOffGridTimesFallBackToAnArray() {
        var grid = SampleTimes()
        for k in 0..<10_000 { grid.append(1_000 + Int64(k) * 60) }
        #expect(grid.count == 10_000)
        #expect(grid.byteCount <= 64, "a regular series is one run: \(grid.byteCount) bytes")
        #expect(grid[0] == 1_000 && grid[9_999] == 1_000 + 9_999 * 60)
        #expect(grid.lastIndex(atOrBefore: 999) == nil)
        #expect(grid.lastIndex(atOrBefore: 1_000) == 0)
        #expect(grid.lastIndex(atOrBefore: 1_059) == 0)
        #expect(grid.lastIndex(atOrBefore: 1_060) == 1)
        #expect(grid.lastIndex(atOrBefore: .max) == 9_999)

        // A gap starts a new run; lookups on both sides stay exact.
        var gapped = SampleTimes([0, 60, 120, 600, 660, 720, 725])
        #expect((0..<7).map { gapped[$0] } == [0, 60, 120, 600, 660, 720, 725])
        #expect(gapped.lastIndex(atOrBefore: 599) == 2)
        #expect(gapped.lastIndex(atOrBefore: 724) == 5)
        #expect(gapped.lastIndex(atOrBefore: 725) == 6)
        gapped.removeSuffix(from: 4)
        gapped.append(700)
        #expect((0..<gapped.count).map { gapped[$0] } == [0, 60, 120, 600, 700])

        // Times on no grid at all cost eight bytes each, not a run each.
        var rng = SeededRandom(seed: 9)
        var irregular = SampleTimes(), t: Int64 = 0, all: [Int64] = []
        for _ in 0..<1_000 { t += Int64(rng.next() % 97) + 1; irregular.append(t); all.append(t) }
        #expect((0..<1_000).map { irregular[$0] } == all)
        #expect(irregular.byteCount <= 1_000 * 8 + 1_024, "\(irregular.byteCount) bytes")
        for probe in stride(from: Int64(-5), to: t + 5, by: 7) {
            #expect(irregular.lastIndex(atOrBefore: probe) == all.lastIndex(where: { $0 <= probe }))
        }
    }

    @Test func valuesStayFloatsWhileExactAndWidenWithoutRounding() {
        var column = SampleValues()
        for v in [0.0, 1, 16_777_216, .nan, .infinity, -3, 0.5] { column.append(v) }
        #expect(!column.isWide)
        #expect(column[2] == 16_777_216 && column[3].isNaN && column[4] == .infinity && column[6] == 0.5)
        column.append(16_777_217)  // the first whole number a Float cannot hold
        #expect(column.isWide)
        #expect(column[7] == 16_777_217 && column[2] == 16_777_216 && column[3].isNaN)
        var other = SampleValues()
        other.append(1)
        other[0] = 0.1
        #expect(other.isWide && other[0] == 0.1)
    }

    @Test func aDayOfOneMinuteCountersCostsAboutEightBytesASample() {
        var s = MetricSeriesSet()
        let keys = (0..<50).map { SeriesKey(.decisions, arm: .challenger, segment: "s\($0)", extra: "allow") }
        for minute in 0..<1_440 {
            for (i, key) in keys.enumerated() { s.append(key, time: Int64(minute) * 60, value: Double(minute * (i + 1))) }
        }
        #expect(s.sampleCount == 72_000)
        let perSample = Double(s.sampleBytes) / Double(s.sampleCount)
        #expect(perSample < 10.5, "\(perSample) bytes a sample")
        #expect(s.increase(keys[3], from: 60, to: 1_439 * 60) == Double(1_438 * 4))
    }
}
