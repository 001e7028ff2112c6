/// Which part of the decision system a release changes.
public enum ChangeObjectKind: String, Codable, Sendable, CaseIterable {
    case model
    case threshold
    case policy
}

/// One changed object of a release, with the version it moves from and to.
public struct ChangeObject: Codable, Sendable, Hashable {
    public var kind: ChangeObjectKind
    public var from: String
    public var to: String

    public init(kind: ChangeObjectKind, from: String, to: String) {
        self.kind = kind
        self.from = from
        self.to = to
    }

    /// True when the object really changes.
    public var changes: Bool { from != to }
}
