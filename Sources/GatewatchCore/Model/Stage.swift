/// The kind of a rollout stage.
public enum StageKind: String, Codable, Sendable, CaseIterable {
    case replay
    case shadow
    case canary
    case ab
    case full
}

/// One step of the stage plan.
public struct Stage: Codable, Sendable, Hashable {
    public var name: String
    public var kind: StageKind
    /// Percent of decisions served by the challenger (shadow: 0, the challenger only scores).
    public var trafficPercent: Double
    /// Minimum time in the stage before promotion, in seconds.
    public var bakeSeconds: Int64
    /// Whether promotion out of this stage needs a human approval.
    public var requiresApproval: Bool

    public init(name: String, kind: StageKind, trafficPercent: Double, bakeSeconds: Int64, requiresApproval: Bool = false) {
        self.name = name
        self.kind = kind
        self.trafficPercent = trafficPercent
        self.bakeSeconds = bakeSeconds
        self.requiresApproval = requiresApproval
    }

    enum CodingKeys: String, CodingKey {
        case name, kind, traffic, bake
        case requiresApproval = "requires_approval"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        kind = try c.decode(StageKind.self, forKey: .kind)
        trafficPercent = try c.decode(Double.self, forKey: .traffic)
        bakeSeconds = try c.decodeDurationIfPresent(.bake) ?? 0
        requiresApproval = try c.decodeIfPresent(Bool.self, forKey: .requiresApproval) ?? false
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(kind, forKey: .kind)
        try c.encode(trafficPercent, forKey: .traffic)
        try c.encode(bakeSeconds, forKey: .bake)
        try c.encode(requiresApproval, forKey: .requiresApproval)
    }

    /// Share of decisions served by each arm in this stage (shadow and replay serve none from the challenger).
    public func servedShare(_ arm: Arm) -> Double {
        let challenger: Double
        switch kind {
        case .replay, .shadow: challenger = 0
        case .full: challenger = 1
        case .canary, .ab: challenger = min(max(trafficPercent / 100, 0), 1)
        }
        return arm == .challenger ? challenger : 1 - challenger
    }

    /// Whether the challenger scores every decision without serving it.
    public var challengerShadows: Bool { kind == .shadow }
}
