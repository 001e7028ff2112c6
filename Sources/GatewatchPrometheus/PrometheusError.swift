/// Why a Prometheus source could not be configured or read, worded for the source-health line and the CLI.
public enum PrometheusError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A problem in the `metrics:` section of the config (unknown key, bad template, bad value): the key's dotted path
    /// inside the section (empty for the section itself) and what is wrong with it.
    case configuration(key: String, message: String)
    /// A credential is named by an environment variable that is not set (or is empty).
    case missingEnvironmentVariable(name: String, purpose: String)
    /// The server answered with Prometheus' error envelope (`{"status":"error","errorType":…,"error":…}`).
    case server(status: Int, errorType: String, message: String, query: String)
    /// The server answered with something that is not the Prometheus API (an HTML page, plain text, a proxy's error).
    case unexpectedResponse(status: Int, detail: String)
    /// The answer was Prometheus JSON but not of the expected shape.
    case malformedResponse(String)
    /// A series of the answer lacks a label the metrics contract needs (usually a custom query that aggregates it away).
    case missingLabels(metric: String, labels: [String], series: String, query: String)
    /// The transport failed: connection refused, timeout, TLS (the sentence comes from `HTTPConnection`).
    case transport(String)

    public var description: String {
        switch self {
        case .configuration(let key, let message):
            return "metrics (prometheus): " + (key.isEmpty ? "" : key + ": ") + message
        case .missingEnvironmentVariable(let name, let purpose):
            return "metrics (prometheus): environment variable \(name) is not set (it should hold the \(purpose))"
        case .server(let status, let errorType, let message, let query):
            return "Prometheus rejected the query (HTTP \(status), \(errorType)): \(message) — query: \(query)"
        case .unexpectedResponse(let status, let detail):
            return "Prometheus answered HTTP \(status) with \(detail)"
        case .malformedResponse(let detail):
            return "Prometheus sent an answer that cannot be read: \(detail)"
        case .missingLabels(let metric, let labels, let series, let query):
            let names = labels.joined(separator: ", ")
            return "the query for \(metric) returned a series without the label\(labels.count == 1 ? "" : "s") \(names): \(series)"
                + " — the query must keep \(names) (e.g. `sum by (release, arm, segment…)`), or `mapping:` name the labels the"
                + " exporter uses; query: \(query)"
        case .transport(let text):
            return text
        }
    }
}
