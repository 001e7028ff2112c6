import ArgumentParser
import Foundation
import GatewatchCore
import GatewatchSQLite
import GatewatchScenario

/// `gatewatch-bench scale`: the scale scenario (`gatewatch demo --scenario scale`) written into a store file, one of
/// its releases read and analysed in full, and the dashboard opened on the whole fleet in a pseudo-terminal.
struct ScaleBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scale",
        abstract: "Generate the scale scenario, analyse one release of it, and open the dashboard on it.")

    @Option(help: "Segments per release.") var segments = 500
    @Option(help: "Releases.") var releases = 20
    @Option(help: "Minutes of one-minute history.") var minutes = 60
    @Option(help: "Runs of the analysis.") var runs = 3
    @Option(help: "Seconds the dashboard stays open for the idle CPU figure.") var seconds = 10.0

    func validate() throws {
        guard runs > 0, seconds > 0 else { throw ValidationError("--runs and --seconds must be positive") }
        if let problem = ScaleScenario(segments: segments, releases: releases, history: Int64(minutes) * 60, end: 0).problem {
            throw ValidationError(problem)
        }
    }

    func run() throws {
        let r = try Self.measureScale(segments: segments, releases: releases, minutes: minutes, runs: runs, seconds: seconds)
        print("gatewatch-bench scale: \(releases) releases × \(segments) segments × \(minutes) min of one-minute data (\(r.samples) samples)")
        print(header())
        print("generate into the store (samples/s)".padding(toLength: 40, withPad: " ", startingAt: 0) + f(r.samplesPerSecond))
        print("store file (MB)".padding(toLength: 40, withPad: " ", startingAt: 0) + f(r.storeMB))
        print(row("read one release from the store (ms)", r.read))
        print("  bytes held per sample, one release".padding(toLength: 40, withPad: " ", startingAt: 0) + f(r.bytesPerSample))
        print(row("full analysis of one release (ms)", r.analysis))
        print(row("dashboard start-up to first release (ms)", r.startup))
        print("dashboard: whole fleet read after (ms)".padding(toLength: 40, withPad: " ", startingAt: 0) + f(r.loaded))
        print("dashboard idle CPU at 1 s refresh (%)".padding(toLength: 40, withPad: " ", startingAt: 0) + String(format: "%.2f", r.idleCPU))
        print("dashboard peak resident memory (MB)".padding(toLength: 40, withPad: " ", startingAt: 0) + f(r.peakMB))
        print("{\"benchmark\":\"scale\",\"segments\":\(segments),\"releases\":\(releases),\"minutes\":\(minutes),\"samples\":\(r.samples),"
              + "\"samples_per_second\":\(f(r.samplesPerSecond)),\"store_mb\":\(f(r.storeMB)),\"read_ms\":\(json(r.read)),\"bytes_per_sample\":\(f(r.bytesPerSample)),"
              + "\"analysis_ms\":\(json(r.analysis)),\"startup_ms\":\(json(r.startup)),\"fleet_loaded_ms\":\(f(r.loaded)),\"idle_cpu_percent\":\(String(format: "%.2f", r.idleCPU)),"
              + "\"peak_rss_mb\":\(f(r.peakMB))}")
    }

    struct Result {
        var samples: Int
        var samplesPerSecond, storeMB: Double
        var read, analysis, startup: (median: Double, min: Double, max: Double)
        /// Milliseconds until the whole fleet was read (to the second).
        var loaded: Double
        var idleCPU, peakMB: Double
        /// Bytes of sample columns per sample of the release read back.
        var bytesPerSample: Double
    }

    static func measureScale(segments: Int, releases: Int, minutes: Int, runs: Int, seconds: Double) throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gw-bench-scale-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("scale.sqlite").path
        let now = Timestamp(Date().timeIntervalSince1970)
        let scenario = ScaleScenario(segments: segments, releases: releases, history: Int64(minutes) * 60, end: now)
        let store = try SQLiteStore(path: path)
        let t0 = Date()
        try scenario.write(into: store)
        let rate = Double(scenario.sampleCount) / Date().timeIntervalSince(t0)
        let size = Double((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) / 1_048_576

        let (release, state) = scenario.release(0)
        var data = MetricSeriesSet()
        let read = try measure(runs) {
            data = MetricSeriesSet(try store.samples(release: release.slug, after: nil, through: .max))
        }
        guard data.seriesCount == segments * ScaleScenario.seriesPerSegment + 1 else {
            throw BenchError("read \(data.seriesCount) series of \(release.slug), expected \(segments * ScaleScenario.seriesPerSegment + 1)")
        }
        let bytesPerSample = Double(data.sampleBytes) / Double(max(1, data.sampleCount))
        let analyzer = ReleaseAnalyzer(evaluator: RuleEvaluator(interval: 60, maximumLookback: 6 * 3600))
        let asOf = scenario.end
        let analysis = measure(runs) { _ = analyzer.analyze(release: release, state: state, metrics: data, asOf: asOf) }

        let config = path + ".yaml"
        try "registry:\n  kind: sqlite\n  path: '\(path)'\nmetrics:\n  kind: sqlite\n  path: '\(path)'\n".write(toFile: config, atomically: true, encoding: .utf8)
        let session = try LiveBenchmark.Session(arguments: ["run", "--config", config, "--refresh", "1"], size: (200, 60))
        defer { session.stop() }
        let s0 = DispatchTime.now().uptimeNanoseconds
        try session.start()
        guard session.terminal.wait(for: "scale-01", limit: 120) else {
            throw BenchError("the dashboard showed no 'scale-01' within 120 s: \(String(decoding: session.terminal.bytes.suffix(300), as: UTF8.self).debugDescription)")
        }
        let startup = Double(DispatchTime.now().uptimeNanoseconds - s0) / 1e6
        // The first release is on screen; the others are still being read. Loaded when a second passes with the
        // process mostly idle.
        var loaded = Double.nan
        var before = session.cpuSeconds ?? 0
        for _ in 0..<600 {
            Thread.sleep(forTimeInterval: 1)
            guard let now = session.cpuSeconds else { throw BenchError("gatewatch exited while reading the fleet") }
            defer { before = now }
            if now - before < 0.2 { loaded = Double(DispatchTime.now().uptimeNanoseconds - s0) / 1e6; break }
        }
        Thread.sleep(forTimeInterval: 2)
        guard let cpu0 = session.cpuSeconds else { throw BenchError("cannot read the CPU time of gatewatch") }
        let w0 = Date()
        Thread.sleep(forTimeInterval: seconds)
        guard let cpu1 = session.cpuSeconds else { throw BenchError("gatewatch exited while open") }
        let idle = (cpu1 - cpu0) / Date().timeIntervalSince(w0) * 100
        return Result(samples: scenario.sampleCount, samplesPerSecond: rate, storeMB: size, read: read, analysis: analysis,
                      startup: (startup, startup, startup), loaded: loaded, idleCPU: idle, peakMB: session.peakMB ?? .nan, bytesPerSample: bytesPerSample)
    }
}
