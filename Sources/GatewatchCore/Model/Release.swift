/// One planned change of a decision system: what changes, the stage plan, the stop rules and the segments watched.
public struct Release: Codable, Sendable, Hashable {
    /// Stable identifier, e.g. `fraud-scoring-v8`.
    public var slug: String
    public var title: String
    /// The registered model name.
    public var model: String
    public var championVersion: String
    public var challengerVersion: String
    public var owner: String
    public var changes: [ChangeObject]
    public var stages: [Stage]
    public var rules: [StopRule]
    public var segments: [Segment]
    public var gates: GatePolicy
    /// Score thresholds of the decision policy (block at or above `block`, review at or above `review`).
    public var thresholds: ScoreThresholds
    /// Review queue depth at which the manual-review team is overwhelmed.
    public var reviewQueueLimit: Double?
    /// Limits on segment-level quality deltas (checked by the segment-guardrails gate).
    public var guardrails: [Guardrail] = []
    /// The smallest change of each metric worth detecting (`minimum_detectable_effects`, on the metric's scale):
    /// the always-valid test of a metric without a guardrail is tuned to it (see `tau(for:)`).
    public var minimumDetectableEffects: [QualityMetric: Double] = [:]
    /// The variance inflation of clustered traffic (`design_effect`, ≥ 1; nil: decisions are independent), for
    /// decisions that come in groups (several per user, session or merchant): every interval and test widens by its
    /// square root. Estimate it from the traffic (1 + (m − 1)·ICC for clusters of m decisions with intra-cluster
    /// correlation ICC) or from an A/A release.
    public var designEffect: Double?
    /// The planned A/B decision: the power its sample sizes are planned for (`power`, default 0.8) and the level of
    /// its two-sided fixed-horizon test (`alpha`, default 0.05). The metrics with a minimum detectable effect are the
    /// primary metrics; an A/B stage waits for their planned samples (the `planned_samples` gate).
    public var power: Double = 0.8
    public var alpha: Double = 0.05

    public init(slug: String, title: String, model: String, championVersion: String, challengerVersion: String,
                owner: String, changes: [ChangeObject], stages: [Stage], rules: [StopRule], segments: [Segment],
                gates: GatePolicy = GatePolicy(), thresholds: ScoreThresholds = ScoreThresholds(), reviewQueueLimit: Double? = nil) {
        self.slug = slug
        self.title = title
        self.model = model
        self.championVersion = championVersion
        self.challengerVersion = challengerVersion
        self.owner = owner
        self.changes = changes
        self.stages = stages
        self.rules = rules
        self.segments = segments
        self.gates = gates
        self.thresholds = thresholds
        self.reviewQueueLimit = reviewQueueLimit
    }

    enum CodingKeys: String, CodingKey {
        case slug, title, model, owner, changes, stages, segments, gates, thresholds
        case championVersion = "champion"
        case challengerVersion = "challenger"
        case rules = "stop_rules"
        case reviewQueueLimit = "review_queue_limit"
        case guardrails
        case minimumDetectableEffects = "minimum_detectable_effects"
        case designEffect = "design_effect"
        case power, alpha
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        slug = try c.decode(String.self, forKey: .slug)
        title = try c.decodeIfPresent(String.self, forKey: .title) ?? slug
        model = try c.decode(String.self, forKey: .model)
        championVersion = try c.decode(String.self, forKey: .championVersion)
        challengerVersion = try c.decode(String.self, forKey: .challengerVersion)
        owner = try c.decodeIfPresent(String.self, forKey: .owner) ?? "unknown"
        changes = try c.decodeIfPresent([ChangeObject].self, forKey: .changes) ?? []
        stages = try c.decode([Stage].self, forKey: .stages)
        rules = try c.decodeIfPresent([StopRule].self, forKey: .rules) ?? []
        segments = try c.decodeIfPresent([Segment].self, forKey: .segments) ?? []
        gates = try c.decodeIfPresent(GatePolicy.self, forKey: .gates) ?? GatePolicy()
        thresholds = try c.decodeIfPresent(ScoreThresholds.self, forKey: .thresholds) ?? ScoreThresholds()
        reviewQueueLimit = try c.decodeIfPresent(Double.self, forKey: .reviewQueueLimit)
        guardrails = try c.decodeIfPresent([Guardrail].self, forKey: .guardrails) ?? []
        minimumDetectableEffects = try c.decodeIfPresent([QualityMetric: Double].self, forKey: .minimumDetectableEffects) ?? [:]
        designEffect = try c.decodeIfPresent(Double.self, forKey: .designEffect)
        power = try c.decodeIfPresent(Double.self, forKey: .power) ?? 0.8
        alpha = try c.decodeIfPresent(Double.self, forKey: .alpha) ?? 0.05
    }

