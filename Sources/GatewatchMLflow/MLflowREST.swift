import Foundation
import GatewatchHTTP

/// The few MLflow Model Registry REST endpoints the registry uses (`/api/2.0/mlflow/...`), over `HTTPConnection`.
///
/// Every failure leaves as `RegistryError.unavailable` with a sentence from `MLflowErrorMapper`, except the answers
/// a caller expects, which come back as values: a missing model or version is `nil`, an existing model on create is
/// `false`. MLflow wants every scalar in a request body as a JSON string (a number for `version` is a 400), so bodies
/// are `[String: String]`.
struct MLflowREST: Sendable {
    static let apiPrefix = "/api/2.0/mlflow"

    let connection: HTTPConnection
    let errors: MLflowErrorMapper

    // MARK: Wire types (every field optional or defaulted: bad server data must not crash)

    struct Tag: Decodable, Sendable, Hashable {
        var key: String
        var value: String

        enum CodingKeys: String, CodingKey { case key, value }
        init(key: String, value: String) {
            self.key = key
            self.value = value
        }
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            key = try c.decode(String.self, forKey: .key)
            value = try c.decodeIfPresent(String.self, forKey: .value) ?? ""
        }
    }

    struct Alias: Decodable, Sendable, Hashable {
        var alias: String
        var version: String
    }

    struct RegisteredModel: Decodable, Sendable {
        var name: String
        var tags: [Tag]?
        var aliases: [Alias]?

        func tag(_ key: String) -> String? { tags?.first { $0.key == key }?.value }
        func alias(_ name: String) -> String? { aliases?.first { $0.alias == name }?.version }
    }

    struct ModelVersion: Decodable, Sendable {
        var name: String
        var version: String
        var tags: [Tag]?
        var aliases: [String]?
        var status: String?
    }

    private struct RegisteredModelEnvelope: Decodable { var registered_model: RegisteredModel? }
    private struct SearchEnvelope: Decodable {
        var registered_models: [RegisteredModel]?
        var next_page_token: String?
    }
    private struct ModelVersionEnvelope: Decodable { var model_version: ModelVersion? }

    // MARK: Calls

    /// The outcome of a request that reached MLflow's API: a success body or one of its JSON errors.
    enum Answer {
        case ok(Data)
        case apiError(status: Int, code: String, message: String)
    }

    private struct APIErrorBody: Decodable {
        var error_code: String?
        var message: String?
    }

    /// Sends one request; transport failures and non-API answers (HTML, plain-text 401/403) throw.
    func call(_ method: String, _ endpoint: String, query: [URLQueryItem] = [], body: [String: String]? = nil,
              doing: String) throws -> Answer {
        let path = Self.apiPrefix + "/" + endpoint
        let response: HTTPResponse
        do {
            switch method {
            case "GET":
                response = try connection.get(path, query: query)
            case "POST":
                response = try connection.post(path, json: Self.encode(body ?? [:]))
            default:
                response = try connection.send(method: method, path, json: Self.encode(body ?? [:]))
            }
        } catch {
            throw errors.transport(error, doing: doing)
        }
        let shownEndpoint = connection.url(path).absoluteString
        if (200..<300).contains(response.status) {
            if response.isHTML { throw errors.response(response, endpoint: shownEndpoint, doing: doing) }
            return .ok(response.body)
        }
        if !response.isHTML, let e = try? JSONDecoder().decode(APIErrorBody.self, from: response.body), let code = e.error_code {
            return .apiError(status: response.status, code: code, message: e.message ?? "")
        }
        throw errors.response(response, endpoint: shownEndpoint, doing: doing)
    }

    /// Sends a request that must succeed and decodes its answer.
    private func expect<T: Decodable>(_ type: T.Type, _ method: String, _ endpoint: String, query: [URLQueryItem] = [],
                                      body: [String: String]? = nil, doing: String) throws -> T {
        switch try call(method, endpoint, query: query, body: body, doing: doing) {
        case .ok(let data): return try decode(type, data, doing: doing)
        case .apiError(let status, let code, let message):
            throw errors.api(status: status, code: code, message: message, doing: doing)
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, _ data: Data, doing: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw errors.undecodable(doing: doing, detail: Self.describe(error))
        }
    }

    /// Sends a write whose answer carries nothing the caller needs.
    private func write(_ method: String, _ endpoint: String, body: [String: String], doing: String) throws {
        switch try call(method, endpoint, body: body, doing: doing) {
        case .ok: return
        case .apiError(let status, let code, let message):
            throw errors.api(status: status, code: code, message: message, doing: doing)
        }
    }

    static func encode(_ body: [String: String]) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(body)) ?? Data("{}".utf8)
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing field `\(key.stringValue)`"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "unexpected value at `\(context.codingPath.map(\.stringValue).joined(separator: "."))`"
        case DecodingError.dataCorrupted: return "not JSON"
        default: return "\(error)"
        }
    }

    // MARK: Registered models

    /// The registered model named `name`, or nil when it does not exist.
    func registeredModel(_ name: String) throws -> RegisteredModel? {
        let doing = "reading registered model '\(name)'"
        switch try call("GET", "registered-models/get", query: [URLQueryItem(name: "name", value: name)], doing: doing) {
        case .ok(let data):
            guard let model = try decode(RegisteredModelEnvelope.self, data, doing: doing).registered_model else {
                throw errors.undecodable(doing: doing, detail: "no registered_model in the answer")
            }
            return model
        case .apiError(_, "RESOURCE_DOES_NOT_EXIST", _):
            return nil
        case .apiError(let status, let code, let message):
            throw errors.api(status: status, code: code, message: message, doing: doing)
        }
    }

    /// Every registered model matching `filter` (MLflow's search syntax), all pages.
    func searchRegisteredModels(filter: String, doing: String) throws -> [RegisteredModel] {
        var models: [RegisteredModel] = []
        var token: String? = nil
        var pages = 0
        repeat {
            var query = [URLQueryItem(name: "filter", value: filter), URLQueryItem(name: "max_results", value: "1000")]
            if let token { query.append(URLQueryItem(name: "page_token", value: token)) }
            let page = try expect(SearchEnvelope.self, "GET", "registered-models/search", query: query, doing: doing)
            models += page.registered_models ?? []
            token = page.next_page_token.flatMap { $0.isEmpty ? nil : $0 }
            pages += 1
        } while token != nil && pages < 1000
        return models
    }

    /// Creates a registered model; false when it already exists.
    func createRegisteredModel(_ name: String, description: String) throws -> Bool {
        let doing = "creating registered model '\(name)'"
        switch try call("POST", "registered-models/create", body: ["name": name, "description": description], doing: doing) {
        case .ok: return true
        case .apiError(_, "RESOURCE_ALREADY_EXISTS", _): return false
        case .apiError(let status, let code, let message):
            throw errors.api(status: status, code: code, message: message, doing: doing)
        }
    }

    func setRegisteredModelTag(_ name: String, key: String, value: String) throws {
        try write("POST", "registered-models/set-tag", body: ["name": name, "key": key, "value": value],
                  doing: "writing tag \(key) on registered model '\(name)'")
    }

    /// Points `alias` at `version` (moving it if it pointed elsewhere).
    func setAlias(_ name: String, alias: String, version: String) throws {
        try write("POST", "registered-models/alias", body: ["name": name, "alias": alias, "version": version],
                  doing: "pointing alias '\(alias)' of model '\(name)' at version \(version)")
    }

    // MARK: Model versions

    /// Version `version` of model `name` with its tags, or nil when either does not exist.
    func modelVersion(_ name: String, _ version: String) throws -> ModelVersion? {
        let doing = "reading model '\(name)' version \(version)"
        let query = [URLQueryItem(name: "name", value: name), URLQueryItem(name: "version", value: version)]
        switch try call("GET", "model-versions/get", query: query, doing: doing) {
        case .ok(let data):
            guard let v = try decode(ModelVersionEnvelope.self, data, doing: doing).model_version else {
                throw errors.undecodable(doing: doing, detail: "no model_version in the answer")
            }
            return v
        case .apiError(_, "RESOURCE_DOES_NOT_EXIST", _):
            return nil
        case .apiError(let status, let code, let message):
            throw errors.api(status: status, code: code, message: message, doing: doing)
        }
    }

    /// Registers a new version of model `name`; MLflow numbers it (the next integer).
    func createModelVersion(_ name: String, source: String, description: String) throws -> ModelVersion {
        let doing = "creating a version of model '\(name)'"
        let answer = try expect(ModelVersionEnvelope.self, "POST", "model-versions/create",
                                body: ["name": name, "source": source, "description": description], doing: doing)
        guard let v = answer.model_version else { throw errors.undecodable(doing: doing, detail: "no model_version in the answer") }
        return v
    }

    func setModelVersionTag(_ name: String, _ version: String, key: String, value: String) throws {
        try write("POST", "model-versions/set-tag", body: ["name": name, "version": version, "key": key, "value": value],
                  doing: "writing tag \(key) on model '\(name)' version \(version)")
    }

    /// Deletes a tag (MLflow answers 200 when it did not exist).
    func deleteModelVersionTag(_ name: String, _ version: String, key: String) throws {
        try write("DELETE", "model-versions/delete-tag", body: ["name": name, "version": version, "key": key],
                  doing: "deleting tag \(key) on model '\(name)' version \(version)")
    }
}
