import Foundation

/// Rewrites an OpenMetrics document in the contract's names (as `gatewatch export-openmetrics` writes it) into the
/// names of a made-up exporter, for the label-mapping tests: written line by line here, independently of the
/// mapping code, so the test compares two separate readings of the same data.
///
/// The exporter (`mappingYAML` is its mapping):
/// - metric names `my_*`: `my_decisions_total`, `my_errors_total`, `my_latency_seconds_bucket`,
///   `my_risk_score_bucket`, `my_outcomes_total`, `my_review_backlog`, `my_review_capacity`;
/// - `model_release="prod/<slug>"`, `variant="stable"|"canary"`, `country` and `surface` for the segment
///   (`market=BR,surface=app` becomes `country="BR",surface="app"`), `decision` for the action;
/// - with `pods: true`, every series twice, `pod="a"` and `pod="b"`: a counter's value split in two halves
///   (`⌊v/2⌋` and the rest, so the sum is exact and each half stays monotonic; histogram buckets too), a gauge repeated.
public enum ExporterRenaming {
    /// Contract sample names → exporter sample names.
    public static let names: [String: String] = [
        "gatewatch_decisions_total": "my_decisions_total",
        "gatewatch_errors_total": "my_errors_total",
        "gatewatch_latency_seconds_bucket": "my_latency_seconds_bucket",
        "gatewatch_score_bucket": "my_risk_score_bucket",
        "gatewatch_labels_total": "my_outcomes_total",
        "gatewatch_review_queue_depth": "my_review_backlog",
        "gatewatch_review_capacity_per_hour": "my_review_capacity",
    ]

    /// The `mapping:` section (indented for a `metrics:` section) that reads the renamed series.
    public static let mappingYAML = """
        mapping:
          release: { label: model_release, value: "prod/{{release}}" }
          arm: { label: variant, champion: stable, challenger: canary }
          segment: [{ market: country }, surface]
          action: decision
          names:
            gatewatch_decisions_total: my_decisions_total
            gatewatch_errors_total: my_errors_total
            gatewatch_latency_seconds_bucket: my_latency_seconds_bucket
            gatewatch_score_bucket: my_risk_score_bucket
            gatewatch_labels_total: my_outcomes_total
            gatewatch_review_queue_depth: my_review_backlog
            gatewatch_review_capacity_per_hour: my_review_capacity
        """

    /// The document with every name and label rewritten (see the type's notes).
    public static func rename(_ document: String, pods: Bool = false) -> String {
        var out = ""
        var block: [String] = []
        var counter = false
        func flush() {
            guard !block.isEmpty else { return }
            if pods {
                for pod in ["a", "b"] { for line in block { out += rewrite(line, pod: pod, counter: counter) + "\n" } }
            } else {
                for line in block { out += rewrite(line, pod: nil, counter: counter) + "\n" }
            }
            block = []
        }
        for line in document.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("#") {
                flush()
                if line == "# EOF" { out += line + "\n"; continue }
                let words = line.split(separator: " ", maxSplits: 3).map(String.init)
                guard words.count >= 3 else { out += line + "\n"; continue }
                if words[1] == "TYPE" { counter = words.count > 3 && ["counter", "histogram"].contains(words[3]) }
                out += ([words[0], words[1], familyName(words[2])] + words.dropFirst(3)).joined(separator: " ") + "\n"
            } else if !line.isEmpty {
                block.append(line)
            }
        }
        flush()
        return out
    }

    /// The exporter's family name of a contract family name (`gatewatch_score` → `my_risk_score`).
    static func familyName(_ name: String) -> String {
        for (contract, exporter) in names {
            for suffix in ["_total", "_bucket", ""] where contract == name + suffix {
                return suffix.isEmpty ? exporter : String(exporter.dropLast(suffix.count))
            }
        }
        return name
    }

    static func rewrite(_ line: String, pod: String?, counter: Bool) -> String {
        guard let open = line.firstIndex(of: "{"), let close = line.lastIndex(of: "}") else { return line }
        let name = String(line[..<open])
        let rest = line[line.index(after: close)...].split(separator: " ").map(String.init)
        var labels: [(String, String)] = []
        for (key, value) in parseLabels(String(line[line.index(after: open)..<close])) {
            switch key {
            case "release": labels.append(("model_release", "prod/" + value))
            case "arm": labels.append(("variant", value == "champion" ? "stable" : value == "challenger" ? "canary" : value))
            case "segment":
                for part in value.split(separator: ",") {
                    let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
                    labels.append((pair[0] == "market" ? "country" : pair[0], pair.count > 1 ? pair[1] : ""))
                }
            case "action": labels.append(("decision", value))
            default: labels.append((key, value))
            }
        }
        var value = rest.first ?? ""
        if let pod {
            labels.append(("pod", pod))
            if counter, let v = Double(value), v.isFinite, v >= 0 {
                let half = (v / 2).rounded(.down)
                value = number(pod == "a" ? half : v - half)
            }
        }
        let text = labels.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",")
        return ([(names[name] ?? name) + "{" + text + "}", value] + rest.dropFirst()).joined(separator: " ")
    }

    static func parseLabels(_ text: String) -> [(String, String)] {
        var out: [(String, String)] = []
        var chars = Substring(text)
        while let eq = chars.firstIndex(of: "=") {
            let key = chars[..<eq].trimmingCharacters(in: CharacterSet(charactersIn: ", "))
            var i = chars.index(eq, offsetBy: 2)
            var value = ""
            while i < chars.endIndex, chars[i] != "\"" {
                if chars[i] == "\\", chars.index(after: i) < chars.endIndex {
                    i = chars.index(after: i)
                    value.append(chars[i] == "n" ? "\n" : chars[i])
                } else {
                    value.append(chars[i])
                }
                i = chars.index(after: i)
            }
            out.append((key, value))
            chars = i < chars.endIndex ? chars[chars.index(after: i)...] : ""
        }
        return out
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
    }
}
