import ArgumentParser
import Foundation
import GatewatchCore

/// Synthetic contract series: every counter of both arms in every segment at one-minute steps.
/// With `thinning`, the data arrives an hour at a time and is thinned after each hour as a live source does.
func makeData(segments: Int, hours: Int, start: Timestamp, thinning analyzer: ReleaseAnalyzer? = nil) -> (Release, MetricSeriesSet, Int) {
    let names = (0..<segments).map { "market=M\($0 / 2),surface=\($0 % 2 == 0 ? "app" : "web")" }
    let release0 = Release(
        slug: "bench", title: "bench", model: "m", championVersion: "1", challengerVersion: "2", owner: "bench",
        changes: [], stages: [Stage(name: "canary", kind: .canary, trafficPercent: 25, bakeSeconds: 3600),
                              Stage(name: "full", kind: .full, trafficPercent: 100, bakeSeconds: 0)],
        rules: [StopRule(name: "errors", metric: .errorRate, comparator: .greaterThan, threshold: 0.02, forSeconds: 300, severity: .rollback),
                StopRule(name: "p99", metric: .latencyP99, comparator: .greaterThan, threshold: 0.3, forSeconds: 600, severity: .rollback),
                StopRule(name: "precision", metric: .precision, relativeToChampion: true, comparator: .lessThan, threshold: -0.1,
                         windowSeconds: 3600, forSeconds: 900, scope: .eachSegment, severity: .block)],
        segments: names.map(Segment.init))
    var release = release0
    release.guardrails = [Guardrail(metric: .falsePositiveRate, maxWorsening: 0.01)]
    var data = MetricSeriesSet()
    var samples = 0
    let steps = hours * 60
    let latencyBounds = ["0.05", "0.1", "0.25", "0.5", "1", "+Inf"]
    let scoreBounds = (1...10).map { $0 == 10 ? "+Inf" : String(Double($0) / 10) }
    var series: [(SeriesKey, Double)] = []
    for (s, segment) in names.enumerated() {
        for arm in Arm.allCases {
            let rate = arm == .champion ? 75.0 : 25.0
            for (action, share) in [("allow", 0.9), ("review", 0.07), ("block", 0.03)] {
                series.append((SeriesKey(.decisions, arm: arm, segment: segment, extra: action), rate * share))
            }
            series.append((SeriesKey(.errors, arm: arm, segment: segment), rate * 0.002))
            for (outcome, share) in [("tp", 0.02), ("fp", 0.01), ("tn", 0.95), ("fn", 0.02)] {
                series.append((SeriesKey(.labels, arm: arm, segment: segment, extra: outcome), rate * share))
            }
            for (i, le) in latencyBounds.enumerated() {
                series.append((SeriesKey(.latencyBucket, arm: arm, segment: segment, extra: le), rate * min(1, Double(i + 1) / 5)))
            }
            for (i, le) in scoreBounds.enumerated() {
                series.append((SeriesKey(.scoreBucket, arm: arm, segment: segment, extra: le), rate * Double(i + 1) / 10 + Double(s % 3)))
            }
        }
    }
    let chunk = analyzer == nil ? steps : 60
    var done = 0
    while done < steps {
        let upTo = min(steps, done + chunk)
        for (key, perMinute) in series {
            var list: [Sample] = []
            list.reserveCapacity(upTo - done)
            for k in (done + 1)...upTo { list.append(Sample(time: start + Int64(k * 60), value: perMinute * Double(k))) }
            data.append(list, to: key)
        }
        samples += series.count * (upTo - done)
        done = upTo
        if let analyzer {
            let now = start + Int64(done * 60)
            data.thin(before: analyzer.oldestTimeNeeded(release: release, asOf: now), origin: start,
                      every: analyzer.comparator.lookInterval, keeping: [start])
        }
    }
    return (release, data, samples)
}

