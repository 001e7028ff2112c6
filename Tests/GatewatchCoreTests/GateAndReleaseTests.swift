import Testing
@testable import GatewatchCore

@Suite struct GateEvaluatorTests {
    static let t0: Timestamp = 1_762_074_000

    static func release(rules: [StopRule] = [], minimumSamples: Int = 100, stages: [Stage]? = nil) -> Release {
        Release(slug: "fraud-scoring-v8", title: "v8", model: "card-fraud-scorer", championVersion: "7", challengerVersion: "8",
                owner: "ana", changes: [ChangeObject(kind: .model, from: "7", to: "8")],
                stages: stages ?? [
                    Stage(name: "shadow", kind: .shadow, trafficPercent: 0, bakeSeconds: 1800),
                    Stage(name: "canary-5", kind: .canary, trafficPercent: 5, bakeSeconds: 1800, requiresApproval: true),
                    Stage(name: "full", kind: .full, trafficPercent: 100, bakeSeconds: 0),
                ],
                rules: rules, segments: [],
                gates: GatePolicy(minimumSamplesPerArm: minimumSamples, minimumLabelMaturity: 0, srmPValue: 0.001))
    }

    /// Decision counters growing by `perMinute` a minute per arm from `t0` for `minutes`, plus a queue gauge.
    static func data(champion: Double, challenger: Double, minutes: Int = 60, queue: Double = 10) -> MetricSeriesSet {
        var s = MetricSeriesSet()
        for k in 0...minutes {
            let time = t0 + Int64(k) * 60
            s.append(SeriesKey(.decisions, arm: .champion, segment: "all", extra: "allow"), time: time, value: champion * Double(k))
            s.append(SeriesKey(.decisions, arm: .challenger, segment: "all", extra: "allow"), time: time, value: challenger * Double(k))
            s.append(SeriesKey(.reviewQueueDepth), time: time, value: queue)
        }
        return s
    }

    static func state(stage: Int, enteredAt: Timestamp = t0) -> RolloutState {
        RolloutState(stageIndex: stage, stageEnteredAt: enteredAt, startedAt: t0, status: .running, version: 3)
    }

    func analyze(_ r: Release, _ s: RolloutState, _ d: MetricSeriesSet, minutes: Int64, approvals: [AuditEvent] = []) -> ReleaseAnalysis {
        ReleaseAnalyzer().analyze(release: r, state: s, metrics: d, asOf: Self.t0 + minutes * 60, approvals: approvals)
    }

    func verdict(_ a: ReleaseAnalysis, _ kind: GateKind) -> GateVerdict? { a.gates.first { $0.gate == kind } }

    @Test func bakeTimeFailsUntilTheStageHasBakedLongEnough() throws {
        let d = Self.data(champion: 20, challenger: 20)
        let early = analyze(Self.release(), Self.state(stage: 0), d, minutes: 12)
        let bake = try #require(verdict(early, .bakeTime))
        #expect(bake.outcome == .failed)
        #expect(bake.reason == "bake 12m/30m")
        #expect(!early.promotable)
        #expect(early.holdingGate?.gate == .bakeTime)

        let done = analyze(Self.release(), Self.state(stage: 0), d, minutes: 30)
        #expect(verdict(done, .bakeTime)?.outcome == .passed)
        #expect(verdict(done, .bakeTime)?.reason == "baked 30m of 30m")
        #expect(done.timeInStage == 1800)
        // everything else passes in shadow (no SRM test, no approval), so the release is promotable
        #expect(done.gates.allSatisfy { $0.passed })
        #expect(done.promotable)
        #expect(done.nextStage?.name == "canary-5")
    }

    @Test func bakeTimeCountsFromTheStageEntryNotTheReleaseStart() {
        let d = Self.data(champion: 20, challenger: 20)
        let a = analyze(Self.release(), Self.state(stage: 0, enteredAt: Self.t0 + 25 * 60), d, minutes: 40)
        #expect(verdict(a, .bakeTime)?.reason == "bake 15m/30m")
    }

