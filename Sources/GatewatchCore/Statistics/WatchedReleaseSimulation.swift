import Foundation


/// Releases watched live, many times over: how often the screen's judgement raises a false alarm when champion and
/// challenger are the same (A/A), and how soon it finds a regression that is there.
///
/// Each release has `segments` segments of counted traffic; every `lookMinutes` both arms gain decisions (block,
/// allow), labels (tp, fp, tn, fn, arriving with the decisions) and errors, drawn from the same rates in both arms
/// unless `regression` raises the challenger's false-positive rate in the first segment. At every look the
/// always-valid judgement of `SegmentComparator` is taken — confidence sequences at α/m for every segment × metric
/// delta, a star when the corrected p-value is below α, a hidden regression when a segment is significantly worse
/// and the overall is not, a failed guardrail when an interval lies wholly past its limit — and, beside it, the
/// fixed-horizon judgement the screen used before (z test, BH q-values across segments, Wald intervals) read at
/// every look. A release "ever" shows a mark when any look does.
public enum WatchedReleaseSimulation {
    public struct Settings: Sendable {
        public var releases = 200
        public var segments = 8
        public var days = 14.0
        public var lookMinutes = 5
        /// Decisions per hour per segment, both arms together, and the challenger's share of them.
        public var decisionsPerHour = 6000.0
        public var challengerShare = 0.2
        /// Rates both arms share: positives among decisions, positives blocked (recall), negatives blocked (the
        /// false-positive rate), errors.
        public var prevalence = 0.04, recall = 0.75, falsePositiveRate = 0.02, errorRate = 0.002
        /// A true regression: the challenger's false-positive rate in the first segment rises by this much (0: A/A).
        public var regression = 0.0
        /// Guardrails (max_worsening) on the false-positive rate and precision; they set τ of those metrics.
        public var fprGuardrail = 0.005, precisionGuardrail = 0.02
        public var seed: UInt64 = 2026

        public init() {}
    }

    public struct Outcome: Sendable {
        public var releases: Int
        public var looks: Int
        /// Releases with a star / a hidden regression / a failed guardrail at some look, always-valid.
        public var everStar = 0, everHidden = 0, everGuardrailFailed = 0
        /// The same with the fixed-horizon judgement read at every look.
        public var fixedEverStar = 0, fixedEverHidden = 0, fixedEverGuardrailFailed = 0
        /// With a regression: releases where the regressing segment's false-positive delta was marked worse
        /// (always-valid), and the hours it took, per detected release.
        public var detected = 0
        public var hoursToDetect: [Double] = []
        /// Tests per release (the Bonferroni factor).
        public var tests = 0
        /// Always-valid stars by metric (a release counted once per metric) and the look of each release's first star.
        public var starsByMetric: [QualityMetric: Int] = [:]
        public var firstStarLooks: [Int] = []

        /// The median of `hoursToDetect`, nil when nothing was detected.
        public var medianHoursToDetect: Double? {
            guard !hoursToDetect.isEmpty else { return nil }
            let s = hoursToDetect.sorted()
            return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }
    }

    /// The metrics simulated (the others of `QualityMetric` are counted in m but have no data here).
    static let metrics: [QualityMetric] = [.falsePositiveRate, .precision, .recall, .errorRate, .blockRate]

    struct Counts {
        var decisions = 0.0, blocked = 0.0, tp = 0.0, fp = 0.0, tn = 0.0, fn = 0.0, errors = 0.0

        static func + (a: Counts, b: Counts) -> Counts {
            Counts(decisions: a.decisions + b.decisions, blocked: a.blocked + b.blocked, tp: a.tp + b.tp, fp: a.fp + b.fp,
                   tn: a.tn + b.tn, fn: a.fn + b.fn, errors: a.errors + b.errors)
        }

