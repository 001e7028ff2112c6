import Foundation
import GatewatchCore
import GatewatchHTTP
import GatewatchOpenMetrics

/// A decoded `/api/v1/query_range` answer: the matrix's series with their labels and points.
///
/// Accepts what Prometheus 2.x sends: timestamps as JSON numbers (integers or decimals), values as strings including
/// `NaN`, `+Inf` and `-Inf`, series in any order. Everything else becomes a `PrometheusError`: the error envelope
/// (`{"status":"error","errorType":…,"error":…}`, whatever the HTTP status), a non-JSON body (an HTML page, plain
/// text), or JSON of another shape. Nothing in a server's answer can crash the decoder.
public struct PrometheusResponse: Sendable {
    /// One series of the matrix.
    public struct Series: Sendable, Equatable {
        /// All labels, `__name__` included when the query keeps it.
        public var labels: [String: String]
        /// Points in the order the server sent them (time in seconds, value as sent).
        public var points: [(time: Timestamp, value: Double)]

        public init(labels: [String: String], points: [(time: Timestamp, value: Double)]) {
            self.labels = labels
            self.points = points
        }

        public static func == (a: Series, b: Series) -> Bool {
            a.labels == b.labels && a.points.count == b.points.count
                && zip(a.points, b.points).allSatisfy { $0.time == $1.time && ($0.value == $1.value || ($0.value.isNaN && $1.value.isNaN)) }
        }

        /// `name{a="1",b="2"}` with sorted labels, for messages and as an identity.
        public var text: String {
            let name = labels["__name__"] ?? ""
            let rest = labels.filter { $0.key != "__name__" }.sorted { $0.key < $1.key }
            return name + "{" + rest.map { "\($0.key)=\"\(OpenMetricsWriter.escape($0.value))\"" }.joined(separator: ",") + "}"
        }
    }

    public var series: [Series]
    /// Warnings the server attached to a successful answer.
    public var warnings: [String]

    /// Decodes `response` to the query `query` (quoted in errors).
    public static func decode(_ response: HTTPResponse, query: String) throws -> PrometheusResponse {
        let envelope: Envelope
        do {
            envelope = try JSONDecoder().decode(Envelope.self, from: response.body)
        } catch {
            throw notJSON(response, error)
        }
        if envelope.status != "success" {
            guard envelope.status == "error" || envelope.errorType != nil || envelope.error != nil else {
                throw PrometheusError.malformedResponse("status is \"\(envelope.status)\" (HTTP \(response.status))")
            }
            throw PrometheusError.server(status: response.status, errorType: envelope.errorType ?? "unknown",
                                         message: envelope.error ?? "(no message)", query: query)
        }
        guard (200..<300).contains(response.status) else {
            throw PrometheusError.unexpectedResponse(status: response.status, detail: "a success envelope: " + snippet(response.text))
        }
        guard let data = envelope.data else { throw PrometheusError.malformedResponse("a success answer without data") }
        guard data.resultType == "matrix" else {
            throw PrometheusError.malformedResponse("resultType is \"\(data.resultType)\", a range query gives \"matrix\"")
        }
        var series: [Series] = []
        series.reserveCapacity(data.result.count)
        for raw in data.result {
            var points: [(time: Timestamp, value: Double)] = []
            points.reserveCapacity(raw.values.count)
            for p in raw.values {
                guard p.time.isFinite, abs(p.time) < 1e12 else {
                    throw PrometheusError.malformedResponse("timestamp \(p.time) is not a time in seconds")
                }
                guard let value = parseValue(p.value) else {
                    throw PrometheusError.malformedResponse("sample value \"\(p.value.prefix(40))\" is not a number")
                }
                points.append((Timestamp(p.time.rounded()), value))
            }
            series.append(Series(labels: raw.metric, points: points))
        }
        return PrometheusResponse(series: series, warnings: envelope.warnings ?? [])
    }

    /// A sample value as Prometheus writes it (Go's `FormatFloat`): decimal or exponent form, `NaN`, `+Inf`, `-Inf`.
    static func parseValue(_ text: String) -> Double? {
        switch text {
        case "NaN": return .nan
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        default: break
        }
        guard !text.isEmpty, text.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 43 || $0 == 45 || $0 == 46 || $0 == 101 || $0 == 69 })
        else { return nil }
        return Double(text)
    }

    /// The error for a body that is not Prometheus JSON.
    static func notJSON(_ response: HTTPResponse, _ error: Error) -> PrometheusError {
        let text = response.text
        if response.body.isEmpty {
            return .unexpectedResponse(status: response.status, detail: "an empty body")
        }
        if response.isHTML {
            let title = text.range(of: "<title>", options: .caseInsensitive).flatMap { open in
                text.range(of: "</title>", options: .caseInsensitive, range: open.upperBound..<text.endIndex)
                    .map { String(text[open.upperBound..<$0.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines) }
            }
            return .unexpectedResponse(status: response.status, detail: "an HTML page" + (title.map { " (\"\(snippet($0))\")" } ?? "")
                + " instead of Prometheus JSON; check the url (a proxy or a wrong path?)")
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") {
            return .malformedResponse("HTTP \(response.status), JSON of an unexpected shape (\(describe(error))): \(snippet(trimmed))")
        }
        return .unexpectedResponse(status: response.status, detail: "text instead of Prometheus JSON: \"\(snippet(trimmed))\"")
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "no \(key.stringValue) at \(path(context))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type at \(path(context))"
        case DecodingError.dataCorrupted(let context):
            return context.debugDescription
        default:
            return "\(error)"
        }
    }

    static func path(_ context: DecodingError.Context) -> String {
        let p = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return p.isEmpty ? "the top" : String(p.drop { $0 == "." })
    }

    /// At most 200 characters of `text`, on one line.
    static func snippet(_ text: String) -> String {
        let line = text.replacingOccurrences(of: "\n", with: " ")
        return line.count > 200 ? String(line.prefix(200)) + "…" : line
    }

    // MARK: Wire format

    struct Envelope: Decodable {
        var status: String
        var data: MatrixData?
        var errorType: String?
        var error: String?
        var warnings: [String]?
    }

    struct MatrixData: Decodable {
        var resultType: String
        var result: [RawSeries]

        enum CodingKeys: String, CodingKey { case resultType, result }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            resultType = try c.decode(String.self, forKey: .resultType)
            // Only a matrix is read; other result shapes are reported by resultType.
            result = resultType == "matrix" ? try c.decodeIfPresent([RawSeries].self, forKey: .result) ?? [] : []
        }
    }

    struct RawSeries: Decodable {
        var metric: [String: String]
        var values: [RawPoint]

        enum CodingKeys: String, CodingKey { case metric, values }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            metric = try c.decodeIfPresent([String: String].self, forKey: .metric) ?? [:]
            // A series with only native-histogram points has no `values`.
            values = try c.decodeIfPresent([RawPoint].self, forKey: .values) ?? []
        }
    }

    /// `[1762074000, "12"]` or `[1762074000.5, "NaN"]`.
    struct RawPoint: Decodable {
        var time: Double
        var value: String

        init(from decoder: Decoder) throws {
            var c = try decoder.unkeyedContainer()
            time = try c.decode(Double.self)
            value = try c.decode(String.self)
        }
    }
}
