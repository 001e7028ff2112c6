import Foundation
import GatewatchCore
import GatewatchYAML
import Yams

/// A YAML file decoded into a value, with its node tree kept to place problems found later at their line and column,
/// and warnings for the keys the decoded types do not know.
public struct YAMLDocument<Value: Decodable> {
    public var file: String
    public var value: Value
    /// The document's root node (marks are 1-based line and column).
    public var root: Node
    /// Keys no decoded type asked for, as `file:line:column: unknown key … (ignored) (hint: …)`, in file order.
    public var warnings: [InputError]

    /// Reads and decodes `path`. Throws `InputError` (syntax errors and decoding errors with their position).
    public static func load(path: String) throws -> YAMLDocument {
        try load(yaml: try YAMLFile.read(path), file: path)
    }

    /// Decodes `text`; `file` names it in messages. A document beyond `YAMLLimits` is refused before decoding.
    public static func load(yaml text: String, file: String) throws -> YAMLDocument {
        do {
            try YAMLLimits.checkText(text)
            let parser = try Parser(yaml: text, resolver: Resolver.basic.appending(.merge))
            return try withExtendedLifetime(parser) {
                let root = try parser.singleRoot() ?? ""
                let usage = KeyUsage()
                let value: Value
                do {
                    value = try YAMLDecoder().decode(Tracked<Value>.self, from: root, userInfo: [Tracked<Value>.usageKey: usage]).value
                } catch let error as DecodingError {
                    throw YAMLFile.locate(error, root: root, file: file)
                }
                let warnings = unknownKeys(in: root, at: [], usage: usage, file: file)
                return YAMLDocument(file: file, value: value, root: root, warnings: warnings)
            }
        } catch let error as YAMLLimitError {
            throw YAMLFile.locate(error, file: file)
        } catch let error as YamlError {
            throw YAMLFile.locate(error, file: file)
        }
    }

    /// The problem placed at the node its path names (or the nearest existing parent) as an `InputError`.
    public func error(_ problem: SpecProblem) -> InputError {
        let mark = YAMLFile.node(at: problem.path.map(\.codingKey), in: root).mark
        return InputError(file: file, line: mark?.line, column: mark?.column, message: problem.message, hint: problem.hint)
    }

    /// Problems as `InputError`s in file order (line, then column; problems without a position first).
    public func errors(_ problems: [SpecProblem]) -> [InputError] {
        problems.map(error).enumerated().sorted { a, b in
            let ka = (a.element.line ?? 0, a.element.column ?? 0, a.offset), kb = (b.element.line ?? 0, b.element.column ?? 0, b.offset)
            return ka < kb
        }.map(\.element)
    }

    static func unknownKeys(in node: Node, at path: [String], usage: KeyUsage, file: String) -> [InputError] {
        var found: [InputError] = []
        switch node {
        case .mapping(let mapping):
            let asked = usage.keys(at: path.joined(separator: "/"))
            for (keyNode, value) in mapping {
                let key = keyNode.string ?? ""
                if let asked, key != "<<", !asked.contains(key) {
                    let place = path.isEmpty ? "" : " in " + YAMLFile.dotted(path)
                    let known = asked.sorted()
                    let hint = Spelling.closest(to: key, among: known).map { "did you mean `\($0)`?" }
                        ?? (known.isEmpty ? nil : "known keys here: " + known.joined(separator: ", "))
                    found.append(InputError(file: file, line: keyNode.mark?.line, column: keyNode.mark?.column,
                                            message: "unknown key `\(key)`\(place) (ignored)", hint: hint))
                }
                found += unknownKeys(in: value, at: path + [key], usage: usage, file: file)
            }
        case .sequence(let sequence):
            for (i, item) in sequence.enumerated() {
                found += unknownKeys(in: item, at: path + ["#\(i)"], usage: usage, file: file)
            }
        default:
            break
        }
        return found
    }
}

/// Decodes `Value` through a `KeyTrackingDecoder` that records into the `KeyUsage` passed in `userInfo`.
struct Tracked<Value: Decodable>: Decodable {
    static var usageKey: CodingUserInfoKey { CodingUserInfoKey(rawValue: "gatewatch.keyUsage")! }
    var value: Value

    init(from decoder: Decoder) throws {
        guard let usage = decoder.userInfo[Self.usageKey] as? KeyUsage else {
            value = try Value(from: decoder)
            return
        }
        value = try Value(from: KeyTrackingDecoder(inner: decoder, usage: usage))
    }
}

extension SpecPathComponent {
    var codingKey: CodingKey {
        switch self {
        case .key(let key): return PathKey(stringValue: key)
        case .index(let index): return PathKey(intValue: index)
        }
    }
}

/// A coding key built from a path component.
struct PathKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue; intValue = nil }
    init(intValue: Int) { stringValue = "\(intValue)"; self.intValue = intValue }
}
