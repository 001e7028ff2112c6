// gatewatch-bench: measures the analysis on synthetic releases of a chosen size.
// Usage: swift run -c release gatewatch-bench [--segments N] [--hours H] [--runs R]
// Prints a table and one JSON line; every figure is a median over R runs with min and max.
import Foundation
import GatewatchCore

/// Options, read by hand: three integer flags do not justify a dependency for this small tool.
struct Options {
    var segments = 500
    var hours = 6
    var runs = 5

    init(_ arguments: [String]) throws {
        var i = 1
        while i < arguments.count {
            let flag = arguments[i]
            guard i + 1 < arguments.count, let value = Int(arguments[i + 1]), value > 0 else {
                throw BenchError("\(flag) needs a positive whole number")
            }
            switch flag {
            case "--segments": segments = value
            case "--hours": hours = value
            case "--runs": runs = value
            default: throw BenchError("unknown option \(flag) (use --segments, --hours, --runs)")
            }
            i += 2
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// Synthetic contract series: every counter of both arms in every segment at one-minute steps.
func makeData(segments: Int, hours: Int, start: Timestamp) -> (Release, MetricSeriesSet, Int) {
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
    for (s, segment) in names.enumerated() {
        for arm in Arm.allCases {
            let rate = arm == .champion ? 75.0 : 25.0
            var series: [(SeriesKey, Double)] = []
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
            for (key, perMinute) in series {
                var list: [Sample] = []
                list.reserveCapacity(steps)
                for k in 1...steps { list.append(Sample(time: start + Int64(k * 60), value: perMinute * Double(k))) }
                data.append(list, to: key)
                samples += steps
            }
        }
    }
    return (release, data, samples)
}

func measure(_ runs: Int, _ body: () -> Void) -> (median: Double, min: Double, max: Double) {
    var times: [Double] = []
    for _ in 0..<runs {
        let t0 = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
    }
    times.sort()
    return (times[times.count / 2], times.first!, times.last!)
}

func residentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return .nan }
    return kb / 1024
}

do {
    let options = try Options(CommandLine.arguments)
    let start: Timestamp = 1_762_074_000
    let built = DispatchTime.now().uptimeNanoseconds
    let (release, data, samples) = makeData(segments: options.segments, hours: options.hours, start: start)
    let buildMs = Double(DispatchTime.now().uptimeNanoseconds - built) / 1e6
    let asOf = start + Int64(options.hours * 3600)
    let state = RolloutState(stageIndex: 0, stageEnteredAt: start, startedAt: start, status: .running)
    let analyzer = ReleaseAnalyzer()
    var last: ReleaseAnalysis? = nil
    let full = measure(options.runs) { last = analyzer.analyze(release: release, state: state, metrics: data, asOf: asOf) }
    let rules = last!.rules
    let incremental = measure(options.runs) {
        _ = analyzer.analyze(release: release, state: state, metrics: data, asOf: asOf, previousRules: rules)
    }
    let rss = residentMegabytes()
    func f(_ v: Double) -> String { String(format: "%.1f", v) }
    print("gatewatch-bench: \(options.segments) segments × \(options.hours) h of one-minute data (\(samples) samples), \(options.runs) runs")
    print("figure                               median      min      max")
    print("full analysis (ms)                 \(f(full.median).padding(toLength: 9, withPad: " ", startingAt: 0))\(f(full.min).padding(toLength: 9, withPad: " ", startingAt: 0))\(f(full.max))")
    print("re-analysis, rules resumed (ms)    \(f(incremental.median).padding(toLength: 9, withPad: " ", startingAt: 0))\(f(incremental.min).padding(toLength: 9, withPad: " ", startingAt: 0))\(f(incremental.max))")
    print("data generation (ms)               \(f(buildMs))")
    print("peak resident memory (MB)          \(f(rss))")
    print("{\"segments\":\(options.segments),\"hours\":\(options.hours),\"samples\":\(samples),\"runs\":\(options.runs),"
          + "\"full_analysis_ms\":{\"median\":\(f(full.median)),\"min\":\(f(full.min)),\"max\":\(f(full.max))},"
          + "\"reanalysis_ms\":{\"median\":\(f(incremental.median)),\"min\":\(f(incremental.min)),\"max\":\(f(incremental.max))},"
          + "\"peak_rss_mb\":\(f(rss))}")
} catch {
    FileHandle.standardError.write(Data("gatewatch-bench: \(error)\n".utf8))
    exit(2)
}
