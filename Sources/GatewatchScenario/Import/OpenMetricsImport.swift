import Foundation
import GatewatchCore
import GatewatchOpenMetrics
import GatewatchSQLite

/// Loads an OpenMetrics file into the embedded store.
///
/// All or nothing: the whole file is parsed and checked before the first write, so a bad line anywhere (the last one
/// included) leaves the store untouched, and every release is then written in one transaction. Stored samples are
/// history and are never replaced: a sample already stored with the same value is left as it is (the summary counts
/// it), one that gives another value for the same series and time is an error at its line, and nothing of the file
/// is written.
public enum OpenMetricsImporter {
    public struct Summary: Sendable, Equatable {
        public struct ReleaseCount: Sendable, Equatable {
            public var release: String
            public var series: Int
            public var samples: Int
            /// NaN samples (staleness markers), which the store does not keep.
            public var nanSamples: Int
        }

        public var releases: [ReleaseCount]
        /// Samples of series outside the metrics contract, by metric name.
        public var skipped: [String: Int]
        /// Samples the store already held with the same value (a re-import of overlapping files), left as they were.
        public var alreadyPresent = 0

        public var sampleCount: Int { releases.reduce(0) { $0 + $1.samples } }

        /// The lines the CLI prints.
        public var lines: [String] {
            var out = releases.map { r in
                "\(r.release): \(r.samples) samples in \(r.series) series" + (r.nanSamples > 0 ? " (\(r.nanSamples) NaN samples not stored)" : "")
            }
            if releases.isEmpty { out.append("no contract series found") }
            if alreadyPresent > 0 { out.append("\(alreadyPresent) samples already present with the same values, left as they were") }
            if !skipped.isEmpty {
                let names = skipped.keys.sorted().map { "\($0) (\(skipped[$0]!))" }
                out.append("skipped \(skipped.values.reduce(0, +)) samples of \(skipped.count) series outside the contract: " + names.joined(separator: ", "))
            }
            return out
        }
    }

    /// Reads `path` as UTF-8 text.
    public static func read(_ path: String) throws -> String {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw InputError(file: path, message: "cannot read the file: \((error as NSError).localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            let (line, column) = firstInvalidUTF8(in: data)
            throw InputError(file: path, line: line, column: column, message: "the file is not UTF-8 text here",
                             hint: "OpenMetrics text is UTF-8; convert the file, e.g. with iconv")
        }
        return text
    }

    /// The 1-based line and column (in characters before it) of the first byte sequence that is not UTF-8.
    static func firstInvalidUTF8(in data: Data) -> (line: Int, column: Int) {
        var line = 1, column = 1
        var decoder = UTF8()
        var bytes = data.makeIterator()
        while true {
            switch decoder.decode(&bytes) {
            case .scalarValue(let scalar):
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            case .emptyInput, .error:
                return (line, column)
            }
        }
    }

    /// Parses `text` (named `file` in errors) completely, then appends it to `store` in one transaction: all or nothing.
    /// A sample dated after `notAfter` (the clock plus the allowed skew) is refused at its line, and so is one that
    /// contradicts a stored sample; then nothing is written.
    @discardableResult
    public static func load(_ text: String, file: String, into store: SQLiteStore, notAfter: Timestamp? = nil) throws -> Summary {
        let parser = OpenMetricsParser(requireTimestamps: true, notAfter: notAfter)
        let parsed = try parser.parse(text, file: file)
        var counts: [Summary.ReleaseCount] = []
        for release in parsed.releases.keys.sorted() {
            let samples = parsed.releases[release]!
            let all = samples.values.joined()
            counts.append(.init(release: release, series: samples.count, samples: all.count, nanSamples: all.filter { $0.value.isNaN }.count))
        }
        let present: Int
        do {
            present = try store.append(releases: parsed.releases)
        } catch let conflict as SampleConflict {
            let line = parser.line(of: conflict.key, release: conflict.release, time: conflict.time, in: text, file: file)
            throw InputError(file: file, line: line, column: line.map { _ in 1 }, message: "conflicting sample: \(conflict)",
                             hint: "stored samples are never replaced; nothing of this file was imported")
        }
        return Summary(releases: counts, skipped: parsed.skipped, alreadyPresent: present)
    }

    /// Reads and loads the file at `path`.
    @discardableResult
    public static func load(path: String, into store: SQLiteStore, notAfter: Timestamp? = nil) throws -> Summary {
        try load(try read(path), file: path, into: store, notAfter: notAfter)
    }
}

/// The history of a scenario as the embedded store holds it after running in memory for a while.
public enum OpenMetricsExport {
    /// Runs `scenario` in an in-memory store for `after` seconds of simulated time and returns the release slug and
    /// every sample up to the simulated clock (labels that arrive later are not included).
    public static func scenarioHistory(_ scenario: Scenario, after: Int64) throws -> (release: String, samples: [SeriesKey: [Sample]]) {
        let store = try SQLiteStore()
        let driver = try DemoDriver(scenario: scenario, store: store)
        try driver.advance(to: scenario.simulation.start + after)
        let slug = scenario.release.slug
        return (slug, try store.samples(release: slug, after: nil, through: driver.clock))
    }

    /// The scenario's history as an OpenMetrics document.
    public static func document(_ scenario: Scenario, after: Int64) throws -> String {
        let history = try scenarioHistory(scenario, after: after)
        return OpenMetricsWriter.write(release: history.release, samples: history.samples)
    }
}
