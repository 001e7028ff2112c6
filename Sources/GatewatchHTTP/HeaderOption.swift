import Foundation

/// One extra request header of a source, the `headers:` map of a `registry:` or `metrics:` section — a tenant for
/// Mimir or Cortex (`X-Scope-OrgID`), a key a proxy in front of the server wants:
///
/// ```yaml
/// headers:
///   X-Scope-OrgID: team-risk                 # the value itself
///   X-Api-Key: { env: GATEWAY_KEY }          # or read from an environment variable
///   X-Proxy-Token: { file: /run/secrets/px } # or from a file only its owner may access (mode 600)
/// ```
///
/// Header values are treated as secrets: they are never printed, and an error that would carry one is reworded
/// without it (`HTTPConnection.redacting`). Names must be HTTP tokens; headers Gatewatch sets itself
/// (`Authorization`, `Host`, `Content-Type`, …) are refused, credentials having their own keys. A value may not hold
/// a line break or other control character (no header injection).
public struct HeaderOption: Sendable, Equatable {
    /// Where the value comes from.
    public enum Value: Sendable, Equatable {
        case literal(String)
        case environment(String)
        case file(String)
    }

    public var name: String
    public var value: Value

    public init(name: String, value: Value) {
        self.name = name
        self.value = value
    }

    /// Headers Gatewatch writes itself, or that would change how the request is framed.
    public static let reserved: Set<String> = ["authorization", "host", "content-type", "content-length", "transfer-encoding",
                                               "connection", "accept", "te", "upgrade", "cookie", "proxy-authorization"]
    /// Most headers a source may add.
    public static let maxCount = 32
    /// Longest value accepted (bytes).
    public static let maxValueBytes = 8192

    /// Why a header cannot be used; `key` is its path under the section (`headers.X-Api-Key`).
    public struct Problem: Error, CustomStringConvertible, Equatable, Sendable {
        public let key: String
        public let message: String
        public var description: String { "\(key): \(message)" }
    }

    private typealias Key = ConfigKey

    /// The `headers:` map under `key` of `container`, in the file's order of names (sorted, as YAML maps have no order
    /// a decoder keeps); problems are `DecodingError`s at the header's path.
    public static func decodeList<K: CodingKey>(_ container: KeyedDecodingContainer<K>, forKey key: K) throws -> [HeaderOption] {
        guard container.contains(key) else { return [] }
        let map = try container.nestedContainer(keyedBy: Key.self, forKey: key)
        guard map.allKeys.count <= maxCount else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "more than \(maxCount) headers")
        }
        var out: [HeaderOption] = []
        for name in map.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
            func problem(_ message: String) -> DecodingError {
                DecodingError.dataCorruptedError(forKey: name, in: map, debugDescription: message)
            }
            if let message = nameProblem(name.stringValue) { throw problem(message) }
            if out.contains(where: { $0.name.lowercased() == name.stringValue.lowercased() }) {
                throw problem("given twice (header names ignore case)")
            }
            let value: Value
            if let text = try? map.decode(String.self, forKey: name) {
                value = .literal(text)
            } else {
                let source = try? map.nestedContainer(keyedBy: Key.self, forKey: name)
                guard let source, source.allKeys.count == 1, let which = source.allKeys.first,
                      ["env", "file"].contains(which.stringValue), let text = try? source.decode(String.self, forKey: which) else {
                    throw problem("must be a value, or { env: VARIABLE }, or { file: PATH }")
                }
                if which.stringValue == "env" {
                    guard Self.isEnvironmentName(text) else { throw problem("`env` must name an environment variable (like GATEWAY_KEY)") }
                    value = .environment(text)
                } else {
                    guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw problem("`file` must be the path of a file holding the value") }
                    value = .file(text)
                }
            }
            if case .literal(let text) = value, let message = valueProblem(text) { throw problem(message) }
            out.append(HeaderOption(name: name.stringValue, value: value))
        }
        return out
    }

    /// Whether `name` can name an environment variable: a letter or `_`, then ASCII letters, digits and `_`.
    public static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    /// Why `name` cannot be a header name, or nil.
    static func nameProblem(_ name: String) -> String? {
        // RFC 9110 token characters.
        let tchar = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".unicodeScalars)
        guard !name.isEmpty, name.unicodeScalars.allSatisfy({ tchar.contains($0) }) else {
            return "is not an HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)"
        }
        if reserved.contains(name.lowercased()) {
            return name.lowercased() == "authorization" || name.lowercased() == "proxy-authorization"
                ? "is set from the section's credential keys, not from headers"
                : "is set by Gatewatch itself and cannot be replaced"
        }
        return nil
    }

    /// Why `value` cannot be sent (a control character, too long), or nil. The value itself is never quoted.
    static func valueProblem(_ value: String) -> String? {
        if value.utf8.count > maxValueBytes { return "the value is longer than \(maxValueBytes) bytes" }
        if value.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7f }) {
            return "the value holds a line break or another control character"
        }
        if value.trimmingCharacters(in: .whitespaces).isEmpty { return "the value is empty" }
        return nil
    }

    /// The headers with their values read (variables from `environment`, files as secrets); a variable that is unset,
    /// a file that cannot be used or a value that cannot be sent is a `Problem` naming the header, never its value.
    public static func resolve(_ options: [HeaderOption], environment: [String: String]) throws(Problem) -> [HTTPHeaderField] {
        try options.map { (option) throws(Problem) -> HTTPHeaderField in
            let key = "headers.\(option.name)"
            let text: String
            switch option.value {
            case .literal(let value):
                text = value
            case .environment(let name):
                guard let value = environment[name], !value.isEmpty else {
                    throw Problem(key: key, message: "the environment variable \(name) is not set (it holds the value of \(option.name))")
                }
                text = value
            case .file(let path):
                do throws(SecretFile.Problem) {
                    text = try SecretFile.read(path, purpose: "value of the \(option.name) header")
                } catch {
                    throw Problem(key: key, message: error.description)
                }
            }
            if let message = valueProblem(text) { throw Problem(key: key, message: message) }
            return HTTPHeaderField(name: option.name, value: text)
        }
    }
}

/// A request header with its value, as sent.
public struct HTTPHeaderField: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
