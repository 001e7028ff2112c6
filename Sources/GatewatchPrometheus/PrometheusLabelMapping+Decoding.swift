import Foundation
import GatewatchCore

extension PrometheusLabelMapping {
    /// Keys of `mapping:`.
    public static let knownKeys = ["release", "arm", "segment", "action", "outcome", "names"]

    /// A YAML value of the section: text, a list or a map (the keys take either a short or a long form).
    enum Value: Decodable, Equatable {
        case text(String)
        case list([Value])
        case map([String: Value])

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let text = try? c.decode(String.self) {
                self = .text(text)
            } else if let list = try? c.decode([Value].self) {
                self = .list(list)
            } else if let map = try? c.decode([String: Value].self) {
                self = .map(map)
            } else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "must be text, a list or a map")
            }
        }

        var shape: String {
            switch self {
            case .text: "text"
            case .list: "a list"
            case .map: "a map"
            }
        }
    }

    /// The mapping a `mapping:` section describes; throws `PrometheusError.configuration` naming the key
    /// (`mapping.arm.champion`).
    static func parse(_ value: Value) throws -> PrometheusLabelMapping {
        guard case .map(let section) = value else { throw problem("", "must be a map of \(knownKeys.joined(separator: ", "))") }
        for key in section.keys.sorted() where !knownKeys.contains(key) {
            throw problem(key, "unknown key (known: \(knownKeys.joined(separator: ", ")))")
        }
        var m = PrometheusLabelMapping()
        switch section["release"] {
        case nil: break
        case .text(let label)?: m.releaseLabel = try labelName(label, "release")
        case .map(let release)?:
            for key in release.keys.sorted() where !["label", "value"].contains(key) {
                throw problem("release.\(key)", "unknown key (release has label and value, e.g. { label: model_release, value: \"fraud/{{release}}\" })")
            }
            m.releaseLabel = try labelName(try text(release["label"], "release.label") ?? "release", "release.label")
            if let pattern = try text(release["value"], "release.value") {
                let pieces = pattern.replacingOccurrences(of: "{{ release }}", with: "{{release}}").components(separatedBy: "{{release}}")
                guard pieces.count == 2 else {
                    throw problem("release.value", "`\(pattern)` must hold {{release}} exactly once (the slug's place in the label's value)")
                }
                (m.releasePrefix, m.releaseSuffix) = (pieces[0], pieces[1])
            }
        case let other?: throw problem("release", "must be a label name or { label, value }, not \(other.shape)")
        }
        switch section["arm"] {
        case nil: break
        case .text(let label)?: m.armLabel = try labelName(label, "arm")
        case .map(let arm)?:
            for key in arm.keys.sorted() where !["label", "champion", "challenger"].contains(key) {
                throw problem("arm.\(key)", "unknown key (arm has label, champion and challenger, e.g. { label: variant, champion: stable, challenger: canary })")
            }
            m.armLabel = try labelName(try text(arm["label"], "arm.label") ?? "arm", "arm.label")
            m.championValues = try values(arm["champion"], "arm.champion") ?? m.championValues
            m.challengerValues = try values(arm["challenger"], "arm.challenger") ?? m.challengerValues
            if let both = m.championValues.first(where: m.challengerValues.contains) {
                throw problem("arm", "\"\(both)\" is both a champion and a challenger value")
            }
        case let other?: throw problem("arm", "must be a label name or { label, champion, challenger }, not \(other.shape)")
        }
        switch section["segment"] {
        case nil: break
        case .text(let label)?: m.segment = .flattened(label: try labelName(label, "segment"))
        case .list(let items)?:
            guard !items.isEmpty else { throw problem("segment", "lists no label (write e.g. [market, surface])") }
            var dimensions: [Dimension] = []
            for (i, item) in items.enumerated() {
                let key = "segment.\(i)"
                switch item {
                case .text(let label): dimensions.append(Dimension(name: try dimensionName(label, key), label: try labelName(label, key)))
                case .map(let one) where one.count == 1:
                    let (name, value) = one.first!
                    guard case .text(let label) = value else { throw problem(key, "`\(name)` must name one label") }
                    dimensions.append(Dimension(name: try dimensionName(name, key), label: try labelName(label, "\(key).\(name)")))
                default:
                    throw problem(key, "must be a label name, or `{ market: country }` to read the segment's market from the label country")
                }
            }
            for (i, d) in dimensions.enumerated() where dimensions[..<i].contains(where: { $0.name == d.name || $0.label == d.label }) {
                throw problem("segment.\(i)", "`\(d.name)` (label \(d.label)) is listed twice")
            }
            m.segment = .labels(dimensions)
        case let other?: throw problem("segment", "must be a list of labels ([market, surface]) or one label holding the whole segment, not \(other.shape)")
        }
        if let action = try text(section["action"], "action") { m.actionLabel = try labelName(action, "action") }
        if let outcome = try text(section["outcome"], "outcome") { m.outcomeLabel = try labelName(outcome, "outcome") }
        switch section["names"] {
        case nil: break
        case .map(let names)?:
            for (family, value) in names.sorted(by: { $0.key < $1.key }) {
                let key = "names.\(family)"
                guard let f = MetricFamily(rawValue: family) else {
                    throw problem(key, "unknown metric `\(family)`; metrics: " + MetricFamily.allCases.map(\.rawValue).joined(separator: ", "))
                }
                guard case .text(let name) = value else { throw problem(key, "must be a metric name") }
                m.names[f] = try metricName(name, key, histogram: f.isHistogram)
            }
            let byName = Dictionary(grouping: MetricFamily.allCases, by: m.metricName)
            if let (name, families) = byName.first(where: { $0.value.count > 1 }) {
                throw problem("names", "`\(name)` is the name of " + families.map(\.rawValue).joined(separator: " and ") + "; each family needs its own series")
            }
        case let other?: throw problem("names", "must map contract metric names to the exporter's, not \(other.shape)")
        }
        try m.checkDistinctLabels()
        return m
    }

    /// Every label the mapping reads is a different one (two roles on one label would read one value as both).
    func checkDistinctLabels() throws {
        var roles: [(role: String, label: String)] = [("release", releaseLabel), ("arm", armLabel), ("action", actionLabel), ("outcome", outcomeLabel)]
        switch segment {
        case .flattened(let label): roles.append(("segment", label))
        case .labels(let dimensions): roles += dimensions.map { ("segment", $0.label) }
        }
        roles.insert(("the histograms' bucket bound", "le"), at: 0)
        for (i, r) in roles.enumerated() {
            if let first = roles[..<i].first(where: { $0.label == r.label }) {
                // action and outcome never share a series, so one label may serve both.
                if Set([first.role, r.role]) == ["action", "outcome"] { continue }
                throw Self.problem(r.role, "the label `\(r.label)` is already read as \(first.role)")
            }
        }
    }

    static func problem(_ key: String, _ message: String) -> PrometheusError {
        .configuration(key: key.isEmpty ? "mapping" : "mapping.\(key)", message: message)
    }

    static func text(_ value: Value?, _ key: String) throws -> String? {
        switch value {
        case nil: return nil
        case .text(let text)?: return text
        case let other?: throw problem(key, "must be text, not \(other.shape)")
        }
    }

    static func values(_ value: Value?, _ key: String) throws -> [String]? {
        let list: [String]
        switch value {
        case nil: return nil
        case .text(let text)?: list = [text]
        case .list(let items)?: list = try items.enumerated().map { i, item in try text(item, "\(key).\(i)")! }
        case let other?: throw problem(key, "must be a label value or a list of them, not \(other.shape)")
        }
        guard !list.isEmpty, !list.contains("") else { throw problem(key, "needs a label value that is not empty") }
        return list
    }

    /// A Prometheus label name (`[a-zA-Z_][a-zA-Z0-9_]*`, not one of the reserved `__…` names).
    static func labelName(_ name: String, _ key: String) throws -> String {
        guard isName(name, colon: false), !name.hasPrefix("__") else {
            throw problem(key, "`\(name)` is not a label name (letters, digits and _, not starting with a digit or __)")
        }
        return name
    }

    /// A name inside the flattened segment (`market` in `market=BR`): the characters that separate its parts are out.
    static func dimensionName(_ name: String, _ key: String) throws -> String {
        guard !name.isEmpty, !name.contains("="), !name.contains(","), name.trimmingCharacters(in: .whitespaces) == name else {
            throw problem(key, "`\(name)` cannot name a part of a segment (no =, comma or surrounding spaces)")
        }
        return name
    }

    /// A Prometheus metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`); a histogram's is its bucket series.
    static func metricName(_ name: String, _ key: String, histogram: Bool) throws -> String {
        guard isName(name, colon: true) else {
            throw problem(key, "`\(name)` is not a metric name (letters, digits, _ and :, not starting with a digit)")
        }
        if histogram && !name.hasSuffix("_bucket") {
            throw problem(key, "`\(name)` must name the histogram's bucket series (`\(name)_bucket`)")
        }
        return name
    }

    static func isName(_ name: String, colon: Bool) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (colon && first == ":") || (first.isASCII && first.properties.isAlphabetic) else {
            return false
        }
        return name.unicodeScalars.allSatisfy {
            $0 == "_" || (colon && $0 == ":") || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
        }
    }
}
