import Foundation
import Yams

/// Decodes YAML files into `Decodable` types and turns every failure into an `InputError` with the line and
/// column of the offending node.
public enum YAMLFile {
    public static func decode<T: Decodable>(_ type: T.Type, path: String) throws -> T {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw InputError(file: path, message: "cannot read the file (\(error.localizedDescription))")
        }
        return try decode(type, yaml: text, file: path)
    }

    public static func decode<T: Decodable>(_ type: T.Type, yaml text: String, file: String) throws -> T {
        do {
            return try YAMLDecoder().decode(type, from: text)
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
        default:
            return InputError(file: file, message: "YAML: \(error)")
        }
    }

    static func locate(_ error: DecodingError, yaml: String, file: String) -> InputError {
        let path: [CodingKey]
        let message: String
        var hint: String? = nil
        switch error {
        case .keyNotFound(let key, let context):
            path = context.codingPath
            message = "missing key '\(key.stringValue)'" + (path.isEmpty ? "" : " in \(dotted(path))")
            hint = "add '\(key.stringValue):'"
        case .typeMismatch(let type, let context):
            path = context.codingPath
            message = "\(dotted(path)): expected \(describe(type))"
        case .valueNotFound(let type, let context):
            path = context.codingPath
            message = "\(dotted(path)): missing \(describe(type)) value"
        case .dataCorrupted(let context):
            path = context.codingPath
            let detail = context.debugDescription
            if detail.contains("Cannot initialize") {
                message = "\(dotted(path)): \(detail.replacingOccurrences(of: "Cannot initialize ", with: "not a valid "))"
            } else {
                message = path.isEmpty ? detail : "\(dotted(path)): \(detail)"
            }
        @unknown default:
            path = []
            message = "\(error)"
        }
        let mark = markOf(path, in: yaml)
        return InputError(file: file, line: mark?.line, column: mark?.column, message: message, hint: hint)
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
        return node.mark
    }
}
