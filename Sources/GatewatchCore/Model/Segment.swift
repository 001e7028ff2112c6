/// A labelled slice of traffic, e.g. `market=BR,surface=app`. The flattened text is the `segment` label of the metrics.
public struct Segment: Codable, Sendable, Hashable, Comparable {
    /// The flattened label set, as it appears in the `segment` label.
    public var key: String

    public init(_ key: String) { self.key = key }

    /// The label pairs of the key, in written order.
    public var labels: [(name: String, value: String)] {
        key.split(separator: ",").map { part in
            let pieces = part.split(separator: "=", maxSplits: 1).map(String.init)
            return (pieces.first ?? "", pieces.count > 1 ? pieces[1] : "")
        }
    }

    public init(from decoder: Decoder) throws {
        key = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(key)
    }

    public static func < (lhs: Segment, rhs: Segment) -> Bool { lhs.key < rhs.key }
}