        func proportion(_ m: QualityMetric) -> (successes: Double, total: Double) {
            switch m {
            case .falsePositiveRate: return (fp, fp + tn)
            case .precision: return (tp, tp + fp)
            case .recall: return (tp, tp + fn)
            case .errorRate: return (errors, decisions)
            default: return (blocked, decisions)
            }
        }
    }

    public static func run(_ s: Settings) -> Outcome {
        let looks = Int(s.days * 24 * 60) / s.lookMinutes
        let tests = SegmentComparator.tests(segments: s.segments)
        let level = SegmentComparator.alpha / Double(tests)
        var outcome = Outcome(releases: s.releases, looks: looks, tests: tests)
        let perLook = s.decisionsPerHour * Double(s.lookMinutes) / 60
        let guardrails = [Guardrail(metric: .falsePositiveRate, maxWorsening: s.fprGuardrail),
                          Guardrail(metric: .precision, maxWorsening: s.precisionGuardrail)]
        func tau(_ m: QualityMetric) -> Double { guardrails.first { $0.metric == m }?.maxWorsening ?? m.defaultTau }
        for release in 0..<s.releases {
            var rng = SeededRandom(seed: s.seed, streams: UInt64(release))
            // Row 0 is the overall, rows 1... the segments; per row, per arm, cumulative counts.
            var counts = [[Counts]](repeating: [Counts(), Counts()], count: s.segments + 1)
            var running = (0...s.segments).map { _ in metrics.map { ConfidenceSequence.Running(tau: tau($0), alpha: level) } }
            var star = false, hidden = false, failed = false, fixedStar = false, fixedHidden = false, fixedFailed = false
            var detectedAt: Int?
            var starred = Set<QualityMetric>()
            for look in 1...looks {
                for segment in 1...s.segments {
                    for arm in 0..<2 {
                        let n = binomial(&rng, Int(perLook.rounded()), arm == 1 ? s.challengerShare : 1 - s.challengerShare)
                        let shift = arm == 1 && segment == 1 ? s.regression : 0
                        let positives = binomial(&rng, n, s.prevalence)
                        let tp = binomial(&rng, positives, s.recall)
                        let fp = binomial(&rng, n - positives, min(1, s.falsePositiveRate + shift))
                        let c = Counts(decisions: Double(n), blocked: Double(tp + fp), tp: Double(tp), fp: Double(fp),
                                       tn: Double(n - positives - fp), fn: Double(positives - tp), errors: Double(binomial(&rng, n, s.errorRate)))
                        counts[segment][arm] = counts[segment][arm] + c
                        counts[0][arm] = counts[0][arm] + c
                    }
                }
                var fixedP = [[Double]](repeating: [], count: metrics.count)
                var fixedEstimates = [[DeltaEstimate?]](repeating: [], count: metrics.count)
                var estimates = [[SequentialEstimate?]](repeating: [], count: metrics.count)
                for row in 0...s.segments {
                    for (k, metric) in metrics.enumerated() {
                        let a = counts[row][0].proportion(metric), b = counts[row][1].proportion(metric)
                        if let l = ConfidenceSequence.proportionLook(successesA: a.successes, totalA: a.total, successesB: b.successes, totalB: b.total) {
                            running[row][k].add(l)
                        }
                        estimates[k].append(SegmentComparator.estimate(running[row][k], tauSource: .default, tests: tests))
                        let e = ProportionTest.twoProportion(successesA: a.successes, totalA: a.total, successesB: b.successes, totalB: b.total, interval: .wald)
                        fixedEstimates[k].append(e)
                        fixedP[k].append(e?.pValue ?? .nan)
                    }
                }
                for (k, metric) in metrics.enumerated() {
                    func worse(_ d: Double) -> Bool { metric.higherIsBetter ? d < 0 : d > 0 }
                    let guardrail = guardrails.first { $0.metric == metric }
                    // Always-valid.
                    let overallWorse = estimates[k][0].map { $0.adjustedP < SegmentComparator.alpha && worse(($0.ciLow + $0.ciHigh) / 2) } ?? false
                    for row in 0...s.segments {
                        guard let e = estimates[k][row], let d = fixedEstimates[k][row]?.delta else { continue }
                        let significant = e.adjustedP < SegmentComparator.alpha
                        if significant {
                            if !star { outcome.firstStarLooks.append(look) }
                            star = true
                            starred.insert(metric)
                        }
                        if row > 0, significant, worse(d), !overallWorse { hidden = true }
                        if let g = guardrail, g.position(low: e.ciLow, high: e.ciHigh) == .past { failed = true }
                        if row == 1, metric == .falsePositiveRate, significant, worse(d), detectedAt == nil { detectedAt = look }
                    }
                    // Fixed horizon, as it was read at every look: overall p, BH q across segments, Wald intervals.
                    let qs = MultipleTesting.benjaminiHochberg(Array(fixedP[k].dropFirst()))
                    let fixedOverallWorse = fixedEstimates[k][0].map { $0.pValue < SegmentComparator.alpha && worse($0.delta) } ?? false
                    if (fixedEstimates[k][0]?.pValue ?? 1) < SegmentComparator.alpha { fixedStar = true }
                    for row in 1...s.segments {
                        guard let e = fixedEstimates[k][row] else { continue }
                        let q = qs[row - 1]
                        if q < SegmentComparator.alpha { fixedStar = true }
                        if q < SegmentComparator.alpha, worse(e.delta), !fixedOverallWorse { fixedHidden = true }
                        if let g = guardrail, g.position(low: e.ciLow, high: e.ciHigh) == .past { fixedFailed = true }
                    }
                }
            }
            if star { outcome.everStar += 1 }
            for m in starred { outcome.starsByMetric[m, default: 0] += 1 }
            if hidden { outcome.everHidden += 1 }
            if failed { outcome.everGuardrailFailed += 1 }
            if fixedStar { outcome.fixedEverStar += 1 }
            if fixedHidden { outcome.fixedEverHidden += 1 }
            if fixedFailed { outcome.fixedEverGuardrailFailed += 1 }
            if let at = detectedAt {
                outcome.detected += 1
                outcome.hoursToDetect.append(Double(at * s.lookMinutes) / 60)
            }
        }
        return outcome
    }

