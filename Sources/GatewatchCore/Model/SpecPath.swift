/// One step from a spec document's root to one of its nodes: a mapping key as the file spells it, or a list index.
/// Written as literals: `["stages", 2, "traffic"]`.
public enum SpecPathComponent: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case key(String)
    case index(Int)

    public init(stringLiteral value: String) { self = .key(value) }
    public init(integerLiteral value: Int) { self = .index(value) }

    public var description: String {
        switch self {
        case .key(let key): return key
        case .index(let index): return "[\(index)]"
        }
    }
}

/// A path into a spec document, e.g. `["stop_rules", 1, "threshold"]`.
public typealias SpecPath = [SpecPathComponent]

extension Array where Element == SpecPathComponent {
    /// The path as text, e.g. `stop_rules[1].threshold`.
    public var dotted: String {
        var text = ""
        for component in self {
            switch component {
            case .key(let key): text += text.isEmpty ? key : "." + key
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }
}