    @Test func minimumSamplesNamesTheArmWithTheFewest() throws {
        // shadow: both arms count; the challenger scored 5 a minute → 60 in 12 minutes
        let d = Self.data(champion: 20, challenger: 5)
        let a = analyze(Self.release(minimumSamples: 500), Self.state(stage: 0), d, minutes: 12)
        #expect(a.stageDecisions[.champion] == 240)
        #expect(a.stageDecisions[.challenger] == 60)
        let g = try #require(verdict(a, .minimumSamples))
        #expect(g.outcome == .failed)
        // 440 more at 300 an hour: 88 minutes.
        #expect(g.reason == "challenger has 60/500 decisions (~1h28m at current traffic)")
        #expect(g.etaSeconds == 5280)

        let enough = analyze(Self.release(minimumSamples: 60), Self.state(stage: 0), d, minutes: 12)
        #expect(verdict(enough, .minimumSamples)?.outcome == .passed)
        // only decisions since the stage was entered count
        let late = analyze(Self.release(minimumSamples: 60), Self.state(stage: 0, enteredAt: Self.t0 + 6 * 60), d, minutes: 12)
        #expect(late.stageDecisions[.challenger] == 30)
        #expect(verdict(late, .minimumSamples)?.outcome == .failed)
    }

    static func queueRule(severity: Severity, dryRun: Bool = false, name: String = "queue-depth") -> StopRule {
        StopRule(name: name, metric: .reviewQueueDepth, comparator: .greaterThan, threshold: 100, forSeconds: 0,
                 severity: severity, noData: .ok, dryRun: dryRun)
    }

    @Test func aFiringBlockRuleHoldsPromotion() throws {
        let d = Self.data(champion: 20, challenger: 20, queue: 500)
        let a = analyze(Self.release(rules: [Self.queueRule(severity: .block)]), Self.state(stage: 0), d, minutes: 45)
        let g = try #require(verdict(a, .noBlockingRules))
        #expect(g.outcome == .failed)
        #expect(g.reason == "queue-depth firing")
        #expect(!a.promotable)
        #expect(a.worstRuleStatus == .firing)

        let two = analyze(Self.release(rules: [Self.queueRule(severity: .rollback), Self.queueRule(severity: .block, name: "q2")]),
                          Self.state(stage: 0), d, minutes: 45)
        #expect(verdict(two, .noBlockingRules)?.reason == "queue-depth firing (+1 more)")
        #expect(two.firingRollbackRules.map(\.rule.name) == ["queue-depth"])

        // a pending rule blocks too
        var pendingRule = Self.queueRule(severity: .block)
        pendingRule.forSeconds = 3600
        let pending = analyze(Self.release(rules: [pendingRule]), Self.state(stage: 0), d, minutes: 45)
        #expect(verdict(pending, .noBlockingRules)?.reason == "queue-depth pending")
    }

