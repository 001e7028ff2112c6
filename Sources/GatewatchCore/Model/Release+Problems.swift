extension Release {
    /// Everything wrong with the meaning of the spec, each at the path of the offending node as the YAML spells it,
    /// in spec order (empty when the release is sound). Decoding has already checked types and enum values.
    public func problems() -> [SpecProblem] {
        var problems: [SpecProblem] = []
        if slug.isEmpty {
            problems.append(SpecProblem(["slug"], "the slug is empty", hint: "e.g. `slug: fraud-scoring-v8`"))
        } else if let problem = Release.slugProblem(slug) {
            problems.append(SpecProblem(["slug"], problem, hint: "the slug is a metric label and a registry tag, e.g. `fraud-scoring-v8`"))
        }
        problems += changeProblems()
        problems += thresholdProblems()
        if let limit = reviewQueueLimit, !(limit > 0 && limit.isFinite) {
            problems.append(SpecProblem(["review_queue_limit"], "review_queue_limit must be a positive number of items, not \(NumberText.compact(limit))"))
        }
        problems += segmentProblems()
        problems += stageProblems()
        problems += gates.problems().map { $0.under(["gates"]) }
        problems += guardrailProblems()
        problems += ruleProblems()
        return problems
    }

    private func changeProblems() -> [SpecProblem] {
        var problems: [SpecProblem] = []
        var seen: [ChangeObjectKind: Int] = [:]
        for (i, change) in changes.enumerated() {
            if let first = seen[change.kind] {
                problems.append(SpecProblem(["changes", .index(i), "kind"], "the \(change.kind.rawValue) change is listed twice (first at changes[\(first)])",
                                            hint: "list each of model, threshold and policy once"))
            } else {
                seen[change.kind] = i
            }
        }
        return problems
    }

    private func thresholdProblems() -> [SpecProblem] {
        let review = thresholds.review, block = thresholds.block
        var problems: [SpecProblem] = []
        let hint = "scores are in 0–1 and decisions are reviewed at or above `review`, blocked at or above `block`: 0 < review ≤ block ≤ 1"
        if !(review > 0 && review <= 1) {
            problems.append(SpecProblem(["thresholds", "review"], "review threshold \(NumberText.compact(review)) is outside (0, 1]", hint: hint))
        }
        if !(block > 0 && block <= 1) {
            problems.append(SpecProblem(["thresholds", "block"], "block threshold \(NumberText.compact(block)) is outside (0, 1]", hint: hint))
        }
        if problems.isEmpty && review > block {
            problems.append(SpecProblem(["thresholds", "review"], "review threshold \(NumberText.compact(review)) is above the block threshold \(NumberText.compact(block))", hint: hint))
        }
        return problems
    }

    private func segmentProblems() -> [SpecProblem] {
        var problems: [SpecProblem] = []
        var seen: [String: Int] = [:]
        for (i, segment) in segments.enumerated() {
            if let first = seen[segment.key] {
                problems.append(SpecProblem(["segments", .index(i)], "segment `\(segment.key)` is listed twice (first at segments[\(first)])",
                                            hint: "list each segment once"))
                continue
            }
            seen[segment.key] = i
            let wellFormed = !segment.key.isEmpty && segment.key.split(separator: ",", omittingEmptySubsequences: false).allSatisfy { part in
                let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard pieces.count == 2, let name = pieces[0].first, !pieces[1].isEmpty else { return false }
                return (name.isLetter || name == "_") && pieces[0].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            }
            if !wellFormed {
                problems.append(SpecProblem(["segments", .index(i)], "segment `\(segment.key)` is not a list of label=value pairs",
                                            hint: "write it as the metrics' segment label has it, e.g. `market=BR,surface=app`"))
            }
        }
        return problems
    }

    private func stageProblems() -> [SpecProblem] {
        guard !stages.isEmpty else {
            return [SpecProblem(["stages"], "the stage plan has no stages", hint: "e.g. `- { name: canary-5, kind: canary, traffic: 5, bake: 30m }`")]
        }
        var problems: [SpecProblem] = []
        var names: [String: Int] = [:]
        var before: (name: String, served: Double)? = nil
        var full: String? = nil
        for (i, stage) in stages.enumerated() {
            let at: SpecPath = ["stages", .index(i)]
            let traffic = stage.trafficPercent
            let shown = NumberText.compact(traffic)
            if stage.name.trimmingWhitespace().isEmpty {
                problems.append(SpecProblem(at + ["name"], "stage \(i + 1) has an empty name", hint: "e.g. `name: canary-5`"))
            } else if let first = names[stage.name] {
                problems.append(SpecProblem(at + ["name"], "stage name `\(stage.name)` is used twice (first at stages[\(first)])",
                                            hint: "promotions and the audit log name stages, so names must be unique"))
            } else {
                names[stage.name] = i
            }
            if !(0...100).contains(traffic) {
                problems.append(SpecProblem(at + ["traffic"], "stage `\(stage.name)`: traffic \(shown)% is outside 0–100",
                                            hint: "traffic is the percent of decisions the challenger serves"))
            } else {
                switch stage.kind {
                case .shadow where traffic != 0, .replay where traffic != 0:
                    problems.append(SpecProblem(at + ["traffic"], "stage `\(stage.name)` is a \(stage.kind.rawValue) stage, which serves no traffic, but says traffic: \(shown)",
                                                hint: "write `traffic: 0`, or use kind: canary to serve \(shown)%"))
                case .full where traffic != 100:
                    problems.append(SpecProblem(at + ["traffic"], "stage `\(stage.name)` is a full stage, which serves all traffic, but says traffic: \(shown)",
                                                hint: "write `traffic: 100`, or use kind: ab to split traffic"))
                case .canary, .ab:
                    if traffic == 0 {
                        problems.append(SpecProblem(at + ["traffic"], "stage `\(stage.name)` is a \(stage.kind.rawValue) stage at 0%, which serves nothing",
                                                    hint: "use kind: shadow to score without serving"))
                    } else if traffic == 100 {
                        problems.append(SpecProblem(at + ["traffic"], "stage `\(stage.name)` is a \(stage.kind.rawValue) stage at 100%, which leaves the champion nothing to compare with",
                                                    hint: "use kind: full for the last stage"))
                    }
                default: break
                }
            }
            let served = stage.servedShare(.challenger) * 100
            if let full {
                problems.append(SpecProblem(at + ["name"], "stage `\(stage.name)` comes after the full stage `\(full)`",
                                            hint: "a full stage serves every decision; make it the last stage"))
            } else if let before, served < before.served {
                problems.append(SpecProblem(at + ["traffic"], "stage `\(stage.name)` serves \(NumberText.compact(served))% of traffic, less than `\(before.name)` before it (\(NumberText.compact(before.served))%)",
                                            hint: "traffic must not decrease from one stage to the next; reorder the stages"))
            }
            if stage.kind == .full, full == nil { full = stage.name }
            if before == nil || served >= before!.served { before = (stage.name, served) }
        }
        return problems
    }

    private func guardrailProblems() -> [SpecProblem] {
        var problems: [SpecProblem] = []
        var seen: [QualityMetric: Int] = [:]
        for (i, guardrail) in guardrails.enumerated() {
            let at: SpecPath = ["guardrails", .index(i)]
            if let first = seen[guardrail.metric] {
                problems.append(SpecProblem(at + ["metric"], "a second guardrail on \(guardrail.metric.rawValue) (first at guardrails[\(first)])",
                                            hint: "keep one guardrail per metric"))
            } else {
                seen[guardrail.metric] = i
            }
            let worst = guardrail.maxWorsening
            if !(worst >= 0 && worst <= 1) {
                problems.append(SpecProblem(at + ["max_worsening"], "max_worsening \(NumberText.compact(worst)) of \(guardrail.metric.rawValue) is outside 0–1",
                                            hint: "the largest acceptable change against the champion as a positive fraction, e.g. 0.005 for half a point"))
            }
        }
        if let d = designEffect, !(d >= 1 && d <= 100) {
            problems.append(SpecProblem(["design_effect"], "design_effect \(NumberText.compact(d)) is outside 1–100",
                                        hint: "the variance inflation of clustered traffic: 1 for independent decisions, e.g. 1.8 for about two decisions per user"))
        }
        if !(alpha > 0 && alpha <= 0.5) {
            problems.append(SpecProblem(["alpha"], "alpha \(NumberText.compact(alpha)) is outside (0, 0.5]",
                                        hint: "the level of the planned A/B test, e.g. 0.05"))
        } else if !(power > alpha && power < 1) {
            problems.append(SpecProblem(["power"], "power \(NumberText.compact(power)) is outside (alpha, 1) = (\(NumberText.compact(alpha)), 1)",
                                        hint: "the chance the planned A/B test detects the minimum detectable effect, e.g. 0.8"))
        }
        for metric in QualityMetric.allCases {
            guard let effect = minimumDetectableEffects[metric] else { continue }
            if !(effect > 0 && effect <= 1) {
                problems.append(SpecProblem(["minimum_detectable_effects", .key(metric.rawValue)],
                                            "minimum detectable effect \(NumberText.compact(effect)) of \(metric.rawValue) is outside (0, 1]",
                                            hint: "the smallest change worth detecting as a positive fraction, e.g. 0.01 for one point"))
            }
        }
        return problems
    }

    private func ruleProblems() -> [SpecProblem] {
        var problems: [SpecProblem] = []
        var names: [String: Int] = [:]
        for (i, rule) in rules.enumerated() {
            let at: SpecPath = ["stop_rules", .index(i)]
            if rule.name.trimmingWhitespace().isEmpty {
                problems.append(SpecProblem(at + ["name"], "stop rule \(i + 1) has an empty name", hint: "e.g. `name: challenger-error-rate`"))
            } else if let first = names[rule.name] {
                problems.append(SpecProblem(at + ["name"], "stop rule name `\(rule.name)` is used twice (first at stop_rules[\(first)])",
                                            hint: "acknowledgements and the audit log name rules, so names must be unique"))
            } else {
                names[rule.name] = i
            }
            problems += rule.problems(releaseHasSegments: !segments.isEmpty).map { $0.under(at) }
        }
        return problems
    }
}

