import ArgumentParser
import Foundation

/// `gatewatch-bench all`: every figure of the performance targets in one table and one JSON line, each with its
/// target and whether it is met. `--short` runs a small version for CI that fails only on a gross regression.
struct AllBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "all",
        abstract: "Every performance figure with its target; --short is the quick CI run that fails on a gross regression.")

    @Flag(help: "Small sizes and few runs; exit 1 when a figure is more than ten times its usual value on this machine.")
    var short = false

    #if DEBUG
    static let build = "debug"
    #else
    static let build = "release"
    #endif

    /// One figure: its median (with min and max), the product target and, for `--short`, the gross-regression limit.
    struct Figure {
        var key: String
        var label: String
        var value: (median: Double, min: Double, max: Double)
        /// The product target (nil: reported only).
        var target: Double?
        /// `--short` fails above this: about ten times what the short run measures on the 2-core reference machine
        /// in this build (debug code runs several times slower than release).
        var limit: Double

        var met: Bool? { target.map { value.median <= $0 } }
    }

    func run() throws {
        let segments = short ? 50 : 500
        let hours = short ? 2 : 6
        let runs = short ? 3 : 5
        let debug = Self.build == "debug"
        var figures: [Figure] = []
        // Limits for --short: about ten times the short run's figures on the reference machine, release | debug
        // (measured: frame 1.7 | 5.8 ms, analysis 7 | 90 ms, poll 6.4 | 25 ms, start-up 41 | 62 ms, idle CPU 0 | 1 %,
        // dashboard 40 | 45 MB, rollback 0.8 | 1.2 ms, slowest review key 11 | 490 ms). Memory and rollback limits are the targets themselves or above.
        func limit(_ release: Double, _ debugValue: Double) -> Double { debug ? debugValue : release }

        // The analysis first, so that the process's peak memory right after it is the analysis's.
        let analysis = AnalysisBenchmark.measureAnalysis(segments: segments, hours: hours, runs: runs)
        figures.append(Figure(key: "full_analysis_ms", label: "full analysis, \(segments) segments × \(hours) h (ms)", value: analysis.full,
                              target: 100, limit: limit(70, 900)))
        let analysisPeak = residentMegabytes()
        let frame = try FrameBenchmark.measureFrame(segments: 500, size: (200, 60), runs: short ? 20 : 200)
        figures.append(Figure(key: "frame_compose_ms", label: "compose a 200x60 frame, 500 segments (ms)", value: frame.compose,
                              target: 2, limit: limit(20, 60)))
        let poll = try PollBenchmark.measurePoll(segments: segments, hours: 2, runs: short ? 5 : 10)
        figures.append(Figure(key: "poll_ms", label: "incremental poll + re-evaluation, \(segments) segments (ms)", value: poll.poll,
                              target: 10, limit: limit(65, 250)))
        let bytes = try TerminalBenchmark.measureBytes(segments: 500, size: (200, 60), runs: short ? 5 : 20)
        figures.append(Figure(key: "idle_frame_bytes", label: "bytes written for an idle frame", value: bytes.idle, target: 0, limit: 0))
        figures.append(Figure(key: "one_row_bytes", label: "bytes written for a one-row change", value: bytes.oneRow, target: nil, limit: 200))
        let live = try LiveBenchmark.measure(scenario: "fraud-canary-healthy", marker: "fraud-scoring-v8", runs: short ? 2 : 5,
                                             seconds: short ? 3 : 10, size: (200, 60))
        figures.append(Figure(key: "startup_ms", label: "start-up to first frame (ms)", value: live.startup, target: 150, limit: limit(400, 1000)))
        figures.append(Figure(key: "idle_cpu_percent", label: "idle CPU at 1 s refresh (%)", value: (live.idleCPU, live.idleCPU, live.idleCPU),
                              target: 1, limit: limit(5, 10)))
        figures.append(Figure(key: "dashboard_rss_mb", label: "peak memory of the dashboard (MB)", value: (live.peakMB, live.peakMB, live.peakMB),
                              target: 150, limit: limit(400, 450)))
        figures.append(Figure(key: "analysis_rss_mb", label: "peak memory, \(segments) segments × \(hours) h in memory (MB)",
                              value: (analysisPeak, analysisPeak, analysisPeak), target: 150, limit: limit(400, 400)))
        let rollback = try RollbackBenchmark.measureRollback(scenario: "fraud-canary-healthy", minutes: 150, runs: runs, size: (160, 48))
        figures.append(Figure(key: "rollback_ms", label: "rollback: confirm → committed (ms)", value: rollback.committed, target: 50,
                              limit: limit(50, 50)))

        let review = try ReviewBenchmark.measureReview(scenario: "post-release-review", size: (120, 40), runs: short ? 1 : 5)
        figures.append(Figure(key: "review_key_ms", label: "slowest review key (G [ ] { } tick t), 3-day release (ms)", value: review.slowestKey,
                              target: 50, limit: limit(110, 5000)))

        print("gatewatch-bench all\(short ? " --short" : ""): \(Self.build) build, \(ProcessInfo.processInfo.activeProcessorCount) cores")
        print("figure".padding(toLength: 58, withPad: " ", startingAt: 0) + "median    min       max       target    ")
        var regressions: [String] = []
        for figure in figures {
            let target = figure.target.map { f($0) } ?? "–"
            let verdict = figure.met.map { $0 ? "met" : "missed (\(String(format: "%.1f", figure.value.median / max(figure.target!, 1e-9)))x)" } ?? ""
            print(figure.label.padding(toLength: 58, withPad: " ", startingAt: 0)
                  + f(figure.value.median).padding(toLength: 10, withPad: " ", startingAt: 0)
                  + f(figure.value.min).padding(toLength: 10, withPad: " ", startingAt: 0)
                  + f(figure.value.max).padding(toLength: 10, withPad: " ", startingAt: 0)
                  + target.padding(toLength: 10, withPad: " ", startingAt: 0) + verdict)
            if figure.value.median > figure.limit || figure.value.median.isNaN {
                regressions.append("\(figure.label): \(f(figure.value.median)) > \(f(figure.limit))")
            }
        }
        let items = figures.map { fig in
            "{\"figure\":\"\(fig.key)\",\"median\":\(f(fig.value.median)),\"min\":\(f(fig.value.min)),\"max\":\(f(fig.value.max)),"
                + "\"target\":\(fig.target.map { f($0) } ?? "null"),\"met\":\(fig.met.map { String($0) } ?? "null")}"
        }
        print("{\"benchmark\":\"all\",\"short\":\(short),\"build\":\"\(Self.build)\",\"figures\":[\(items.joined(separator: ","))]}")
        if short && !regressions.isEmpty {
            print("gross regression (more than ten times the usual figure):")
            for r in regressions { print("  " + r) }
            throw ExitCode(1)
        }
    }
}
