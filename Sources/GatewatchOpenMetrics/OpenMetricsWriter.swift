import GatewatchCore

/// Writes contract series as OpenMetrics text that `promtool tsdb create-blocks-from openmetrics` accepts (checked
/// against promtool 2.42, the Debian bookworm version):
/// - one `# HELP` / `# TYPE` (and `# UNIT` for latency) block per metric family, families never interleaved;
/// - counters are declared under the family name without `_total` (`# TYPE gatewatch_decisions counter`) and their
///   samples keep the `_total` suffix, as OpenMetrics requires;
/// - histograms are declared as `histogram` with `_bucket{le}` samples only (the contract has no `_sum`/`_count`;
///   OpenMetrics makes them optional and promtool accepts bucket-only histograms). Buckets are written point by point:
///   per (release, arm, segment), by time, then by bound;
/// - every other series is written sample by sample, sorted by time;
/// - timestamps in seconds, label values escaped (`\\`, `\"`, `\n`), `NaN`/`+Inf`/`-Inf`, ending with `# EOF`.
public enum OpenMetricsWriter {
    /// One release's samples as a complete OpenMetrics document.
    public static func write(release: String, samples: [SeriesKey: [Sample]]) -> String {
        write(releases: [release: samples])
    }

    /// Several releases' samples as one document (each family once, releases sorted by slug).
    public static func write(releases: [String: [SeriesKey: [Sample]]]) -> String {
        var out = ""
        for family in MetricFamily.allCases {
            var series: [(release: String, key: SeriesKey, samples: [Sample])] = []
            for release in releases.keys.sorted() {
                for (key, list) in releases[release]! where key.family == family && !list.isEmpty {
                    series.append((release, key, list.sorted { $0.time < $1.time }))
                }
            }
            guard !series.isEmpty else { continue }
            series.sort { ($0.release, $0.key) < ($1.release, $1.key) }
            let meta = metadata(family)
            out += "# HELP \(meta.name) \(meta.help)\n# TYPE \(meta.name) \(meta.type)\n"
            if let unit = meta.unit { out += "# UNIT \(meta.name) \(unit)\n" }
            if family.extraLabel == "le" {
                writeHistogram(series, to: &out)
            } else {
                for s in series {
                    let prefix = family.rawValue + labelSet(release: s.release, key: s.key) + " "
                    for sample in s.samples { out += prefix + value(sample.value) + " " + String(sample.time) + "\n" }
                }
            }
        }
        out += "# EOF\n"
        return out
    }

    /// Bucket series grouped into metric points: per (release, arm, segment), by time, then by bound.
    private static func writeHistogram(_ series: [(release: String, key: SeriesKey, samples: [Sample])], to out: inout String) {
        struct Point { var time: Timestamp; var bound: Double; var line: String }
        struct Group: Hashable { var release: String; var arm: Arm?; var segment: String? }
        var order: [Group] = []
        var points: [Group: [Point]] = [:]
        for s in series {
            let group = Group(release: s.release, arm: s.key.arm, segment: s.key.segment)
            if points[group] == nil { order.append(group) }
            let bound = s.key.extra.map { $0 == "+Inf" ? Double.infinity : Double($0) ?? .infinity } ?? .infinity
            let prefix = s.key.family.rawValue + labelSet(release: s.release, key: s.key) + " "
            for sample in s.samples {
                points[group, default: []].append(Point(time: sample.time, bound: bound,
                                                         line: prefix + value(sample.value) + " " + String(sample.time) + "\n"))
            }
        }
        for group in order {
            for p in points[group]!.sorted(by: { ($0.time, $0.bound) < ($1.time, $1.bound) }) { out += p.line }
        }
    }

    static func metadata(_ family: MetricFamily) -> (name: String, type: String, help: String, unit: String?) {
        switch family {
        case .decisions: return ("gatewatch_decisions", "counter", "Decisions served, by action.", nil)
        case .errors: return ("gatewatch_errors", "counter", "Scoring errors.", nil)
        case .latencyBucket: return ("gatewatch_latency_seconds", "histogram", "Scoring latency.", "seconds")
        case .scoreBucket: return ("gatewatch_score", "histogram", "Model score distribution.", nil)
        case .labels: return ("gatewatch_labels", "counter", "Labelled outcomes at the working threshold, by arrival time.", nil)
        case .reviewQueueDepth: return ("gatewatch_review_queue_depth", "gauge", "Decisions waiting for manual review.", nil)
        case .reviewCapacityPerHour: return ("gatewatch_review_capacity_per_hour", "gauge", "Reviews the team can handle per hour.", nil)
        }
    }

    /// `{release="…",arm="…",segment="…",extra="…"}` with the labels the key has.
    static func labelSet(release: String, key: SeriesKey) -> String {
        var parts = ["release=\"\(escape(release))\""]
        if let arm = key.arm { parts.append("arm=\"\(arm.rawValue)\"") }
        if let segment = key.segment { parts.append("segment=\"\(escape(segment))\"") }
        if let extra = key.extra, let name = key.family.extraLabel { parts.append("\(name)=\"\(escape(extra))\"") }
        return "{" + parts.joined(separator: ",") + "}"
    }

    /// A label value with `\`, `"` and newline escaped.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A sample value: integers without a fraction, otherwise the shortest text that reads back to the same Double.
    public static func value(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }
}