    /// An exact binomial draw by inversion when the expected count of the rarer outcome is small (rare events
    /// such as errors are where a normal approximation of the data would hide what the test must survive), else
    /// `SeededRandom`'s normal approximation.
    static func binomial(_ rng: inout SeededRandom, _ n: Int, _ p: Double) -> Int {
        guard n > 0, p > 0 else { return 0 }
        if p >= 1 { return n }
        if p > 0.5 { return n - binomial(&rng, n, 1 - p) }
        guard Double(n) * p < 50 else { return rng.binomial(n, p) }
        // Inversion: walk the probabilities P(K = k) upwards from k = 0 until the uniform draw is used up.
        let q = 1 - p, ratio = p / q
        var probability: Double = exp(Double(n) * log(q))
        var cumulative = probability, k = 0
        let u = rng.uniform()
        while u > cumulative && k < n {
            let step: Double = ratio * Double(n - k) / Double(k + 1)
            probability *= step
            cumulative += probability
            k += 1
            if probability < 1e-300 && Double(k) > Double(n) * p { break }
        }
        return k
    }

    /// The Clopper–Pearson 95% interval of `k` successes in `n` trials.
    public static func interval(_ k: Int, of n: Int) -> (low: Double, high: Double) {
        guard n > 0 else { return (0, 1) }
        let low = k == 0 ? 0 : Distributions.betaQuantile(0.025, Double(k), Double(n - k + 1))
        let high = k == n ? 1 : Distributions.betaQuantile(0.975, Double(k + 1), Double(n - k))
        return (low, high)
    }
}
