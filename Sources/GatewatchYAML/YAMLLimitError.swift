/// A YAML document beyond `YAMLLimits`: too long, or too many nodes once its aliases are expanded.
public struct YAMLLimitError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Which limit the document is beyond.
    public enum Kind: Sendable { case characters, nodes }

    public var kind: Kind
    public var limit: Int
    /// Position (1-based) of the node whose expansion crossed the limit, when known.
    public var line: Int?
    public var column: Int?

    public init(kind: Kind, limit: Int, line: Int?, column: Int?) {
        self.kind = kind
        self.limit = limit
        self.line = line
        self.column = column
    }

    /// The problem without a file name, e.g. `too many aliases/nodes after expanding anchors: limit 100000`.
    public var message: String {
        switch kind {
        case .characters: return "the file is too long to be read: limit \(limit) bytes"
        case .nodes: return "too many aliases/nodes after expanding anchors: limit \(limit)"
        }
    }

    /// How to get within the limit.
    public var hint: String {
        switch kind {
        case .characters: return "Gatewatch's YAML files are small; check that this is the file meant"
        case .nodes: return "an anchor referenced by aliases that are themselves referenced again multiplies; write the values out or reference fewer"
        }
    }

    public var description: String { message }
}
