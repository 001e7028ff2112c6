import Testing
@testable import GatewatchCore

/// Prometheus alerting semantics of `for:` on synthetic data built straight into a `MetricSeriesSet`.
@Suite struct RuleEvaluatorTests {
    static let origin: Timestamp = 1_762_074_000
    let evaluator = RuleEvaluator(interval: 60)

    /// The queue-depth gauge sampled once a minute from `origin`; nil entries leave a gap.
    static func queue(_ values: [Double?]) -> DerivedMetrics {
        var s = MetricSeriesSet()
        for (k, v) in values.enumerated() {
            if let v { s.append(SeriesKey(.reviewQueueDepth), time: origin + Int64(k) * 60, value: v) }
        }
        return DerivedMetrics(s)
    }

    static func queueRule(for seconds: Int64, noData: NoDataPolicy = .ok, severity: Severity = .block) -> StopRule {
        StopRule(name: "queue-depth", metric: .reviewQueueDepth, comparator: .greaterThan, threshold: 100,
                 forSeconds: seconds, severity: severity, noData: noData)
    }

    func run(_ rule: StopRule, _ m: DerivedMetrics, minutes: Int64, resumingFrom previous: RuleEvaluation? = nil) -> RuleEvaluation {
        evaluator.evaluate(rule, segment: nil, metrics: m, origin: Self.origin, asOf: Self.origin + minutes * 60,
                           queueLimit: nil, resumingFrom: previous)
    }

    func t(_ minute: Int64) -> Timestamp { Self.origin + minute * 60 }

    /// 50 (ok) for minutes 0–2, 150 for 3–10, 50 at 11, 150 from 12 on.
    static let pattern: [Double?] = (0..<30).map { k in (k < 3 || k == 11) ? 50 : 150 }

    @Test func pendingThenFiringThenOkWithExactTransitionTimes() {
        let r = run(Self.queueRule(for: 300), Self.queue(Self.pattern), minutes: 25)
        #expect(r.history.map(\.time) == [t(3), t(8), t(11), t(12), t(17)])
        #expect(r.history.map(\.to) == [.pending, .firing, .ok, .pending, .firing])
        #expect(r.history.map(\.from) == [.ok, .pending, .firing, .ok, .pending])
        #expect(r.history.map(\.value) == [150, 150, 50, 150, 150])
        #expect(r.status == .firing)
        #expect(r.since == t(17))
        #expect(r.activeAt == t(12))
        #expect(r.evaluatedAt == t(25))
        #expect(r.value == 150)
    }

    @Test func statusAtEveryAsOfTime() {
        let m = Self.queue(Self.pattern)
        let rule = Self.queueRule(for: 300)
        let expected: [RuleStatus] = (0..<26).map { k in
            switch k {
            case 0..<3: .ok
            case 3..<8: .pending
            case 8..<11: .firing
            case 11: .ok
            case 12..<17: .pending
            default: .firing
            }
        }
        for k in 0..<26 {
            #expect(run(rule, m, minutes: Int64(k)).status == expected[k], "minute \(k)")
        }
        // one second short of the firing evaluation, the rule is still pending
        let r = evaluator.evaluate(rule, segment: nil, metrics: m, origin: Self.origin, asOf: t(8) - 1, queueLimit: nil)
        #expect(r.status == .pending)
        #expect(r.since == t(3))
    }

    @Test func forZeroFiresAtTheFirstEvaluationWhereTheConditionHolds() {
        let r = run(Self.queueRule(for: 0), Self.queue(Self.pattern), minutes: 15)
        #expect(r.history.map(\.time) == [t(3), t(11), t(12)])
        #expect(r.history.map(\.to) == [.firing, .ok, .firing])
        #expect(r.history.first?.from == .ok)
    }

    @Test func aBreakRestartsThePendingTimer() {
        // holds 0–3, breaks at 4, holds 5–20: with for 5m it fires at 10, not at 5
        let values: [Double?] = (0..<21).map { $0 == 4 ? 10 : 200 }
        let r = run(Self.queueRule(for: 300), Self.queue(values), minutes: 20)
        #expect(r.history.map(\.time) == [t(0), t(4), t(5), t(10)])
        #expect(r.history.map(\.to) == [.pending, .ok, .pending, .firing])
    }

