import Foundation
import GatewatchHTTP

/// Plain REST reads of an MLflow Model Registry, independent of `MLflowRegistry`, to check what Gatewatch wrote
/// (the tag layout is described on `MLflowRegistry`): aliases and tags of a registered model, tags of a model version,
/// and a release's rollout states and audit events decoded from those tags.
public struct MLflowRESTReader: Sendable {
    public let connection: HTTPConnection

    public init(_ url: URL, credentials: HTTPCredentials = .none) throws {
        connection = try HTTPConnection(baseURL: url, credentials: credentials, timeout: 10)
    }

    /// One rollout state tag: `gatewatch.<slug>.state.<version>.<token>` = `{"state": {...}, "written_at": …}`.
    public struct StateTag: Sendable {
        public var version: Int
        public var token: String
        public var stageIndex: Int?
        public var status: String?
        /// The tag's value as written.
        public var json: String
    }

    /// One audit event tag: `gatewatch.<slug>.audit.<sequence>.<token>` = the event as JSON.
    public struct AuditTag: Sendable {
        public var sequence: Int
        public var kind: String?
        public var actor: String?
        /// The display name recorded beside the actor (`--operator`), if any.
        public var actorDisplay: String?
        public var role: String?
        public var reason: String?
        public var fromState: String?
        public var toState: String?
        public var json: String
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// `GET /api/2.0/mlflow/<path>?query` as a JSON object; fails on a status other than 200.
    public func json(_ path: String, _ query: [String: String]) throws -> [String: Any] {
        let r = try connection.get("/api/2.0/mlflow/" + path, query: query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) })
        guard r.status == 200 else { throw Failure(description: "GET \(path) \(query): HTTP \(r.status): \(r.text.prefix(500))") }
        guard let object = try JSONSerialization.jsonObject(with: r.body) as? [String: Any] else {
            throw Failure(description: "GET \(path) \(query): not a JSON object: \(r.text.prefix(500))")
        }
        return object
    }

    /// `registered-models/get` → `registered_model`.
    public func registeredModel(_ name: String) throws -> [String: Any] {
        guard let model = try json("registered-models/get", ["name": name])["registered_model"] as? [String: Any] else {
            throw Failure(description: "registered-models/get \(name): no registered_model")
        }
        return model
    }

    /// Alias → version of a registered model (`registered-models/get`; `model-versions/search` omits aliases).
    public func aliases(_ model: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for entry in (try registeredModel(model)["aliases"] as? [[String: Any]]) ?? [] {
            if let alias = entry["alias"] as? String { result[alias] = entry["version"] as? String }
        }
        return result
    }

    public func modelTags(_ model: String) throws -> [String: String] {
        Self.tags(try registeredModel(model)["tags"])
    }

    public func versionTags(_ model: String, _ version: String) throws -> [String: String] {
        let answer = try json("model-versions/get", ["name": model, "version": version])
        return Self.tags((answer["model_version"] as? [String: Any])?["tags"])
    }

    /// The release's state tags on the challenger version, oldest version first.
    public func states(model: String, version: String, slug: String) throws -> [StateTag] {
        let prefix = "gatewatch.\(slug).state."
        return try versionTags(model, version).compactMap { key, value -> StateTag? in
            guard key.hasPrefix(prefix) else { return nil }
            let parts = key.dropFirst(prefix.count).split(separator: ".")
            guard parts.count == 2, let number = Int(parts[0]) else { return nil }
            let state = (Self.object(value)?["state"] as? [String: Any]) ?? [:]
            return StateTag(version: number, token: String(parts[1]), stageIndex: state["stageIndex"] as? Int,
                            status: state["status"] as? String, json: value)
        }.sorted { ($0.version, $0.token) < ($1.version, $1.token) }
    }

    /// The release's audit events, by sequence number.
    public func auditEvents(model: String, version: String, slug: String) throws -> [AuditTag] {
        let prefix = "gatewatch.\(slug).audit."
        return try versionTags(model, version).compactMap { key, value -> AuditTag? in
            guard key.hasPrefix(prefix) else { return nil }
            let parts = key.dropFirst(prefix.count).split(separator: ".")
            guard parts.count == 2, let number = Int(parts[0]) else { return nil }
            let e = Self.object(value) ?? [:]
            return AuditTag(sequence: number, kind: e["kind"] as? String, actor: e["actor"] as? String, actorDisplay: e["actorDisplay"] as? String,
                            role: e["role"] as? String,
                            reason: e["reason"] as? String, fromState: e["fromState"] as? String, toState: e["toState"] as? String,
                            json: value)
        }.sorted { $0.sequence < $1.sequence }
    }

    static func tags(_ value: Any?) -> [String: String] {
        var result: [String: String] = [:]
        for tag in (value as? [[String: Any]]) ?? [] {
            if let k = tag["key"] as? String { result[k] = tag["value"] as? String ?? "" }
        }
        return result
    }

    static func object(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }
}
