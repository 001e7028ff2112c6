import Foundation
import GatewatchCore

/// The PromQL that fetches one metric family of one release, with placeholders filled in per request.
///
/// Placeholders (written with double braces, spaces inside the braces allowed):
/// - `{{release}}`: the release slug, escaped for a PromQL double-quoted string, so write it inside quotes:
///   `gatewatch_decisions_total{release="{{release}}"}`. Every template must use it (otherwise the query would return
///   every release's series).
/// - `{{step}}`: the query step as a PromQL duration (`60s`), e.g. for `max_over_time(x[{{step}}])` when the server
///   scrapes more often than the step.
///
/// Any other placeholder is an error when the config is read. The result series must keep the labels the contract
/// needs for the metric (`arm`, `segment` where present, and `action`, `le` or `outcome`): a query that aggregates them
/// away fails at the first poll with an error naming the missing labels.
public struct PrometheusQueryTemplate: Sendable, Equatable {
    /// The metric family the template fetches.
    public let family: MetricFamily
    /// The template as written.
    public let text: String
    private let parts: [Part]

    enum Part: Sendable, Equatable {
        case literal(String)
        case release
        case step
    }

    /// Placeholder names a template may use.
    public static let placeholders = ["release", "step"]

    /// Parses `text`; throws `PrometheusError.configuration` for an unknown or unclosed placeholder, or when
    /// `{{release}}` is missing.
    public init(_ text: String, family: MetricFamily) throws {
        self.family = family
        self.text = text
        var parts: [Part] = []
        var rest = Substring(text)
        var sawRelease = false
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { parts.append(.literal(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw PrometheusError.configuration(key: "queries.\(family.rawValue)", message: "\"{{\" is not closed with \"}}\" in `\(text)`")
            }
            let name = String(rest[open.upperBound..<close.lowerBound]).trimmingCharacters(in: .whitespaces)
            switch name {
            case "release":
                parts.append(.release)
                sawRelease = true
            case "step":
                parts.append(.step)
            default:
                throw PrometheusError.configuration(
                    key: "queries.\(family.rawValue)", message: "unknown placeholder {{\(name)}} (known: "
                        + Self.placeholders.map { "{{\($0)}}" }.joined(separator: ", ") + ")")
            }
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        guard sawRelease else {
            throw PrometheusError.configuration(
                key: "queries.\(family.rawValue)", message: "the query does not use {{release}}, so it would fetch every release's series"
                    + " (write e.g. `\(family.rawValue){release=\"{{release}}\"}`)")
        }
        self.parts = parts
    }

    /// A template built from parts (the label mapping's queries); `text` is written back with `{{release}}`.
    init(family: MetricFamily, parts: [Part]) {
        self.family = family
        self.parts = parts
        text = parts.map { part in
            switch part {
            case .literal(let text): text
            case .release: "{{release}}"
            case .step: "{{step}}"
            }
        }.joined()
    }

    /// The default query of a family: its series with the release's label, e.g. `gatewatch_score_bucket{release="x"}`.
    public static func standard(_ family: MetricFamily) -> PrometheusQueryTemplate {
        PrometheusLabelMapping.contract.template(family)
    }

    /// The query for `release` at `step` seconds.
    public func render(release: String, step: Int64) -> String {
        var out = ""
        for part in parts {
            switch part {
            case .literal(let text): out += text
            case .release: out += Self.escape(release)
            case .step: out += "\(step)s"
            }
        }
        return out
    }

    /// `text` escaped for a PromQL double-quoted string (`PromQLString`).
    static func escape(_ text: String) -> String { PromQLString.escape(text) }
}
