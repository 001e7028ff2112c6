import Foundation
import GatewatchCore
@testable import GatewatchHTTP
@testable import GatewatchPrometheus

/// A `query_range` answer body, as `PrometheusMetricsStore` reads it: decoded (as a 200 JSON answer, and as an error
/// status and an HTML page for the error paths), each series mapped to its contract series for every family, and
/// merged as two polls would (first half of the points, then the rest). A merged counter must never go down and
/// times must increase: the analysis reads a drop as a counter reset.
enum PrometheusFuzz {
    static func run(_ data: Data) {
        for (status, type) in [(400, "application/json"), (502, "text/html")] {
            _ = try? PrometheusResponse.decode(HTTPResponse(status: status, body: data, contentType: type), query: "q")
        }
        guard let answer = try? PrometheusResponse.decode(HTTPResponse(status: 200, body: data, contentType: "application/json"),
                                                          query: "q") else { return }
        let release = answer.series.first?.labels["release"] ?? "fuzz"
        var merger = PrometheusSeriesMerger()
        for family in MetricFamily.allCases {
            var first: [PrometheusSeriesMerger.Input] = []
            var rest: [PrometheusSeriesMerger.Input] = []
            for series in answer.series {
                _ = series.text
                guard case .key(let key)? = try? PrometheusMetricsStore.key(of: series, family: family, release: release, query: "q")
                else { continue }
                let half = series.points.count / 2
                first.append(.init(id: series.text, key: key, points: Array(series.points[..<half])))
                rest.append(.init(id: series.text, key: key, points: Array(series.points[half...])))
            }
            for inputs in [first, rest] {
                for (key, samples) in merger.merge(family, inputs) {
                    for (a, b) in zip(samples, samples.dropFirst()) {
                        if b.time <= a.time { propertyFailed("\(key): times do not increase (\(a.time), \(b.time))") }
                        if family.isCounter && b.value < a.value {
                            propertyFailed("\(key): the merged counter goes down (\(a.value) at \(a.time), \(b.value) at \(b.time))")
                        }
                    }
                }
            }
        }
    }
}