    @Test func exactlyAtThresholdDoesNotHoldForGreaterThan() {
        let values: [Double?] = Array(repeating: 100, count: 10)
        #expect(run(Self.queueRule(for: 0), Self.queue(values), minutes: 9).history.isEmpty)
        var rule = Self.queueRule(for: 0)
        rule.comparator = .greaterOrEqual
        #expect(run(rule, Self.queue(values), minutes: 9).status == .firing)
    }

    // Data: 50 for minutes 0–4, no samples 5–14 (stale from minute 10, 5m after the last sample), 150 from 15.
    static let gapAfterOk: [Double?] = (0..<25).map { k in k < 5 ? 50 : (k < 15 ? nil : 150) }

    @Test func noDataOkTreatsTheGapAsNotHolding() {
        let firingBeforeGap: [Double?] = (0..<25).map { k in k < 5 ? 150 : (k < 15 ? nil : 150) }
        let r = run(Self.queueRule(for: 120, noData: .ok), Self.queue(firingBeforeGap), minutes: 24)
        // holds 0–9 (the last sample stays valid for 5m), no data 10–14, holds again from 15
        #expect(r.history.map(\.time) == [t(0), t(2), t(10), t(15), t(17)])
        #expect(r.history.map(\.to) == [.pending, .firing, .ok, .pending, .firing])
        #expect(r.history[2].value == nil)
    }

    @Test func noDataAlertingTreatsTheGapAsHolding() {
        let r = run(Self.queueRule(for: 120, noData: .alerting), Self.queue(Self.gapAfterOk), minutes: 24)
        #expect(r.history.map(\.time) == [t(10), t(12)])
        #expect(r.history.map(\.to) == [.pending, .firing])
        #expect(r.history.allSatisfy { $0.value == nil })
        #expect(r.status == .firing)
    }

    @Test func noDataKeepStateKeepsWhateverStateCameBefore() {
        // ok before the gap: stays ok through it, then the condition starts counting when data returns
        let a = run(Self.queueRule(for: 120, noData: .keepState), Self.queue(Self.gapAfterOk), minutes: 24)
        #expect(a.history.map(\.time) == [t(15), t(17)])
        #expect(a.history.map(\.to) == [.pending, .firing])
        #expect(run(Self.queueRule(for: 120, noData: .keepState), Self.queue(Self.gapAfterOk), minutes: 13).status == .ok)

        // firing before the gap: stays firing through it
        let firingBeforeGap: [Double?] = (0..<25).map { k in k < 5 ? 150 : (k < 15 ? nil : 150) }
        let b = run(Self.queueRule(for: 120, noData: .keepState), Self.queue(firingBeforeGap), minutes: 24)
        #expect(b.history.map(\.to) == [.pending, .firing])
        #expect(b.history.map(\.time) == [t(0), t(2)])
        let mid = run(Self.queueRule(for: 120, noData: .keepState), Self.queue(firingBeforeGap), minutes: 12)
        #expect(mid.status == .firing)
        #expect(mid.value == nil)
        #expect(mid.evaluatedAt == t(12))

        // pending before the gap: stays pending with its original activeAt
        let pendingBeforeGap: [Double?] = (0..<25).map { k in k < 3 ? 50 : (k < 5 ? 150 : nil) }
        let c = run(Self.queueRule(for: 1800, noData: .keepState), Self.queue(pendingBeforeGap), minutes: 20)
        #expect(c.status == .pending)
        #expect(c.activeAt == t(3))
        #expect(c.history.count == 1)
    }

