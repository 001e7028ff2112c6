import Foundation
import GatewatchCore
import GatewatchOpenMetrics

/// OpenMetrics text as `gatewatch import` reads it. Errors are fine; a crash is not. A document that parses must
/// come back unchanged through `OpenMetricsWriter` (what `gatewatch export-openmetrics` writes) and the parser.
enum OpenMetricsFuzz {
    static func run(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        _ = try? OpenMetricsParser(requireTimestamps: false).rawSamples(text, file: "fuzz.om")
        guard let parsed = try? OpenMetricsParser().parse(text, file: "fuzz.om") else { return }
        _ = (parsed.sampleCount, parsed.seriesCount, parsed.skippedSampleCount)
        let written = OpenMetricsWriter.write(releases: parsed.releases)
        let again: OpenMetricsParser.Result
        do {
            again = try OpenMetricsParser().parse(written, file: "written.om")
        } catch {
            propertyFailed("the writer's text does not parse: \(error)\n\(written)")
        }
        guard same(parsed.releases, again.releases) else {
            propertyFailed("the writer's text reads back different samples\n\(written)")
        }
    }

    /// Equal releases, series and samples, NaN equal to NaN.
    static func same(_ a: [String: [SeriesKey: [Sample]]], _ b: [String: [SeriesKey: [Sample]]]) -> Bool {
        guard a.keys.sorted() == b.keys.sorted() else { return false }
        for (release, series) in a {
            guard let other = b[release], Set(series.keys) == Set(other.keys) else { return false }
            for (key, list) in series {
                let back = other[key]!
                guard list.count == back.count else { return false }
                for (x, y) in zip(list, back) where x.time != y.time || !(x.value == y.value || (x.value.isNaN && y.value.isNaN)) {
                    return false
                }
            }
        }
        return true
    }
}
