import Testing
@testable import GatewatchCore

/// The one judgement of freshness: data whose newest sample is older than the bound, or a failed poll, holds the
/// rules that read it where it ends (a firing rule stays firing, none turns `ok` for lack of data), fails the
/// `metrics_fresh` gate and never promotes; samples dated ahead of the clock are refused and reported.
@Suite struct FreshnessTests {
    static let start: Timestamp = 1_762_074_000

    /// p99 latency of the challenger over 5 minutes above 300 ms for 5 minutes rolls back; `no_data: ok` (the default
    /// that would clear it once the samples stop).
    static let latency = StopRule(name: "p99", metric: .latencyP99, comparator: .greaterThan, threshold: 0.3, windowSeconds: 300,
                                  forSeconds: 300, severity: .rollback, noData: .ok)
    static let queue = StopRule(name: "queue", metric: .reviewQueueDepth, comparator: .greaterThan, threshold: 1000, windowSeconds: 300,
                                forSeconds: 0, severity: .block, noData: .ok)

    static func release(rules: [StopRule] = [latency]) -> Release {
        Release(slug: "r", title: "r", model: "m", championVersion: "1", challengerVersion: "2", owner: "ana", changes: [],
                stages: [Stage(name: "canary", kind: .canary, trafficPercent: 50, bakeSeconds: 60),
                         Stage(name: "full", kind: .full, trafficPercent: 100, bakeSeconds: 0)],
                rules: rules, segments: [])
    }

    static let state = RolloutState(stageIndex: 0, stageEnteredAt: start, startedAt: start, status: .running)

    /// `minutes` of one-minute samples: every challenger request slower than 0.5 s, the champion's fast; the queue
    /// gauge until `queueMinutes` (default: as long as the rest).
    static func data(minutes: Int, queueMinutes: Int? = nil) -> MetricSeriesSet {
        var set = MetricSeriesSet()
        for k in 0...minutes {
            let t = start + Int64(k * 60)
            for arm in Arm.allCases {
                let n = Double(k * 100)
                set.append(SeriesKey(.decisions, arm: arm, segment: "s", extra: "allow"), time: t, value: n)
                set.append(SeriesKey(.latencyBucket, arm: arm, segment: "s", extra: "0.1"), time: t, value: arm == .champion ? n : 0)
                set.append(SeriesKey(.latencyBucket, arm: arm, segment: "s", extra: "0.5"), time: t, value: arm == .champion ? n : 0)
                set.append(SeriesKey(.latencyBucket, arm: arm, segment: "s", extra: "+Inf"), time: t, value: n)
            }
        }
        for k in 0...(queueMinutes ?? minutes) { set.append(SeriesKey(.reviewQueueDepth), time: start + Int64(k * 60), value: 10) }
        return set
    }

    func rule(_ a: ReleaseAnalysis, _ name: String) throws -> RuleEvaluation {
        try #require(a.rules.first { $0.rule.name == name })
    }

    @Test func theDefaultBoundIsThreeEvaluationStepsPlusThePollInterval() {
        #expect(FreshnessPolicy.standard(evaluationInterval: 60, pollInterval: 1).staleAfter == 181)
        #expect(FreshnessPolicy.standard(evaluationInterval: 60, pollInterval: 15).staleAfter == 195)
        #expect(FreshnessPolicy.standard().futureSkew == 300)
        #expect(ReleaseAnalyzer().freshness.staleAfter == 180)
    }

    @Test func dataThatStoppedArrivingHoldsAFiringRuleWhereItEnds() throws {
        let data = Self.data(minutes: 30)
        let ended = Self.start + 30 * 60
        let analyzer = ReleaseAnalyzer()
        let then = analyzer.analyze(release: Self.release(), state: Self.state, metrics: data, asOf: ended)
        #expect(try rule(then, "p99").status == .firing)
        #expect(then.freshness?.isCurrent == true && then.metricsThrough == nil)

        // 29 days later, on the clock: no sample since.
        let now = ended + 29 * 86_400
        let later = analyzer.analyze(release: Self.release(), state: Self.state, metrics: data, asOf: now)
        let p99 = try rule(later, "p99")
        #expect(p99.status == .firing, "a firing rollback rule must not turn ok because the data stopped")
        #expect(p99.heldAt == ended && p99.evaluatedAt == ended)
        #expect(later.firingRollbackRules.map(\.rule.name) == ["p99"])
        let f = try #require(later.freshness)
        #expect(f.isStale && !f.isCurrent && f.age == 29 * 86_400)
        #expect(f.staleText == "data 29d old (gatewatch_decisions_total (champion) +4)")
        #expect(later.metricsThrough == ended)
        let gate = try #require(later.gates.first)
        #expect(gate.gate == .metricsFresh && gate.outcome == .failed)
        #expect(gate.reason.contains("29d old"), "\(gate.reason)")
        #expect(!later.promotable)

        // The premise: without the hold the same rule reads ok (no data), which is the bug.
        let naive = RuleEvaluator().evaluate(Self.latency, segment: nil, metrics: DerivedMetrics(data), origin: Self.start, asOf: now,
                                             queueLimit: nil)
        #expect(naive.status == .ok && naive.value == nil)
    }

