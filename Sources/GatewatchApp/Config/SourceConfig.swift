import Foundation
import GatewatchCore
import GatewatchPrometheus
import GatewatchMLflow
import Yams

/// Where releases and their state live: the embedded SQLite store or an MLflow Model Registry.
public enum RegistryConfig: Sendable {
    /// `registry: {kind: sqlite, path: FILE}`; nil path: the command's own store (demo or `--store`).
    case sqlite(path: String?)
    /// `registry: {kind: mlflow, url: …}` (see `MLflowOptions`).
    case mlflow(MLflowOptions)
}

/// Where the metrics live: the embedded SQLite store or a Prometheus-compatible server.
public enum MetricsConfig: Sendable {
    /// `metrics: {kind: sqlite, path: FILE}`.
    case sqlite(path: String?)
    /// `metrics: {kind: prometheus, url: …}` (see `PrometheusOptions`).
    case prometheus(PrometheusOptions)
}

extension ConfigYAML {
    /// The `kind` of a source section, checked against `allowed`.
    func kind(_ section: Node, _ name: String, allowed: [String]) throws(InputError) -> String {
        guard let map = section.mapping else {
            throw error(section, "`\(name)` must be a mapping", hint: "e.g. `\(name): { kind: \(allowed[1]), url: http://127.0.0.1:\(name == "registry" ? 5000 : 9090) }`")
        }
        guard let kindNode = map["kind"] else {
            throw error(section, "`\(name)` needs a `kind`", hint: allowed.joined(separator: " or "))
        }
        let kind = try text(kindNode, "\(name).kind")
        guard allowed.contains(kind) else {
            throw error(kindNode, "`\(kind)` is not a \(name) kind", hint: allowed.joined(separator: " or "))
        }
        return kind
    }

    /// Decodes a source section with its `Decodable` options, turning decoding errors into `file:line:column`
    /// messages at the offending key.
    func options<T: Decodable>(_ type: T.Type, _ section: Node, _ name: String) throws(InputError) -> T {
        do {
            return try YAMLDecoder().decode(T.self, from: section)
        } catch let decoding as DecodingError {
            var node = section
            let path: [CodingKey]
            let message: String
            switch decoding {
            case .dataCorrupted(let c): path = c.codingPath; message = c.debugDescription
            case .keyNotFound(let key, let c): path = c.codingPath; message = "`\(key.stringValue)` is required"
            case .typeMismatch(_, let c), .valueNotFound(_, let c): path = c.codingPath; message = c.debugDescription
            @unknown default: path = []; message = "\(decoding)"
            }
            for key in path {
                if let next = node.mapping?[key.stringValue] { node = next }
            }
            let where_ = path.map(\.stringValue).joined(separator: ".")
            throw error(node, "\(name)\(where_.isEmpty ? "" : ".\(where_)"): \(message)")
        } catch {
            throw self.error(section, "\(name): \(error)")
        }
    }

    /// A plain `path:` of an embedded source section, if any.
    func path(_ section: Node, _ name: String) throws(InputError) -> String? {
        guard let map = section.mapping else { return nil }
        for (key, _) in map where !["kind", "path"].contains(key.string ?? "") {
            throw error(key, "unknown key `\(name).\(key.string ?? "?")` for kind sqlite", hint: "an embedded store has only `path`")
        }
        return try map["path"].map { node throws(InputError) in try text(node, "\(name).path") }
    }
}
