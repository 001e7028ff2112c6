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
}
