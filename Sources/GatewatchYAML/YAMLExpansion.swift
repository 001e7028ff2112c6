import CYaml

/// Counts a YAML text's nodes with every alias expanded, from libyaml's event stream, before any node tree is built.
///
/// Composing the tree is not safe on its own: while it composes a mapping, Yams hashes the mapping's keys to find
/// duplicates, and hashing an aliased key visits its whole expansion, so a key such as `*a8` in a nine-level alias
/// bomb costs 9⁸ steps before a check on the finished tree could run. Here each anchor's expanded size is recorded
/// when its node ends, an alias adds the size of the node it names, and the count stops at the limit: one pass over
/// the events, however large the expansion. (Yams has no public event API; its libyaml module `CYaml` is used
/// directly for this one pass.)
enum YAMLExpansion {
    /// Throws `YAMLLimitError` when `yaml` expands to more than `maximumNodes` nodes, at the event that crossed the
    /// limit. Syntax errors are left for the composer, which reports them with Yams' messages.
    static func check(_ yaml: String, maximumNodes: Int) throws(YAMLLimitError) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(yaml.utf8)
        var crossed: (line: Int, column: Int)?
        bytes.withUnsafeMutableBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            crossed = walk(&parser, maximumNodes: maximumNodes)
        }
        if let crossed {
            throw YAMLLimitError(kind: .nodes, limit: maximumNodes, line: crossed.line, column: crossed.column)
        }
    }

    /// The 1-based position of the event whose expansion crossed the limit, or nil (also on a syntax error).
    private static func walk(_ parser: inout yaml_parser_t, maximumNodes: Int) -> (line: Int, column: Int)? {
        var anchors: [String: Int] = [:]
        // Expanded nodes so far in each open collection (the collection itself counted), with its anchor.
        var open: [(count: Int, anchor: String?)] = []
        var total = 0
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
            defer { yaml_event_delete(&event) }
            let mark = (line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
            var finished: Int?
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return nil
            case YAML_SCALAR_EVENT:
                finished = 1
                if let anchor = name(event.data.scalar.anchor) { anchors[anchor] = 1 }
            case YAML_ALIAS_EVENT:
                // An undefined alias counts one; the composer reports it.
                finished = name(event.data.alias.anchor).flatMap { anchors[$0] } ?? 1
            case YAML_SEQUENCE_START_EVENT:
                open.append((1, name(event.data.sequence_start.anchor)))
            case YAML_MAPPING_START_EVENT:
                open.append((1, name(event.data.mapping_start.anchor)))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let done = open.popLast() else { return nil }
                finished = done.count
                if let anchor = done.anchor { anchors[anchor] = done.count }
            default:
                break
            }
            guard let size = finished else { continue }
            // Sizes are capped at the limit + 1, so the sums below cannot overflow.
            if open.isEmpty {
                total = min(total + size, maximumNodes + 1)
                if total > maximumNodes { return mark }
            } else {
                open[open.count - 1].count = min(open[open.count - 1].count + size, maximumNodes + 1)
                if open[open.count - 1].count > maximumNodes { return mark }
            }
        }
    }

    private static func name(_ anchor: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        anchor.map { String(cString: $0) }
    }
}
