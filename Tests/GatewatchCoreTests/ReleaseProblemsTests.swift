import GatewatchCore
import Testing

/// `Release.problems()`: every meaning check of a release spec, each at the path of the offending node.
@Suite struct ReleaseProblemsTests {
    static let sound = [
        Stage(name: "shadow", kind: .shadow, trafficPercent: 0, bakeSeconds: 600),
        Stage(name: "canary-5", kind: .canary, trafficPercent: 5, bakeSeconds: 600),
        Stage(name: "ab-50", kind: .ab, trafficPercent: 50, bakeSeconds: 600),
        Stage(name: "full", kind: .full, trafficPercent: 100, bakeSeconds: 0),
    ]
    static let errorRule = StopRule(name: "err", metric: .errorRate, comparator: .greaterThan, threshold: 0.02)

    static func release(stages: [Stage] = sound, rules: [StopRule] = [errorRule], segments: [String] = ["market=BR", "market=MX"],
                        thresholds: ScoreThresholds = ScoreThresholds(), slug: String = "r", edit: (inout Release) -> Void = { _ in }) -> Release {
        var release = Release(slug: slug, title: "t", model: "m", championVersion: "1", challengerVersion: "2", owner: "o", changes: [],
                              stages: stages, rules: rules, segments: segments.map { Segment($0) }, thresholds: thresholds)
        edit(&release)
        return release
    }

    /// The problems as `path: message`.
    static func found(_ release: Release) -> [String] {
        release.problems().map { "\($0.path.dotted): \($0.message)" }
    }

    static func rule(_ metric: RuleMetric, _ threshold: Double, relative: Bool = false, edit: (inout StopRule) -> Void = { _ in }) -> StopRule {
        var rule = StopRule(name: "r", metric: metric, relativeToChampion: relative, comparator: .greaterThan, threshold: threshold)
        edit(&rule)
        return rule
    }

    @Test func aSoundReleaseHasNoProblems() {
        #expect(Self.found(Self.release()).isEmpty)
    }

