import ArgumentParser
import Foundation
import GatewatchApp
import GatewatchCore
import GatewatchSQLite

/// `gatewatch-bench poll`: one poll of a live source on the embedded store: the registry read, the samples that are
/// new since the last poll (one minute of every series), and the re-analysis with rule states resumed and the
/// settled looks of the sequential test kept — what the dashboard does every refresh.
struct PollBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "poll",
        abstract: "Time one incremental poll and re-evaluation of a synthetic release in a store file.")

    @Option(help: "Segments of the synthetic release.") var segments = 500
    @Option(help: "Hours of one-minute history already in the store.") var hours = 2
    @Option(help: "Polls, each after one more minute of samples was written.") var runs = 10

    func validate() throws {
        guard segments > 0, hours > 0, runs > 0 else { throw ValidationError("--segments, --hours and --runs must be positive") }
    }

    func run() throws {
        let r = try Self.measurePoll(segments: segments, hours: hours, runs: runs)
        print("gatewatch-bench poll: \(segments) segments, \(hours) h of history in a store file, \(runs) polls of one new minute")
        print(header())
        print(row("first poll: read all + full analysis (ms)", r.first))
        print(row("incremental poll + re-evaluation (ms)", r.poll))
        print(row("  sample rows read per poll", r.rows))
        print("{\"benchmark\":\"poll\",\"segments\":\(segments),\"hours\":\(hours),\"runs\":\(runs),"
              + "\"first_poll_ms\":\(json(r.first)),\"poll_ms\":\(json(r.poll)),\"rows_per_poll\":\(json(r.rows))}")
    }

    struct Result {
        var first, poll, rows: (median: Double, min: Double, max: Double)
    }

    static func measurePoll(segments: Int, hours: Int, runs: Int) throws -> Result {
        let start: Timestamp = 1_762_074_000
        let (release, data, _) = makeData(segments: segments, hours: hours + runs / 60 + 1, start: start)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gw-bench-poll-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("store.sqlite").path)
        let state = RolloutState(stageIndex: 0, stageEnteredAt: start, startedAt: start, status: .running)
        try store.create(release, state: state, event: AuditEvent(release: release.slug, time: start, actor: "bench", role: .owner,
                                                                 kind: .start, reason: "bench", fromState: "", toState: "canary"))
        func write(through end: Timestamp, after begin: Timestamp) throws {
            var batch: [SeriesKey: [Sample]] = [:]
            for (key, list) in data.series {
                let slice = list.filter { $0.time > begin && $0.time <= end }
                if !slice.isEmpty { batch[key] = slice }
            }
            try store.append(release: release.slug, samples: batch)
        }
        var now = start + Int64(hours * 3600)
        try write(through: now, after: .min)
        // A source that was just opened reads everything (the start-up poll).
        let source = LiveSource(slug: release.slug, registry: store, metricsStore: store, description: "bench")
        let t0 = DispatchTime.now().uptimeNanoseconds
        let firstAnalysis = try source.refresh(at: now)
        let first = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
        guard firstAnalysis.problem == nil, firstAnalysis.analysis.segments.count == segments else {
            throw BenchError("the first poll did not analyse every segment: \(firstAnalysis.problem ?? "")")
        }
        var times: [Double] = [], rows: [Double] = []
        for _ in 0..<runs {
            try write(through: now + 60, after: now)
            now += 60
            let t = DispatchTime.now().uptimeNanoseconds
            let result = try source.refresh(at: now)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6)
            rows.append(Double(store.lastSampleRowsRead))
            guard result.analysis.asOf == now else { throw BenchError("the poll did not move to the new minute") }
        }
        return Result(first: (first, first, first), poll: summary(times), rows: summary(rows))
    }
}
