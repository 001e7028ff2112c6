/// One side of a comparison: the model in production, or the one being released.
public enum Arm: String, Codable, Sendable, CaseIterable, Hashable {
    case champion
    case challenger
}