    /// error_rate from decisions/errors counters: 100 decisions a minute, 1 error a minute, 5 a minute in minutes
    /// 10–20. Over a 5m window the rate is 13/500 = 0.026 > 0.02 from minute 11 to 23 (9/500 at 10 and at 24).
    static func errorData(errorBurst: ClosedRange<Int> = 10...20, minutes: Int = 40) -> DerivedMetrics {
        var s = MetricSeriesSet()
        var decisions = 0.0, errors = 0.0
        for k in 0...minutes {
            let time = origin + Int64(k) * 60
            if k > 0 {
                decisions += 100
                errors += errorBurst.contains(k) ? 5 : 1
            }
            s.append(SeriesKey(.decisions, arm: .challenger, segment: "market=BR", extra: "allow"), time: time, value: decisions)
            s.append(SeriesKey(.errors, arm: .challenger, segment: "market=BR"), time: time, value: errors)
            // the champion is always bad; the rule watches the challenger only
            s.append(SeriesKey(.decisions, arm: .champion, segment: "market=BR", extra: "allow"), time: time, value: decisions)
            s.append(SeriesKey(.errors, arm: .champion, segment: "market=BR"), time: time, value: decisions / 2)
        }
        return DerivedMetrics(s)
    }

    static let errorRule = StopRule(name: "challenger-error-rate", metric: .errorRate, comparator: .greaterThan, threshold: 0.02,
                                    windowSeconds: 300, forSeconds: 300, severity: .rollback, noData: .ok)

    @Test func errorRateRuleFromCounters() throws {
        let m = Self.errorData()
        #expect(m.value(of: Self.errorRule, segment: nil, at: t(10), queueLimit: nil) == 0.018)
        #expect(m.value(of: Self.errorRule, segment: nil, at: t(11), queueLimit: nil) == 0.026)
        #expect(m.value(of: Self.errorRule, segment: nil, at: t(15), queueLimit: nil) == 0.05)
        let r = run(Self.errorRule, m, minutes: 40)
        #expect(r.history.map(\.time) == [t(11), t(16), t(24)])
        #expect(r.history.map(\.to) == [.pending, .firing, .ok])
        #expect(r.status == .ok)
        let firing = run(Self.errorRule, m, minutes: 20)
        #expect(firing.status == .firing)
        #expect(firing.blocksPromotion)
        // relative to the champion the challenger is far better: never holds
        var relative = Self.errorRule
        relative.relativeToChampion = true
        #expect(run(relative, m, minutes: 40).history.isEmpty)
    }

    @Test func tooFewEventsCountAsNoData() {
        var rule = Self.errorRule
        rule.minimumEvents = 501  // a 5m window holds 500 decisions
        #expect(run(rule, Self.errorData(), minutes: 40).history.isEmpty)
        rule.noData = .alerting
        #expect(run(rule, Self.errorData(), minutes: 40).history.map(\.time) == [t(0), t(5)])
        rule.minimumEvents = 500
        rule.noData = .ok
        #expect(run(rule, Self.errorData(), minutes: 40).history.map(\.time) == [t(11), t(16), t(24)])
    }

    /// A pseudo-random on/off pattern with runs of different lengths.
    static func randomPattern(seed: UInt64, count: Int) -> [Double?] {
        var x = seed
        var out: [Double?] = []
        var holding = false
        while out.count < count {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            let run = Int((x >> 33) % 12) + 1
            let gap = (x >> 20) % 7 == 0
            for _ in 0..<run { out.append(gap ? nil : (holding ? 150 : 20)) }
            holding.toggle()
        }
        return Array(out.prefix(count))
    }

    /// Reference model: the state after evaluations 0…k is decided by how long the condition has held without a break.
    static func referenceStatus(_ holds: [Bool], for seconds: Int64, interval: Int64 = 60) -> [RuleStatus] {
        var result: [RuleStatus] = []
        var run = 0
        for h in holds {
            run = h ? run + 1 : 0
            result.append(run == 0 ? .ok : (Int64(run - 1) * interval >= seconds ? .firing : .pending))
        }
        return result
    }

    @Test(arguments: [UInt64(1), 7, 42, 2026])
    func matchesTheReferenceModel(seed: UInt64) {
        // no gaps here: values every minute; lookback covers it all
        let values = Self.randomPattern(seed: seed, count: 120).map { $0 ?? 150 }
        let m = Self.queue(values)
        for f in [Int64(0), 60, 120, 300, 600] {
            let rule = Self.queueRule(for: f)
            let reference = Self.referenceStatus(values.map { $0 > 100 }, for: f)
            let full = run(rule, m, minutes: 119)
            var replayed: RuleStatus = .ok
            var i = 0
            for k in 0..<120 {
                while i < full.history.count, full.history[i].time <= t(Int64(k)) { replayed = full.history[i].to; i += 1 }
                #expect(replayed == reference[k], "seed \(seed) for \(f) minute \(k)")
            }
        }
    }