    @Test func trafficGoingDownBetweenStagesIsAtTheLaterStagesTraffic() {
        let stages = [
            Stage(name: "canary-25", kind: .canary, trafficPercent: 25, bakeSeconds: 0),
            Stage(name: "canary-5", kind: .canary, trafficPercent: 5, bakeSeconds: 0),
        ]
        #expect(Self.found(Self.release(stages: stages)) == ["stages[1].traffic: stage `canary-5` serves 5% of traffic, less than `canary-25` before it (25%)"])
        // A shadow stage after a canary serves nothing.
        #expect(Self.found(Self.release(stages: [Self.sound[1], Self.sound[0]]))
            == ["stages[1].traffic: stage `shadow` serves 0% of traffic, less than `canary-5` before it (5%)"])
        // Equal traffic twice is fine (non-decreasing).
        let twice = [Self.sound[1], Stage(name: "canary-5b", kind: .canary, trafficPercent: 5, bakeSeconds: 0), Self.sound[3]]
        #expect(Self.found(Self.release(stages: twice)).isEmpty)
        // Compared with the largest share so far, not only the stage just before.
        let dip = [Self.sound[2], Stage(name: "c10", kind: .canary, trafficPercent: 10, bakeSeconds: 0),
                   Stage(name: "c20", kind: .canary, trafficPercent: 20, bakeSeconds: 0)]
        #expect(Self.found(Self.release(stages: dip)).count == 2)
    }

    @Test func trafficMatchesTheStageKind() {
        let stages = [
            Stage(name: "shadow", kind: .shadow, trafficPercent: 5, bakeSeconds: 0),
            Stage(name: "replay", kind: .replay, trafficPercent: 1, bakeSeconds: 0),
            Stage(name: "c0", kind: .canary, trafficPercent: 0, bakeSeconds: 0),
            Stage(name: "ab", kind: .ab, trafficPercent: 100, bakeSeconds: 0),
            Stage(name: "full", kind: .full, trafficPercent: 60, bakeSeconds: 0),
        ]
        #expect(Self.found(Self.release(stages: stages)) == [
            "stages[0].traffic: stage `shadow` is a shadow stage, which serves no traffic, but says traffic: 5",
            "stages[1].traffic: stage `replay` is a replay stage, which serves no traffic, but says traffic: 1",
            "stages[2].traffic: stage `c0` is a canary stage at 0%, which serves nothing",
            "stages[3].traffic: stage `ab` is a ab stage at 100%, which leaves the champion nothing to compare with",
            "stages[4].traffic: stage `full` is a full stage, which serves all traffic, but says traffic: 60",
        ])
    }

    @Test func trafficOutsideZeroToHundred() {
        let wide = [Stage(name: "c", kind: .canary, trafficPercent: 150, bakeSeconds: 0)]
        #expect(Self.found(Self.release(stages: wide)) == ["stages[0].traffic: stage `c`: traffic 150% is outside 0–100"])
        let nan = [Stage(name: "c", kind: .canary, trafficPercent: .nan, bakeSeconds: 0)]
        #expect(Self.found(Self.release(stages: nan)).first?.hasPrefix("stages[0].traffic: stage `c`: traffic") == true)
    }

    @Test func fullIsTheLastStage() {
        let stages = [Self.sound[3], Stage(name: "full-again", kind: .full, trafficPercent: 100, bakeSeconds: 0)]
        #expect(Self.found(Self.release(stages: stages)) == ["stages[1].name: stage `full-again` comes after the full stage `full`"])
    }

    @Test func stageNames() {
        let stages = [Self.sound[0], Self.sound[1], Self.sound[1], Stage(name: " ", kind: .full, trafficPercent: 100, bakeSeconds: 0)]
        #expect(Self.found(Self.release(stages: stages)) == [
            "stages[2].name: stage name `canary-5` is used twice (first at stages[1])",
            "stages[3].name: stage 4 has an empty name",
        ])
        #expect(Self.found(Self.release(stages: [])) == ["stages: the stage plan has no stages"])
    }

    @Test func slug() {
        #expect(Self.found(Self.release(slug: "")) == ["slug: the slug is empty"])
        #expect(Self.found(Self.release(slug: "fraud v8")) == ["slug: slug \"fraud v8\" contains ' ' (U+0020); a slug may only contain ASCII "
            + "letters, digits, '.', '_' and '-' (it names the release in metric labels, MLflow tags and queries) — put free text in `title`"])
    }

    @Test(arguments: [(0.9, 0.8, "thresholds.review: review threshold 0.9 is above the block threshold 0.8"),
                      (0, 0.5, "thresholds.review: review threshold 0 is outside (0, 1]"),
                      (0.5, 1.2, "thresholds.block: block threshold 1.2 is outside (0, 1]"),
                      (-0.1, 0.5, "thresholds.review: review threshold -0.1 is outside (0, 1]")])
    func badScoreThresholds(review: Double, block: Double, expected: String) {
        #expect(Self.found(Self.release(thresholds: ScoreThresholds(review: review, block: block))) == [expected])
    }

    @Test func goodEdgeScoreThresholds() {
        #expect(Self.found(Self.release(thresholds: ScoreThresholds(review: 0.7, block: 0.7))).isEmpty)
        #expect(Self.found(Self.release(thresholds: ScoreThresholds(review: 0.1, block: 1))).isEmpty)
    }

    @Test func segments() {
        #expect(Self.found(Self.release(segments: ["market=BR", "market=MX", "market=BR"]))
            == ["segments[2]: segment `market=BR` is listed twice (first at segments[0])"])
        for bad in ["BR", "market:BR", "market=BR,", "=BR", "market=", "2market=BR", ""] {
            #expect(Self.found(Self.release(segments: [bad])) == ["segments[0]: segment `\(bad)` is not a list of label=value pairs"], "\(bad)")
        }
        #expect(Self.found(Self.release(segments: ["market=BR,surface=app", "tier_2=gold"])).isEmpty)
    }

    @Test func changeObjectsListedTwice() {
        let release = Self.release { $0.changes = [ChangeObject(kind: .model, from: "1", to: "2"), ChangeObject(kind: .model, from: "1", to: "3")] }
        #expect(Self.found(release) == ["changes[1].kind: the model change is listed twice (first at changes[0])"])
    }

    @Test func reviewQueueLimit() {
        #expect(Self.found(Self.release { $0.reviewQueueLimit = 0 }) == ["review_queue_limit: review_queue_limit must be a positive number of items, not 0"])
        #expect(Self.found(Self.release { $0.reviewQueueLimit = 10 }).isEmpty)
    }

    @Test func gates() {
        let release = Self.release {
            $0.gates = GatePolicy(minimumSamplesPerArm: -1, minimumLabelMaturity: 1.5, srmPValue: 1, minimumSamplesPerSegment: -3)
        }
        #expect(Self.found(release) == [
            "gates.minimum_samples_per_arm: minimum_samples_per_arm cannot be negative (-1)",
            "gates.minimum_label_maturity: minimum_label_maturity 1.5 is outside 0–1",
            "gates.minimum_samples_per_segment: minimum_samples_per_segment cannot be negative (-3)",
            "gates.srm_p_value: srm_p_value 1 is outside [0, 1)",
        ])
        #expect(Self.found(Self.release { $0.gates = GatePolicy(minimumSamplesPerArm: 0, minimumLabelMaturity: 0, srmPValue: 0, minimumSamplesPerSegment: 0) }).isEmpty)
    }

    @Test func guardrails() {
        let release = Self.release {
            $0.guardrails = [Guardrail(metric: .precision, maxWorsening: 0.05), Guardrail(metric: .precision, maxWorsening: 0.02),
                             Guardrail(metric: .falsePositiveRate, maxWorsening: -0.01), Guardrail(metric: .recall, maxWorsening: 2)]
        }
        #expect(Self.found(release) == [
            "guardrails[1].metric: a second guardrail on precision (first at guardrails[0])",
            "guardrails[2].max_worsening: max_worsening -0.01 of false_positive_rate is outside 0–1",
            "guardrails[3].max_worsening: max_worsening 2 of recall is outside 0–1",
        ])
    }

    @Test func ruleNames() {
        var unnamed = Self.errorRule
        unnamed.name = ""
        #expect(Self.found(Self.release(rules: [Self.errorRule, Self.errorRule, unnamed])) == [
            "stop_rules[1].name: stop rule name `err` is used twice (first at stop_rules[0])",
            "stop_rules[2].name: stop rule 3 has an empty name",
        ])
    }

    @Test(arguments: [
        (ReleaseProblemsTests.rule(.errorRate, 2), "threshold 2 is out of range for error_rate (0–1)"),
        (ReleaseProblemsTests.rule(.precision, -0.1), "threshold -0.1 is out of range for precision (0–1)"),
        (ReleaseProblemsTests.rule(.recall, 1.5), "threshold 1.5 is out of range for recall (0–1)"),
        (ReleaseProblemsTests.rule(.falsePositiveRate, .nan), "threshold NaN is out of range for false_positive_rate (0–1)"),
        (ReleaseProblemsTests.rule(.labelMaturity, 50), "threshold 50 is out of range for label_maturity (0–1)"),
        (ReleaseProblemsTests.rule(.latencyP99, 0), "threshold 0 is out of range for latency_p99 (above 0, at most 60 s)"),
        (ReleaseProblemsTests.rule(.latencyP50, -0.2), "threshold -0.2 is out of range for latency_p50 (above 0, at most 60 s)"),
        (ReleaseProblemsTests.rule(.latencyP99, 300), "threshold 300 is out of range for latency_p99 (above 0, at most 60 s)"),
        (ReleaseProblemsTests.rule(.reviewQueueDepth, -1), "threshold -1 is out of range for review_queue_depth (0 or more)"),
        (ReleaseProblemsTests.rule(.reviewQueueHoursToOverflow, -2), "threshold -2 is out of range for review_queue_hours_to_overflow (0 or more)"),
        (ReleaseProblemsTests.rule(.precision, -1.5, relative: true), "threshold -1.5 is out of range for a challenger − champion difference of precision (−1–1)"),
        (ReleaseProblemsTests.rule(.latencyP99, .infinity, relative: true), "threshold +Inf is out of range for a challenger − champion difference of latency_p99 (a finite number)"),
    ])
    func ruleThresholdsOutOfRange(rule: StopRule, expected: String) {
        let found = Self.found(Self.release(rules: [rule]))
        #expect(found == ["stop_rules[0].threshold: " + expected])
    }

    @Test func ruleThresholdsInRange() {
        let rules = [Self.rule(.errorRate, 0), Self.rule(.precision, 1), Self.rule(.precision, -0.1, relative: true), Self.rule(.latencyP99, 0.3),
                     Self.rule(.latencyP99, -0.05, relative: true), Self.rule(.reviewQueueDepth, 0), Self.rule(.reviewQueueHoursToOverflow, 2)]
        for rule in rules { #expect(Self.found(Self.release(rules: [rule])).isEmpty, "\(rule.expressionText)") }
    }

    @Test func ruleWindowsEventsAndScope() {
        let rules = [
            Self.rule(.errorRate, 0.1) { $0.windowSeconds = 0 },
            Self.rule(.errorRate, 0.1) { $0.forSeconds = -60 },
            Self.rule(.errorRate, 0.1) { $0.minimumEvents = -5 },
            Self.rule(.reviewQueueDepth, 100) { $0.scope = .eachSegment },
            Self.rule(.reviewQueueDepth, 100) { $0.relativeToChampion = true },
        ]
        let found = rules.map { Self.found(Self.release(rules: [$0])) }
        #expect(found == [
            ["stop_rules[0].window: the window must be longer than 0"],
            ["stop_rules[0].for: `for` cannot be negative"],
            ["stop_rules[0].min_events: min_events cannot be negative (-5)"],
            ["stop_rules[0].scope: review_queue_depth has no per-segment value"],
            ["stop_rules[0].relative_to_champion: review_queue_depth is shared by both arms, so it has no challenger − champion difference"],
        ])
        let perSegment = Self.rule(.errorRate, 0.1) { $0.scope = .eachSegment }
        #expect(Self.found(Self.release(rules: [perSegment], segments: [])) == ["stop_rules[0].scope: scope each_segment, but the release lists no segments"])
        #expect(Self.found(Self.release(rules: [perSegment])).isEmpty)
    }

    @Test func everyProblemIsReportedWithAHintWhereOneHelps() {
        let stages = [Self.sound[2], Self.sound[1], Self.sound[1]]
        let problems = Self.release(stages: stages, rules: [Self.rule(.errorRate, 3)], slug: "").problems()
        #expect(problems.count == 5)
        #expect(problems.allSatisfy { $0.hint != nil })
        #expect(problems.first { $0.path == ["stages", 1, "traffic"] }?.hint == "traffic must not decrease from one stage to the next; reorder the stages")
    }

    @Test func spelling() {
        #expect(Spelling.closest(to: "treshold", among: ["threshold", "name"]) == "threshold")
        #expect(Spelling.closest(to: "colour", among: ["kind", "name", "traffic", "bake", "requires_approval"]) == nil)
        #expect(Spelling.closest(to: "Metric", among: ["metric"]) == "metric")
        #expect(Spelling.closest(to: "bak", among: ["bake", "kind"]) == "bake")
        #expect(Spelling.distance("kitten", "sitting") == 3)
    }
}
