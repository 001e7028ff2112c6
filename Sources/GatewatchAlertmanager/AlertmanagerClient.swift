import Foundation
import GatewatchCore
import GatewatchHTTP

/// Alertmanager's API v2 (tested against Debian's 0.25): silences (`POST /api/v2/silences`, `DELETE
/// /api/v2/silence/{id}`, `GET /api/v2/silences?filter=…`) and alerts (`GET /api/v2/alerts?filter=…`). Every failure
/// is an `AlertmanagerError`; nothing here retries (the caller says what did not happen).
public final class AlertmanagerClient: AlertSource {
    public let options: AlertmanagerOptions
    private let connection: HTTPConnection

    public init(options: AlertmanagerOptions, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.options = options
        do {
            connection = try HTTPConnection(baseURL: options.url, credentials: try options.credentials(environment: environment),
                                            timeout: options.timeout, tls: options.tls,
                                            headers: try HeaderOption.resolve(options.headers, environment: environment))
        } catch let error as HeaderOption.Problem {
            throw AlertmanagerError.configuration(key: error.key, message: error.message)
        } catch let error as HTTPError {
            throw AlertmanagerError.configuration(key: "url", message: error.description)
        }
    }

    public func createSilence(_ request: SilenceRequest) throws -> String {
        let body: [String: Any] = [
            "matchers": request.matchers.map { ["name": $0.name, "value": $0.value, "isRegex": false, "isEqual": true] as [String: Any] },
            "startsAt": TimeText.iso(request.startsAt), "endsAt": TimeText.iso(request.endsAt),
            "createdBy": request.createdBy, "comment": request.comment,
        ]
        let answer = try send { try connection.post("/api/v2/silences", json: try JSONSerialization.data(withJSONObject: body)) }
        guard let object = answer as? [String: Any], let id = object["silenceID"] as? String, !id.isEmpty else {
            throw AlertmanagerError.malformed("no silenceID in the answer to a new silence")
        }
        return id
    }

    public func expireSilence(id: String) throws {
        let path = "/api/v2/silence/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-"))) ?? id)
        _ = try send(allowEmpty: true) { try connection.send(method: "DELETE", path, json: Data()) }
    }

    public func silences(release: String) throws -> [Silence] {
        let answer = try send { try connection.get("/api/v2/silences", query: [URLQueryItem(name: "filter", value: Self.filter(release))]) }
        guard let list = answer as? [[String: Any]] else { throw AlertmanagerError.malformed("silences are not a list") }
        return list.compactMap { s -> Silence? in
            guard let id = s["id"] as? String, let status = s["status"] as? [String: Any],
                  let state = (status["state"] as? String).flatMap(Silence.State.init(rawValue:)) else { return nil }
            let matchers = (s["matchers"] as? [[String: Any]] ?? []).compactMap { m -> Matcher? in
                guard let name = m["name"] as? String, let value = m["value"] as? String, m["isRegex"] as? Bool != true,
                      m["isEqual"] as? Bool != false else { return nil }
                return Matcher(name, value)
            }
            return Silence(id: id, matchers: matchers, state: state, startsAt: Self.time(s["startsAt"]), endsAt: Self.time(s["endsAt"]),
                           createdBy: s["createdBy"] as? String ?? "", comment: s["comment"] as? String ?? "")
        }.filter { $0.state != .expired }
    }

    public func alerts(release: String) throws -> [HeldAlert] {
        let query = [URLQueryItem(name: "filter", value: Self.filter(release)), URLQueryItem(name: "silenced", value: "true"),
                     URLQueryItem(name: "inhibited", value: "true"), URLQueryItem(name: "active", value: "true")]
        let answer = try send { try connection.get("/api/v2/alerts", query: query) }
        guard let list = answer as? [[String: Any]] else { throw AlertmanagerError.malformed("alerts are not a list") }
        return list.compactMap { a -> HeldAlert? in
            guard let labels = a["labels"] as? [String: String], let status = a["status"] as? [String: Any] else { return nil }
            let state = (status["state"] as? String).flatMap(HeldAlert.State.init(rawValue:)) ?? .unprocessed
            return HeldAlert(labels: labels, state: state, silencedBy: status["silencedBy"] as? [String] ?? [], startsAt: Self.time(a["startsAt"]))
        }.sorted { ($0.name, $0.labels["segment"] ?? "") < ($1.name, $1.labels["segment"] ?? "") }
    }

    // MARK: Helpers

    /// `release="<slug>"`, quoted as Alertmanager's matcher syntax reads it.
    static func filter(_ release: String) -> String {
        "release=\"" + release.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// `2026-12-08T00:51:00.000Z` (fractions dropped); 0 when it cannot be read.
    static func time(_ value: Any?) -> Timestamp {
        guard let text = value as? String, text.count >= 19 else { return 0 }
        return TimeText.parseISO(String(text.prefix(19)) + "Z") ?? 0
    }

    /// Runs a request; an error status, a transport failure or an answer that is not JSON becomes an `AlertmanagerError`.
    private func send(allowEmpty: Bool = false, _ request: () throws -> HTTPResponse) throws -> Any {
        let response: HTTPResponse
        do { response = try request() } catch let error as HTTPError { throw AlertmanagerError.transport(error.description) }
        let text = String(decoding: response.body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard (200..<300).contains(response.status) else {
            // Alertmanager sends its error as a JSON string (`"silence not found"`).
            let message = (try? JSONSerialization.jsonObject(with: response.body, options: [.fragmentsAllowed])) as? String ?? text
            throw AlertmanagerError.server(status: response.status, message: connection.redacting(message.isEmpty ? "no message" : String(message.prefix(300))))
        }
        if allowEmpty && response.body.isEmpty { return [String: Any]() }
        do {
            return try JSONSerialization.jsonObject(with: response.body, options: [.fragmentsAllowed])
        } catch {
            throw AlertmanagerError.malformed("not JSON: \(text.prefix(120))")
        }
    }
}
