import Yams

/// The bounds every YAML file Gatewatch reads must stay within, checked on the composed node tree before anything
/// decodes it. Anchors and aliases are shared in the tree, but a decoder (and any walk over the tree) visits an
/// aliased node once per reference, so nine lines of nested aliases (`l1: &a1 [*a0, *a0, …]`, …) expand to 9⁹
/// nodes. The text is checked before a tree is composed (composing hashes aliased mapping keys, which already
/// expands them; see `YAMLExpansion`), in one pass over its events that stops at the limit.
public enum YAMLLimits {
    /// Nodes a document may hold once every alias is expanded. Gatewatch's own files hold a few thousand at most.
    public static let maximumNodes = 100_000
    /// Characters a document may hold before it is parsed at all.
    public static let maximumCharacters = 10_000_000

    /// The single root of `yaml` (nil for an empty document), composed with `resolver`, or `YAMLLimitError` when
    /// the text or its expansion is beyond the limits. Syntax errors are thrown as Yams' `YamlError`.
    public static func compose(yaml: String, resolver: Resolver = .default, maximumNodes: Int = maximumNodes) throws -> Node? {
        try checkText(yaml, maximumNodes: maximumNodes)
        let parser = try Parser(yaml: yaml, resolver: resolver)
        return try withExtendedLifetime(parser) { try parser.singleRoot() }
    }

    /// Throws `YAMLLimitError` when `yaml` is longer than `maximumCharacters` or expands to more than
    /// `maximumNodes` nodes. Call it before handing the text to Yams in any form.
    public static func checkText(_ yaml: String, maximumNodes: Int = maximumNodes) throws(YAMLLimitError) {
        try checkSize(yaml)
        try YAMLExpansion.check(yaml, maximumNodes: maximumNodes)
    }

    /// Throws `YAMLLimitError` when `yaml` is longer than `maximumCharacters`.
    public static func checkSize(_ yaml: String) throws(YAMLLimitError) {
        let count = yaml.utf8.count
        guard count <= maximumCharacters else { throw YAMLLimitError(kind: .characters, limit: maximumCharacters, line: nil, column: nil) }
    }

    /// Throws `YAMLLimitError` when an already composed `root` expands to more than `maximumNodes` nodes (aliases
    /// followed), placed at the node whose expansion crossed the limit. Text not yet composed goes to `checkText`.
    public static func check(_ root: Node, maximumNodes: Int = maximumNodes) throws(YAMLLimitError) {
        var remaining = maximumNodes
        var stack: [Node] = [root]
        while let node = stack.popLast() {
            remaining -= 1
            if remaining < 0 {
                throw YAMLLimitError(kind: .nodes, limit: maximumNodes, line: node.mark?.line, column: node.mark?.column)
            }
            switch node {
            case .mapping(let mapping):
                for (key, value) in mapping {
                    stack.append(key)
                    stack.append(value)
                }
            case .sequence(let sequence):
                stack.append(contentsOf: sequence)
            case .scalar, .alias:
                break
            }
        }
    }
}