/// `gatewatch-bench analysis`: the analysis of a synthetic release of a chosen size, full and with rule states resumed.
struct AnalysisBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "analysis",
        abstract: "Time the analysis of a synthetic release (every contract series of both arms in every segment, one-minute steps).")

    @Option(help: "Segments of the synthetic release.") var segments = 500
    @Option(help: "Hours of one-minute data.") var hours = 6
    @Option(help: "Runs per figure (the median, min and max are printed).") var runs = 5
    @Flag(help: "Feed the data an hour at a time and thin what the analysis no longer reads, as a live source does.") var thin = false

    func validate() throws {
        guard segments > 0, hours > 0, runs > 0 else { throw ValidationError("--segments, --hours and --runs must be positive") }
    }

    func run() throws {
        let r = Self.measureAnalysis(segments: segments, hours: hours, runs: runs, thin: thin)
        print("gatewatch-bench analysis: \(segments) segments × \(hours) h of one-minute data (\(r.samples) samples"
              + (thin ? ", \(r.held) held after thinning" : "") + "), \(runs) runs")
        print(header())
        print(row("full analysis (ms)", r.full))
        print(row("re-analysis, rules resumed (ms)", r.resumed))
        print(row("  … and settled looks cached (ms)", r.cachedLooks))
        print("data generation (ms)".padding(toLength: 40, withPad: " ", startingAt: 0) + f(r.buildMs))
        print("peak resident memory (MB)".padding(toLength: 40, withPad: " ", startingAt: 0) + f(r.peakMB))
        print("{\"benchmark\":\"analysis\",\"segments\":\(segments),\"hours\":\(hours),\"samples\":\(r.samples),\"held\":\(r.held),"
              + "\"thin\":\(thin),\"runs\":\(runs),"
              + "\"full_analysis_ms\":\(json(r.full)),\"reanalysis_ms\":\(json(r.resumed)),\"reanalysis_cached_looks_ms\":\(json(r.cachedLooks)),"
              + "\"peak_rss_mb\":\(f(r.peakMB))}")
    }

    struct Result {
        var full, resumed, cachedLooks: (median: Double, min: Double, max: Double)
        var samples: Int
        /// Samples held after thinning (all of them without).
        var held: Int
        var buildMs: Double
        var peakMB: Double
    }

    static func measureAnalysis(segments: Int, hours: Int, runs: Int, thin: Bool = false) -> Result {
        let start: Timestamp = 1_762_074_000
        let built = DispatchTime.now().uptimeNanoseconds
        let live = ReleaseAnalyzer(evaluator: RuleEvaluator(interval: 60, maximumLookback: 6 * 3600))
        let (release, data, samples) = makeData(segments: segments, hours: hours, start: start, thinning: thin ? live : nil)
        let buildMs = Double(DispatchTime.now().uptimeNanoseconds - built) / 1e6
        let asOf = start + Int64(hours * 3600)
        let state = RolloutState(stageIndex: 0, stageEnteredAt: start, startedAt: start, status: .running)
        let analyzer = live  // as the dashboard runs it: six hours of rule look-back
        var last: ReleaseAnalysis? = nil
        let full = measure(runs) { last = analyzer.analyze(release: release, state: state, metrics: data, asOf: asOf) }
        let rules = last!.rules
        let resumed = measure(runs) {
            _ = analyzer.analyze(release: release, state: state, metrics: data, asOf: asOf, previousRules: rules)
        }
        // As a live source runs it: the counts at settled looks of the sequential test are kept between polls.
        let cached = ReleaseAnalyzer(evaluator: live.evaluator, comparator: SegmentComparator(looks: LookCountCache()))
        _ = cached.analyze(release: release, state: state, metrics: data, asOf: asOf, previousRules: rules)
        let withLooks = measure(runs) {
            _ = cached.analyze(release: release, state: state, metrics: data, asOf: asOf, previousRules: rules)
        }
        return Result(full: full, resumed: resumed, cachedLooks: withLooks, samples: samples, held: data.sampleCount, buildMs: buildMs,
                      peakMB: residentMegabytes())
    }
}