    @Test(arguments: [UInt64(3), 11, 99])
    func aLongerForNeverFiresEarlier(seed: UInt64) {
        let m = Self.queue(Self.randomPattern(seed: seed, count: 180))
        let fors: [Int64] = [0, 60, 120, 180, 300, 600, 900, 1800]
        var previousFirings: Set<Timestamp>? = nil
        var firedAtLeastOnce = 0
        for f in fors {
            for policy in [NoDataPolicy.ok] {
                let r = run(Self.queueRule(for: f, noData: policy), m, minutes: 179)
                // minutes at which the rule is firing
                var firing = Set<Timestamp>()
                var status: RuleStatus = .ok
                var i = 0
                for k in 0..<180 {
                    while i < r.history.count, r.history[i].time <= t(Int64(k)) { status = r.history[i].to; i += 1 }
                    if status == .firing { firing.insert(t(Int64(k))) }
                }
                if let p = previousFirings {
                    #expect(firing.isSubset(of: p), "for \(f) fires at a time a shorter for did not")
                    if let first = firing.min(), let previousFirst = p.min() { #expect(first >= previousFirst) }
                }
                if !firing.isEmpty { firedAtLeastOnce += 1 }
                previousFirings = firing
            }
        }
        #expect(firedAtLeastOnce >= 3)  // the property is not vacuous
    }

    @Test(arguments: [NoDataPolicy.ok, .alerting, .keepState])
    func resumingEqualsAFullEvaluation(policy: NoDataPolicy) {
        let m = Self.queue(Self.randomPattern(seed: 5, count: 150))
        for f in [Int64(0), 120, 300] {
            let rule = Self.queueRule(for: f, noData: policy)
            let end = t(149)
            let full = evaluator.evaluate(rule, segment: nil, metrics: m, origin: Self.origin, asOf: end, queueLimit: nil)
            #expect(!full.history.isEmpty)
            for split in Swift.stride(from: Self.origin - 60, to: end, by: 37) {
                let first = evaluator.evaluate(rule, segment: nil, metrics: m, origin: Self.origin, asOf: split, queueLimit: nil)
                let resumed = evaluator.evaluate(rule, segment: nil, metrics: m, origin: Self.origin, asOf: end, queueLimit: nil,
                                                 resumingFrom: first)
                #expect(resumed == full, "for \(f), split at +\(split - Self.origin)s")
            }
            // chained: resume one minute at a time
            var chained: RuleEvaluation? = nil
            for k in 0...149 {
                chained = evaluator.evaluate(rule, segment: nil, metrics: m, origin: Self.origin, asOf: t(Int64(k)), queueLimit: nil,
                                             resumingFrom: chained)
            }
            #expect(chained == full)
        }
    }

    @Test func resumingTheErrorRateRuleEqualsAFullEvaluation() {
        let m = Self.errorData()
        let full = run(Self.errorRule, m, minutes: 40)
        for split in 0..<40 {
            let first = run(Self.errorRule, m, minutes: Int64(split))
            #expect(run(Self.errorRule, m, minutes: 40, resumingFrom: first) == full, "split \(split)")
        }
    }

    @Test func evaluationTimesStayOnTheGridInsideTheLookback() {
        let e = RuleEvaluator(interval: 60, maximumLookback: 600)
        let times = Array(e.evaluationTimes(origin: 1000, asOf: 1000 + 3600 + 30))
        #expect(times.first == Timestamp(4060))  // first grid point ≥ asOf − 600 (1000 + 51·60)
        #expect(times.last == Timestamp(4600))
        #expect(times.allSatisfy { ($0 - 1000) % 60 == 0 })
        #expect(Array(e.evaluationTimes(origin: 1000, asOf: 999)).isEmpty)
        #expect(Array(e.evaluationTimes(origin: 1000, asOf: 1000)) == [1000])
    }
}
