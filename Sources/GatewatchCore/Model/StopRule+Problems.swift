extension RuleMetric {
    /// The values a threshold of this metric can sensibly take, and how to say so.
    var thresholdRange: (contains: (Double) -> Bool, text: String, hint: String) {
        switch self {
        case .errorRate, .precision, .recall, .falsePositiveRate, .labelMaturity:
            return ({ (0...1).contains($0) }, "0–1", "\(rawValue) is a fraction: write 0.02 for 2%")
        case .latencyP50, .latencyP99:
            // Above a minute is almost surely milliseconds written as seconds.
            return ({ $0 > 0 && $0 <= 60 }, "above 0, at most 60 s", "latency is in seconds: write 0.3 for 300 ms")
        case .reviewQueueDepth:
            return ({ $0 >= 0 }, "0 or more", "the queue depth is a number of items")
        case .reviewQueueHoursToOverflow:
            return ({ $0 >= 0 }, "0 or more", "hours until the queue overflows, e.g. 2")
        case .blockRate, .reviewRate:
            return ({ (0...1).contains($0) }, "0–1", "\(rawValue) is a share of the decisions: write 0.05 for 5%")
        case .decisionsPerMinute:
            return ({ $0 >= 0 && $0.isFinite }, "0 or more", "decisions per minute, e.g. 700")
        case .meanScore:
            return ({ (0...1).contains($0) }, "0–1", "scores are between 0 and 1")
        case .scorePSI:
            return ({ $0 >= 0 && $0.isFinite }, "0 or more", "PSI: below 0.1 is stable, above 0.2 a significant shift")
        case .scoreKS:
            return ({ (0...1).contains($0) }, "0–1", "the KS statistic D is the largest gap between the arms' score CDFs")
        case .scoreJS:
            return ({ $0 >= 0 && $0 <= 0.8326 }, "0–0.83 (√ln 2)", "the Jensen–Shannon distance, natural log")
        }
    }

    /// The values a challenger ÷ champion ratio of this metric can take.
    var ratioRange: (contains: (Double) -> Bool, text: String, hint: String) {
        ({ $0 >= 0 && $0.isFinite }, "0 or more", "a ratio to the champion: 2 is twice the champion's value, 0.7 is 30% below it")
    }

    /// The values a challenger − champion delta of this metric can take.
    var deltaRange: (contains: (Double) -> Bool, text: String, hint: String) {
        switch self {
        case .latencyP50, .latencyP99:
            return ({ $0.isFinite }, "a finite number", "a latency difference in seconds, e.g. 0.05 for 50 ms slower")
        case .decisionsPerMinute:
            return ({ $0.isFinite }, "a finite number", "a difference in decisions per minute, e.g. -100")
        default:
            return ({ (-1...1).contains($0) }, "−1–1", "a difference of fractions: write -0.10 for 10 points worse")
        }
    }
}

extension StopRule {
    /// Problems of the rule's meaning, at paths relative to the rule. `releaseHasSegments`: whether the release
    /// lists segments (a per-segment rule needs them).
    public func problems(releaseHasSegments: Bool) -> [SpecProblem] {
        var problems: [SpecProblem] = []
        if relativeToChampion && metric.isDrift {
            problems.append(SpecProblem(["relative_to_champion"], "\(metric.rawValue) already compares the challenger's scores with the champion's",
                                        hint: "remove `relative_to_champion`"))
        } else if relativeToChampion && !metric.isPerArm {
            problems.append(SpecProblem(["relative_to_champion"], "\(metric.rawValue) is shared by both arms, so it has no challenger − champion difference",
                                        hint: "remove `relative_to_champion`"))
        } else {
            let ratio = relativeToChampion && relation == .ratio
            let range = ratio ? metric.ratioRange : relativeToChampion ? metric.deltaRange : metric.thresholdRange
            if !threshold.isFinite || !range.contains(threshold) {
                let what = ratio ? "a challenger ÷ champion ratio of \(metric.rawValue)"
                    : relativeToChampion ? "a challenger − champion difference of \(metric.rawValue)" : metric.rawValue
                problems.append(SpecProblem(["threshold"], "threshold \(NumberText.compact(threshold)) is out of range for \(what) (\(range.text))",
                                            hint: range.hint))
            }
        }
        if windowSeconds <= 0 {
            problems.append(SpecProblem(["window"], "the window must be longer than 0", hint: "the span counters are turned into rates over, e.g. `window: 5m`"))
        }
        if forSeconds < 0 {
            problems.append(SpecProblem(["for"], "`for` cannot be negative", hint: "0 fires at the first evaluation that holds"))
        }
        if minimumEvents < 0 {
            problems.append(SpecProblem(["min_events"], "min_events cannot be negative (\(minimumEvents))", hint: "0 counts every window as data"))
        }
        if scope == .eachSegment {
            if !metric.isPerSegment {
                problems.append(SpecProblem(["scope"], "\(metric.rawValue) has no per-segment value", hint: "use `scope: overall`"))
            } else if !releaseHasSegments {
                problems.append(SpecProblem(["scope"], "scope each_segment, but the release lists no segments",
                                            hint: "add `segments:` to the release, or use `scope: overall`"))
            }
        }
        return problems
    }
}