    @Test func aRuleOnFreshDataIsNotHeldBecauseAnotherStreamStopped() throws {
        // The queue gauge stopped after 5 minutes; latency goes on.
        let data = Self.data(minutes: 40, queueMinutes: 5)
        let now = Self.start + 40 * 60
        let a = ReleaseAnalyzer().analyze(release: Self.release(rules: [Self.latency, Self.queue]), state: Self.state, metrics: data, asOf: now)
        #expect(try rule(a, "p99").heldAt == nil)
        #expect(try rule(a, "p99").evaluatedAt == now)
        #expect(try rule(a, "queue").heldAt == Self.start + 5 * 60)
        #expect(a.freshness?.staleStreams.map(\.stream) == [FreshnessStream(.reviewQueueDepth)])
        #expect(a.gates.first?.gate == .metricsFresh)
    }

    @Test func dataWithinTheBoundIsCurrent() throws {
        let data = Self.data(minutes: 30)
        let a = ReleaseAnalyzer().analyze(release: Self.release(), state: Self.state, metrics: data, asOf: Self.start + 30 * 60 + 180)
        #expect(a.freshness?.isCurrent == true)
        #expect(!a.gates.contains { $0.gate == .metricsFresh })
        let b = ReleaseAnalyzer().analyze(release: Self.release(), state: Self.state, metrics: data, asOf: Self.start + 30 * 60 + 181)
        #expect(b.freshness?.isStale == true)
    }

    @Test func aFailedPollHoldsEveryRuleWhereTheDataIsComplete() throws {
        let data = Self.data(minutes: 30)
        let through = Self.start + 30 * 60
        let a = ReleaseAnalyzer().analyze(release: Self.release(rules: [Self.latency, Self.queue]), state: Self.state, metrics: data,
                                          asOf: through + 60, metricsThrough: through, pollError: "connection refused")
        #expect(a.rules.allSatisfy { $0.heldAt == through })
        #expect(a.freshness?.problems == ["last poll failed: connection refused", "data 1m old"])
        #expect(try rule(a, "p99").status == .firing)
    }

    @Test func theArmThatServesNothingIsNotRequiredToGoOn() throws {
        // After a rollback the challenger's series may stop: that is not staleness.
        var data = Self.data(minutes: 10)
        for k in 11...20 {
            data.append(SeriesKey(.decisions, arm: .champion, segment: "s", extra: "allow"), time: Self.start + Int64(k * 60), value: Double(k * 100))
            data.append(SeriesKey(.latencyBucket, arm: .champion, segment: "s", extra: "+Inf"), time: Self.start + Int64(k * 60), value: Double(k * 100))
            data.append(SeriesKey(.latencyBucket, arm: .champion, segment: "s", extra: "0.1"), time: Self.start + Int64(k * 60), value: Double(k * 100))
            data.append(SeriesKey(.latencyBucket, arm: .champion, segment: "s", extra: "0.5"), time: Self.start + Int64(k * 60), value: Double(k * 100))
            data.append(SeriesKey(.reviewQueueDepth), time: Self.start + Int64(k * 60), value: 10)
        }
        var rolledBack = Self.state
        rolledBack.status = .rolledBack
        let now = Self.start + 20 * 60
        let a = ReleaseAnalyzer().analyze(release: Self.release(), state: rolledBack, metrics: data, asOf: now)
        #expect(a.freshness?.isStale == false)
        let running = ReleaseAnalyzer().analyze(release: Self.release(), state: Self.state, metrics: data, asOf: now)
        #expect(running.freshness?.staleStreams.map(\.stream.arm) == [.challenger, .challenger])
    }

    @Test func samplesDatedAheadOfTheClockAreReportedAndHoldPromotion() throws {
        let data = Self.data(minutes: 30)
        let now = Self.start + 30 * 60
        let future = FutureSamples(count: 1, first: 1_893_456_000, family: .reviewQueueDepth)
        let a = ReleaseAnalyzer().analyze(release: Self.release(), state: Self.state, metrics: data, asOf: now, refusedFuture: future)
        let f = try #require(a.freshness)
        #expect(!f.isStale && !f.isCurrent)
        #expect(f.futureText == "1 sample of gatewatch_review_queue_depth dated 2030-01-01 00:00 refused (more than 5m ahead of the clock)")
        #expect(a.gates.first?.gate == .metricsFresh && a.gates.first?.outcome == .failed)
        // The rules are evaluated at the clock's time, not the refused sample's.
        #expect(try rule(a, "p99").evaluatedAt == now)
    }

    @Test func theStreamsARuleReads() {
        #expect(FreshnessStream.read(by: Self.latency) == [FreshnessStream(.latencyBucket, arm: .challenger)])
        var relative = StopRule(name: "e", metric: .errorRate, comparator: .greaterThan, threshold: 0.01, windowSeconds: 300, forSeconds: 0,
                                severity: .block, noData: .ok)
        relative.relativeToChampion = true
        #expect(Set(FreshnessStream.read(by: relative)) == [FreshnessStream(.decisions, arm: .champion), FreshnessStream(.decisions, arm: .challenger),
                                                          FreshnessStream(.errors, arm: .champion), FreshnessStream(.errors, arm: .challenger)])
        #expect(FreshnessStream.read(by: Self.queue) == [FreshnessStream(.reviewQueueDepth)])
        #expect(FreshnessStream(.scoreBucket, arm: .champion).description == "gatewatch_score (champion)")
    }
}
