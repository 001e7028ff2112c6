/// What an operator may do. Enforced where actions are executed.
public enum Role: String, Codable, Sendable, CaseIterable {
    /// Promotes, rolls back, pauses.
    case owner
    /// Acknowledges, rolls back, pauses.
    case oncall
    /// Reads, writes notes, signs off reviews.
    case reviewer
    /// The rollout controller itself (automatic progression in the embedded demo).
    case controller

    /// The roles a person can hold, highest first (the controller is the rollout itself, never granted).
    public static let people: [Role] = [.owner, .oncall, .reviewer]

    /// Privilege order among `people`: owner 3, oncall 2, reviewer 1; the controller 0 (it is no person's).
    public var rank: Int {
        switch self {
        case .owner: return 3
        case .oncall: return 2
        case .reviewer: return 1
        case .controller: return 0
        }
    }

    /// `wanted` when it is a person's role no higher than this one (an owner acting as reviewer); nil when it
    /// would raise the privilege (`--as` can only lower it).
    public func lowered(to wanted: Role) -> Role? {
        guard wanted != .controller, self != .controller, wanted.rank <= rank else { return nil }
        return wanted
    }
}