extension GatePolicy {
    /// Problems of the gate settings, at paths relative to `gates`.
    public func problems() -> [SpecProblem] {
        var problems: [SpecProblem] = []
        if minimumSamplesPerArm < 0 {
            problems.append(SpecProblem(["minimum_samples_per_arm"], "minimum_samples_per_arm cannot be negative (\(minimumSamplesPerArm))", hint: "0 turns the check off"))
        }
        if !(0...1).contains(minimumLabelMaturity) {
            problems.append(SpecProblem(["minimum_label_maturity"], "minimum_label_maturity \(NumberText.compact(minimumLabelMaturity)) is outside 0–1",
                                        hint: "the share of decisions whose label has arrived, e.g. 0.5"))
        }
        if minimumSamplesPerSegment < 0 {
            problems.append(SpecProblem(["minimum_samples_per_segment"], "minimum_samples_per_segment cannot be negative (\(minimumSamplesPerSegment))", hint: "0 turns the check off"))
        }
        if !(srmPValue >= 0 && srmPValue < 1) {
            problems.append(SpecProblem(["srm_p_value"], "srm_p_value \(NumberText.compact(srmPValue)) is outside [0, 1)",
                                        hint: "the p-value below which the traffic split counts as broken, e.g. 0.001; 0 turns the check off"))
        }
        return problems
    }
}
