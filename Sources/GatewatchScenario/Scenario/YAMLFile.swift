import Foundation
import GatewatchCore
import GatewatchYAML
import Yams

/// Decodes YAML files into `Decodable` types and turns every failure into an `InputError` with the line and
/// column of the offending node. A file beyond `YAMLLimits` (an alias bomb) is refused before it is decoded.
public enum YAMLFile {
    public static func decode<T: Decodable>(_ type: T.Type, path: String) throws -> T {
        try decode(type, yaml: try read(path), file: path)
    }

    /// The text of `path`, or an `InputError` saying why it cannot be read.
    public static func read(_ path: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw InputError(file: path, message: "cannot read the file (\(error.localizedDescription))")
        }
    }

    public static func decode<T: Decodable>(_ type: T.Type, yaml text: String, file: String) throws -> T {
        do {
            _ = try YAMLLimits.compose(yaml: text)
            return try YAMLDecoder().decode(type, from: text)
        } catch let error as YAMLLimitError {
            throw locate(error, file: file)
        } catch let error as YamlError {
            throw locate(error, file: file)
        } catch let error as DecodingError {
            // Yams wraps syntax errors in DecodingError.dataCorrupted; their YamlError carries the position.
            if case .dataCorrupted(let context) = error, let yaml = context.underlyingError as? YamlError {
                throw locate(yaml, file: file)
            }
            throw locate(error, yaml: text, file: file)
        } catch {
            throw InputError(file: file, message: "\(error)")
        }
    }

    /// A document beyond `YAMLLimits`, at the node whose expansion crossed the limit.
    public static func locate(_ error: YAMLLimitError, file: String) -> InputError {
        InputError(file: file, line: error.line, column: error.column, message: error.message, hint: error.hint)
    }

    static func locate(_ error: YamlError, file: String) -> InputError {
        switch error {
        case .scanner(let context, let problem, let mark, _):
            return InputError(file: file, line: mark.line, column: mark.column, message: "YAML syntax: \(problem)\(context.map { " \($0.text)" } ?? "")",
                              hint: "check indentation and quoting")
        case .parser(let context, let problem, let mark, _):
            return InputError(file: file, line: mark.line, column: mark.column, message: "YAML syntax: \(problem)\(context.map { " \($0.text)" } ?? "")",
                              hint: "check indentation and quoting")
        case .composer(let context, let problem, let mark, _):
            return InputError(file: file, line: mark.line, column: mark.column, message: "YAML: \(problem)\(context.map { " \($0.text)" } ?? "")")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return InputError(file: file, line: context.mark.line, column: context.mark.column,
                              message: "duplicated keys: \(duplicates.joined(separator: ", "))", hint: "each key may appear only once in a mapping")
        default:
            return InputError(file: file, message: "YAML: \(error)")
        }
    }

    static func locate(_ error: DecodingError, yaml: String, file: String) -> InputError {
        guard let root = try? Yams.compose(yaml: yaml) else { return InputError(file: file, message: "\(error)") }
        return locate(error, root: root, file: file)
    }

    /// A decoding error at the node it is about, with a hint: the allowed values of an enum (and the closest one),
    /// or the misspelt key that was probably meant for a missing one.
    static func locate(_ error: DecodingError, root: Node, file: String) -> InputError {
        let path: [CodingKey]
        let message: String
        var hint: String? = nil
        switch error {
        case .keyNotFound(let key, let context):
            path = context.codingPath
            message = "missing key '\(key.stringValue)'" + (path.isEmpty ? "" : " in \(dotted(path))")
            hint = "add '\(key.stringValue):'"
            // A key that is one or two letters off is probably the missing one, misspelt: point at it.
            let keys: [Node] = node(at: path, in: root).mapping.map { Array($0.keys) } ?? []
            if let near = keys.first(where: { Spelling.closest(to: $0.string ?? "", among: [key.stringValue]) != nil }) {
                return InputError(file: file, line: near.mark?.line, column: near.mark?.column, message: message,
                                  hint: "`\(near.string ?? "")` here looks like a misspelling of `\(key.stringValue)`")
            }
        case .typeMismatch(let type, let context):
            path = context.codingPath
            message = path.isEmpty ? "the file must be a mapping of keys to values" : "\(dotted(path)): expected \(describe(type))"
        case .valueNotFound(let type, let context):
            path = context.codingPath
            message = "\(dotted(path)): missing \(describe(type)) value"
        case .dataCorrupted(let context):
            path = context.codingPath
            let detail = context.debugDescription
            if let (typeName, value) = invalidEnumValue(detail), let values = EnumValues.known[typeName] {
                message = "\(dotted(path)): unknown \(values.noun) `\(value)`"
                hint = (Spelling.closest(to: value, among: values.values).map { "did you mean `\($0)`? " } ?? "")
                    + "\(values.plural): " + values.values.joined(separator: ", ")
            } else if detail.contains("Cannot initialize") {
                message = "\(dotted(path)): \(detail.replacingOccurrences(of: "Cannot initialize ", with: "not a valid "))"
            } else {
                message = path.isEmpty ? detail : "\(dotted(path)): \(detail)"
            }
        @unknown default:
            path = []
            message = "\(error)"
        }
        let mark = node(at: path, in: root).mark
        return InputError(file: file, line: mark?.line, column: mark?.column, message: message, hint: hint)
    }

    /// `("RuleMetric", "bogus")` from Swift's "Cannot initialize RuleMetric from invalid String value bogus".
    static func invalidEnumValue(_ detail: String) -> (String, String)? {
        guard detail.hasPrefix("Cannot initialize "), let from = detail.range(of: " from invalid "),
              let value = detail.range(of: " value ", range: from.upperBound..<detail.endIndex) else { return nil }
        let typeName = String(detail[detail.index(detail.startIndex, offsetBy: "Cannot initialize ".count)..<from.lowerBound])
        return (typeName, String(detail[value.upperBound...]))
    }

    static func dotted(_ path: [CodingKey]) -> String {
        path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    }

    static func describe(_ type: Any.Type) -> String {
        switch "\(type)" {
        case "Double", "Int", "Int64", "UInt64": return "a number"
        case "String": return "text"
        case "Bool": return "true or false"
        default: return "\(type)"
        }
    }

    /// The position of the deepest node along `path` (the node itself, or its nearest existing parent).
    static func markOf(_ path: [CodingKey], in yaml: String) -> Mark? {
        guard let root = try? Yams.compose(yaml: yaml) else { return nil }
        return node(at: path, in: root).mark
    }

    /// The deepest node along `path` from `root`: the node itself, or its nearest existing parent.
    static func node<Path: Collection>(at path: Path, in root: Node) -> Node where Path.Element == CodingKey {
        var node = root
        for key in path {
            if let index = key.intValue, let seq = node.sequence, index < seq.count {
                node = seq[index]
            } else if let map = node.mapping, let child = map[key.stringValue] {
                node = child
            } else {
                break
            }
        }
        return node
    }

    /// A path of `YAMLDocument`'s walk (`#N` for list indexes) as text, e.g. `stages[2]`.
    static func dotted(_ path: [String]) -> String {
        dotted(path.map { $0.hasPrefix("#") ? PathKey(intValue: Int($0.dropFirst()) ?? 0) : PathKey(stringValue: $0) })
    }
}
