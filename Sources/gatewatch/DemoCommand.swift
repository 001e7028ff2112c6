import ArgumentParser
import Foundation
import GatewatchCore
import GatewatchSQLite
import GatewatchScenario

/// `gatewatch demo --scenario scale`: generates a fleet of releases with many segments into an embedded store file
/// and writes a config that opens the dashboard on it.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate a scale scenario (many releases × many segments of one-minute data) into an embedded store.",
        discussion: """
            Every contract series of both arms in every segment gets one sample a minute over --history, ending at \
            --until (default: now). The same parameters give the same data. Beside the store it writes FILE.yaml; \
            open the dashboard with `gatewatch run --config FILE.yaml`.
            """)

    @Option(help: "Scenario to generate (only 'scale').") var scenario = "scale"
    @Option(help: "Segments per release.") var segments = 500
    @Option(help: "Releases.") var releases = 20
    @Option(help: ArgumentHelp("History of one-minute samples, e.g. 30m, 2h, 1d.", valueName: "duration")) var history = "1h"
    @Option(help: ArgumentHelp("Time of the last sample (ISO 8601, e.g. 2026-11-26T09:00:00Z; default: now).", valueName: "time"))
    var until: String?
    @Option(help: ArgumentHelp("Store file to write (default: $XDG_DATA_HOME/gatewatch/demo-scale.sqlite).", valueName: "path"))
    var store: String?
    @Flag(help: "Replace the store file if it exists.") var reset = false

    func validate() throws {
        guard scenario == "scale" else { throw ValidationError("unknown generated scenario '\(scenario)' (known: scale; the others run with `gatewatch run --scenario`)") }
        let seconds = try TimeOptions.duration(history, option: "--history", range: 60...DurationText.maximumSeconds, examples: "30m, 2h, 1d")
        if let until {
            guard let time = Self.parseTime(until) else { throw ValidationError("--until '\(until)' is not an ISO 8601 time like 2026-11-26T09:00:00Z") }
            // The first sample is --history before it, and none may be dated in the future.
            let latest = TimeOptions.latest(clock: 0)
            guard (seconds...latest).contains(time) else {
                throw ValidationError("--until \(until) is out of range: a time from \(TimeText.iso(seconds)) (1970 plus --history) to \(TimeText.iso(latest)) (now plus \(DurationText.format(FreshnessPolicy.defaultFutureSkew)))")
            }
        }
        if let problem = ScaleScenario(segments: segments, releases: releases, history: seconds, end: 0).problem {
            throw ValidationError(problem)
        }
    }

    static func parseTime(_ text: String) -> Timestamp? {
        ISO8601.parse(text)
    }

    func run() throws {
        let end = until.flatMap(Self.parseTime) ?? Timestamp(Date().timeIntervalSince1970)
        let generator = ScaleScenario(segments: segments, releases: releases, history: DurationText.parse(history)!, end: end)
        let path = store ?? DefaultStorePath.path(scenario: "scale")
        if FileManager.default.fileExists(atPath: path) {
            guard reset else { throw ValidationError("\(path) exists; add --reset to replace it, or --store to write another file") }
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        Console.err("gatewatch: writing \(releases) releases × \(segments) segments: \(generator.seriesCount) series × "
                    + "\(generator.steps) minutes = \(generator.sampleCount) samples into \(path)\n")
        let began = Date()
        let sqlite: SQLiteStore
        do { sqlite = try SQLiteStore(path: path) } catch { throw ValidationError("cannot create the store at \(path): \(error)") }
        var shown = -1
        try generator.write(into: sqlite) { written in
            let percent = written * 100 / max(1, generator.sampleCount)
            if percent / 10 != shown / 10 { shown = percent; Console.err("  \(percent)%\n") }
        }
        let seconds = Date().timeIntervalSince(began)
        let config = path + ".yaml"
        let quoted = "'" + path.replacingOccurrences(of: "'", with: "''") + "'"  // a YAML single-quoted scalar
        let yaml = "# Opens the scale scenario written by `gatewatch demo --scenario scale`.\n"
            + "registry:\n  kind: sqlite\n  path: \(quoted)\nmetrics:\n  kind: sqlite\n  path: \(quoted)\n"
        try yaml.write(toFile: config, atomically: true, encoding: .utf8)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        Console.out(String(format: "wrote %d samples in %.1f s (%.0f samples/s), %d MB; open it with: gatewatch run --config %@\n",
                           generator.sampleCount, seconds, Double(generator.sampleCount) / max(seconds, 0.001), bytes >> 20, config))
    }
}
