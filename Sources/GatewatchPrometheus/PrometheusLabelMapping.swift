import GatewatchCore

/// How an exporter's series map to the metrics contract (DESIGN.md §4): the `mapping:` key of a Prometheus source.
///
/// ```yaml
/// mapping:
///   release: { label: model_release, value: "fraud/{{release}}" }   # or just `release: model_release`
///   arm: { label: variant, champion: stable, challenger: canary }   # a list of values per arm is allowed
///   segment: [market, surface]      # the labels whose values make the segment, in the spec's order;
///                                   # `{ market: country }` reads the segment's `market` from the label `country`;
///                                   # `segment: seg` reads one label that already holds `market=BR,surface=app`
///   action: decision                # the label holding allow/review/block (default `action`)
///   outcome: label_outcome          # the label holding tp/fp/tn/fn (default `outcome`)
///   names:                          # the exporter's metric name of each contract family
///     gatewatch_decisions_total: my_decisions_total
/// ```
///
/// From it Gatewatch builds each family's query, `my_decisions_total{model_release="fraud/v8"}`, and reads every
/// answer series through it: `variant="canary", market="EU", surface="web"` is the challenger's `market=EU,surface=web`.
/// Series that differ only in labels the mapping does not name (`instance`, `pod`) are the same contract series and
/// are summed after each is made monotonic (`PrometheusSeriesMerger`), which is what `sum by` in a template cannot do
/// across a pod's restart. A `queries` template replaces the built query of its family; its series are read through
/// the same mapping. Without `mapping:` the mapping is the contract's own names (`contract`).
public struct PrometheusLabelMapping: Sendable, Equatable {
    /// Where a series' segment comes from.
    public enum SegmentSource: Sendable, Equatable {
        /// One label holding the flattened segment (`market=BR,surface=app`), as the contract's `segment`.
        case flattened(label: String)
        /// Labels whose values make the segment: `(name in the segment, exporter label)`, in the segment's order.
        case labels([Dimension])
    }

    /// One part of a segment read from its own label.
    public struct Dimension: Sendable, Equatable {
        /// The name in the flattened segment (`market` in `market=BR`).
        public var name: String
        /// The exporter's label holding its value.
        public var label: String

        public init(name: String, label: String) {
            self.name = name
            self.label = label
        }
    }

    /// The label naming the release.
    public var releaseLabel: String
    /// The text around the slug in that label's value: `fraud/{{release}}` is prefix `fraud/`, suffix empty.
    public var releasePrefix: String
    public var releaseSuffix: String
    /// The label naming the arm, and its values for each arm.
    public var armLabel: String
    public var championValues: [String]
    public var challengerValues: [String]
    public var segment: SegmentSource
    /// The labels of the decisions' action and of the label outcomes.
    public var actionLabel: String
    public var outcomeLabel: String
    /// The exporter's metric names, by family; a family not named keeps the contract's name.
    public var names: [MetricFamily: String]

    /// The contract's own names: `release`, `arm` (`champion`/`challenger`), `segment`, `action`, `outcome`.
    public static let contract = PrometheusLabelMapping()

    public init(releaseLabel: String = "release", releasePrefix: String = "", releaseSuffix: String = "", armLabel: String = "arm",
                championValues: [String] = [Arm.champion.rawValue], challengerValues: [String] = [Arm.challenger.rawValue],
                segment: SegmentSource = .flattened(label: "segment"), actionLabel: String = "action", outcomeLabel: String = "outcome",
                names: [MetricFamily: String] = [:]) {
        self.releaseLabel = releaseLabel
        self.releasePrefix = releasePrefix
        self.releaseSuffix = releaseSuffix
        self.armLabel = armLabel
        self.championValues = championValues
        self.challengerValues = challengerValues
        self.segment = segment
        self.actionLabel = actionLabel
        self.outcomeLabel = outcomeLabel
        self.names = names
    }

    /// The exporter's name of `family`.
    public func metricName(_ family: MetricFamily) -> String {
        names[family] ?? family.rawValue
    }

    /// The value of the release label for `slug`.
    public func releaseValue(_ slug: String) -> String {
        releasePrefix + slug + releaseSuffix
    }

    /// The exporter's label holding the family's extra contract label (`action`, `le`, `outcome`), if it has one.
    public func extraLabel(_ family: MetricFamily) -> String? {
        switch family {
        case .decisions: return actionLabel
        case .labels: return outcomeLabel
        default: return family.extraLabel
        }
    }

    /// The built query of `family`: its series carrying the release's label value.
    public func template(_ family: MetricFamily) -> PrometheusQueryTemplate {
        PrometheusQueryTemplate(family: family, parts: [
            .literal("\(metricName(family)){\(releaseLabel)=\"\(PrometheusQueryTemplate.escape(releasePrefix))"),
            .release,
            .literal("\(PrometheusQueryTemplate.escape(releaseSuffix))\"}"),
        ])
    }

    /// The labels a series of `family` must carry (exporter names), in the order an error lists them.
    func neededLabels(_ family: MetricFamily) -> [String] {
        var needed: [String] = []
        if family.isPerArm {
            needed.append(armLabel)
            switch segment {
            case .flattened(let label): needed.append(label)
            case .labels(let dimensions): needed += dimensions.map(\.label)
            }
        }
        if let extra = extraLabel(family) { needed.append(extra) }
        return needed
    }

    /// What a series with `labels` is to the contract.
    enum Reading: Equatable {
        case key(SeriesKey)
        case skip(String)
        /// The series lacks these labels (exporter names): the query or the mapping is wrong for every series.
        case missing([String])
    }

    /// The contract series of an answer series of `family` for `release` (see `Reading`).
    func read(_ labels: [String: String], family: MetricFamily, release: String) -> Reading {
        let expected = releaseValue(release)
        if let other = labels[releaseLabel], other != expected {
            return .skip("\(releaseLabel) \"\(other)\" is not \"\(expected)\"")
        }
        let missing = neededLabels(family).filter { (labels[$0] ?? "").isEmpty }
        if !missing.isEmpty { return .missing(missing) }
        var key = SeriesKey(family)
        if family.isPerArm {
            let value = labels[armLabel]!
            if championValues.contains(value) {
                key.arm = .champion
            } else if challengerValues.contains(value) {
                key.arm = .challenger
            } else {
                let known = (championValues + challengerValues).map { "\"\($0)\"" }.joined(separator: ", ")
                return .skip("\(armLabel) \"\(value)\" is neither champion nor challenger (\(known))")
            }
            switch segment {
            case .flattened(let label): key.segment = labels[label]
            case .labels(let dimensions): key.segment = dimensions.map { "\($0.name)=\(labels[$0.label]!)" }.joined(separator: ",")
            }
        }
        if let name = extraLabel(family), let value = labels[name] {
            switch family {
            case .decisions:
                guard DecisionAction(rawValue: value) != nil else { return .skip("unknown action \(name)=\"\(value)\"") }
                key.extra = value
            case .labels:
                guard LabelOutcome(rawValue: value) != nil else { return .skip("unknown outcome \(name)=\"\(value)\"") }
                key.extra = value
            default:
                // As the OpenMetrics importer: the +Inf spellings become "+Inf", finite bounds keep their text.
                if ["+Inf", "Inf", "inf", "+inf"].contains(value) {
                    key.extra = "+Inf"
                } else if let bound = Double(value), bound.isFinite {
                    key.extra = value
                } else {
                    return .skip("bucket bound le=\"\(value)\" is not a number")
                }
            }
        }
        return .key(key)
    }
}