    @Test func warnRulesAndDryRunsNeverBlock() {
        let d = Self.data(champion: 20, challenger: 20, queue: 500)
        for rule in [Self.queueRule(severity: .warn), Self.queueRule(severity: .block, dryRun: true),
                     Self.queueRule(severity: .rollback, dryRun: true)] {
            let a = analyze(Self.release(rules: [rule]), Self.state(stage: 0), d, minutes: 45)
            #expect(a.rules.first?.status == .firing)  // it is evaluated and shown…
            #expect(verdict(a, .noBlockingRules)?.outcome == .passed)  // …but does not hold promotion
            #expect(verdict(a, .noBlockingRules)?.reason == "no block/rollback rule pending or firing")
            #expect(a.firingRollbackRules.isEmpty)
            #expect(a.promotable)
            if rule.dryRun { #expect(a.worstRuleStatus == .ok) }
        }
    }

    func approval(stage: String, minutes: Int64, kind: AuditKind = .promote) -> AuditEvent {
        AuditEvent(release: "fraud-scoring-v8", time: Self.t0 + minutes * 60, actor: "ana", role: .owner, kind: kind,
                   reason: "looks good", fromState: stage, toState: "full")
    }

    @Test func approvalIsRequiredWhereTheStageSaysSo() throws {
        // canary 5%: 95 vs 5 a minute matches the plan, so only the approval is missing
        let d = Self.data(champion: 95, challenger: 5, minutes: 60)
        let s = Self.state(stage: 1, enteredAt: Self.t0)
        let none = analyze(Self.release(), s, d, minutes: 40)
        let g = try #require(verdict(none, .approval))
        #expect(g.outcome == .failed)
        #expect(g.reason == "needs approval by an owner")
        #expect(none.gates.filter { !$0.passed }.map(\.gate) == [.approval])

        let approved = analyze(Self.release(), s, d, minutes: 40, approvals: [approval(stage: "canary-5", minutes: 35)])
        #expect(verdict(approved, .approval)?.outcome == .passed)
        #expect(approved.promotable)

        // an approval given before the stage was entered, for another stage, or that is not a promote does not count
        let s2 = Self.state(stage: 1, enteredAt: Self.t0 + 10 * 60)
        for stale in [approval(stage: "canary-5", minutes: 5), approval(stage: "shadow", minutes: 35),
                      approval(stage: "canary-5", minutes: 35, kind: .note)] {
            #expect(verdict(analyze(Self.release(), s2, d, minutes: 45, approvals: [stale]), .approval)?.outcome == .failed)
        }
        // the shadow stage needs none
        #expect(verdict(analyze(Self.release(), Self.state(stage: 0), d, minutes: 40), .approval) == nil)
    }

    @Test func sampleRatioGateInACanary() throws {
        let fine = analyze(Self.release(), Self.state(stage: 1), Self.data(champion: 95, challenger: 5), minutes: 40)
        #expect(verdict(fine, .sampleRatio)?.outcome == .passed)
        #expect(abs((fine.observedChallengerShare ?? 0) - 0.05) < 1e-12)
        let skewed = analyze(Self.release(), Self.state(stage: 1), Self.data(champion: 80, challenger: 20), minutes: 40)
        let g = try #require(verdict(skewed, .sampleRatio))
        #expect(g.outcome == .failed)
        #expect(g.reason.hasPrefix("sample ratio mismatch (χ²="))
        // shadow has no split to test and no observed share
        let shadow = analyze(Self.release(), Self.state(stage: 0), Self.data(champion: 80, challenger: 20), minutes: 40)
        #expect(verdict(shadow, .sampleRatio) == nil)
        #expect(shadow.observedChallengerShare == nil)
    }

    @Test func theLastStageCannotBePromoted() {
        let a = analyze(Self.release(), Self.state(stage: 2), Self.data(champion: 0, challenger: 20), minutes: 40)
        // Nothing to promote to: no gate applies (check reports clear unless a rollback rule fires).
        #expect(a.gates.isEmpty)
        #expect(!a.promotable)
        #expect(a.nextStage == nil)
    }

    @Test func queueForecast() throws {
        var d = Self.data(champion: 20, challenger: 20, minutes: 120, queue: 0)
        // replace the queue gauge with one growing 200 an hour from 1000
        d = MetricSeriesSet(d.series.filter { $0.key.family != .reviewQueueDepth })
        for k in 0...120 { d.append(SeriesKey(.reviewQueueDepth), time: Self.t0 + Int64(k) * 60, value: 1000 + Double(k) * 200 / 60) }
        var r = Self.release()
        r.reviewQueueLimit = 2000
        let a = analyze(r, Self.state(stage: 0), d, minutes: 120)
        let q = try #require(a.queue)
        #expect(abs(q.depth - 1400) < 1e-9)
        #expect(abs((q.growthPerHour ?? 0) - 200) < 1e-9)
        #expect(abs((q.hoursToOverflow ?? 0) - 3) < 1e-9)  // (2000 − 1400) / 200
    }
}

@Suite struct SlugTests {
    static let sound = [
        Stage(name: "shadow", kind: .shadow, trafficPercent: 0, bakeSeconds: 600),
        Stage(name: "full", kind: .full, trafficPercent: 100, bakeSeconds: 0),
    ]

    static func release(stages: [Stage]) -> Release {
        Release(slug: "r", title: "t", model: "m", championVersion: "1", challengerVersion: "2", owner: "o", changes: [],
                stages: stages, rules: [], segments: [])
    }

    @Test func slugsAreASCIIIdentifiers() {
        for good in ["fraud-scoring-v8", "a", "v1.2_rc-3", String(repeating: "x", count: Release.maximumSlugLength)] {
            #expect(Release.slugProblem(good) == nil, "\(good)")
        }
        let escape = Release.slugProblem("bad\u{1B}[2J")
        #expect(escape?.hasPrefix("slug \"bad\\u{1B}[2J\" contains a control character (U+001B); a slug may only contain ASCII letters") == true,
                "\(escape ?? "nil")")
        #expect(escape?.unicodeScalars.contains { $0.value < 0x20 } == false)
        #expect(Release.slugProblem("日本")?.contains("\\u{65E5}\\u{672C}\" contains a non-ASCII character (U+65E5)") == true)
        #expect(Release.slugProblem("\u{202E}evil")?.contains("(U+202E)") == true)
        #expect(Release.slugProblem("a b")?.contains("contains ' ' (U+0020)") == true)
        #expect(Release.slugProblem("-v8") == "slug \"-v8\" must start with a letter or a digit")
        #expect(Release.slugProblem(String(repeating: "x", count: 101)) == "slug is 101 characters long, more than 100")
        var release = Self.release(stages: Self.sound)
        release.slug = "v8\u{7}"
        #expect(release.problems().first?.message.contains("contains a control character (U+0007)") == true)
    }
}