    /// The primary metrics of an A/B decision, in the metrics' order: those with a minimum detectable effect.
    public var primaryMetrics: [QualityMetric] { QualityMetric.allCases.filter { minimumDetectableEffects[$0] != nil } }

    /// The design effect the statistics use: the spec's when it is valid (1 to 100), else 1 (an invalid one is a spec
    /// problem at its key).
    public var effectiveDesignEffect: Double {
        guard let d = designEffect, d.isFinite, d >= 1, d <= 100 else { return 1 }
        return d
    }

    /// The mixing standard deviation of the always-valid test of `metric` and where it comes from: the guardrail's
    /// `max_worsening` (the effect the gate must rule in or out), else the spec's minimum detectable effect, else
    /// the metric's default.
    public func tau(for metric: QualityMetric) -> (tau: Double, source: SequentialEstimate.TauSource) {
        if let g = guardrails.first(where: { $0.metric == metric }), g.maxWorsening > 0, g.maxWorsening.isFinite { return (g.maxWorsening, .guardrail) }
        if let e = minimumDetectableEffects[metric], e > 0, e.isFinite { return (e, .minimumDetectableEffect) }
        return (metric.defaultTau, .default)
    }

    /// The change objects that really change.
    public var changedObjects: [ChangeObject] { changes.filter(\.changes) }

    /// True when more than one of model, threshold and policy changes (effects cannot be told apart).
    public var changesSeveralObjects: Bool { Set(changedObjects.map(\.kind)).count > 1 }

    /// Longest slug accepted.
    public static let maximumSlugLength = 100

    /// Why `slug` is not a usable release identifier, or nil. A slug names the release in the `release` label of
    /// every metric, in MLflow tag keys and in PromQL templates (`{{release}}`), so it is limited to ASCII letters,
    /// digits, `.`, `_` and `-`, starts with a letter or digit and has at most `maximumSlugLength` characters.
    /// The message shows the slug with every character that is not printable ASCII escaped (`\u{1B}`), so it is safe
    /// to print.
    public static func slugProblem(_ slug: String) -> String? {
        func allowed(_ s: Unicode.Scalar) -> Bool {
            s.isASCII && (("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) || s == "." || s == "_" || s == "-")
        }
        func hex4(_ v: UInt32) -> String {
            let h = String(v, radix: 16, uppercase: true)
            return String(repeating: "0", count: max(0, 4 - h.count)) + h
        }
        let scalars = slug.unicodeScalars
        let shown = String(scalars.prefix(maximumSlugLength + 20).map { s in
            s.value >= 0x20 && s.value < 0x7F && s != "\\" && s != "\"" ? String(s) : "\\u{" + String(s.value, radix: 16, uppercase: true) + "}"
        }.joined()) + (scalars.count > maximumSlugLength + 20 ? "…" : "")
        if let bad = scalars.first(where: { !allowed($0) }) {
            let what = bad.value < 0x20 || bad.value == 0x7F ? "a control character" : bad.isASCII ? "'\(bad)'" : "a non-ASCII character"
            return "slug \"\(shown)\" contains \(what) (U+\(hex4(bad.value))); a slug may only contain ASCII"
                + " letters, digits, '.', '_' and '-' (it names the release in metric labels, MLflow tags and queries) —"
                + " put free text in `title`"
        }
        if let first = scalars.first, first == "." || first == "_" || first == "-" {
            return "slug \"\(shown)\" must start with a letter or a digit"
        }
        if scalars.count > maximumSlugLength {
            return "slug is \(scalars.count) characters long, more than \(maximumSlugLength)"
        }
        return nil
    }
}

/// The score thresholds of the action policy.
public struct ScoreThresholds: Codable, Sendable, Hashable {
    public var review: Double
    public var block: Double

    public init(review: Double = 0.6, block: Double = 0.85) {
        self.review = review
        self.block = block
    }
}
