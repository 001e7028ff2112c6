import Foundation
import GatewatchCore
import GatewatchHTTP

/// Turns what goes wrong between Gatewatch and an MLflow server into `RegistryError.unavailable` sentences that say
/// what happened and what to check: refused credentials (plain-text 401/403), the server's Host-header and
/// cross-origin guards, an HTML page where the REST API should be (wrong base URL or path prefix), MLflow's JSON
/// `{error_code, message}` errors, connection refused and timeouts. Secrets never appear in a message.
struct MLflowErrorMapper: Sendable {
    enum CredentialKind: Sendable { case none, bearer, basic }

    /// The server root as shown to the user, e.g. `http://127.0.0.1:5000`.
    let server: String
    let credentialKind: CredentialKind
    /// The variables that hold the credentials, e.g. `MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD`.
    let variables: String
    /// Texts no message may carry (credential forms, header values); a server's words are scrubbed of them.
    let secrets: [String]

    init(server: String, credentials: HTTPCredentials, variables: String, secrets: [String] = []) {
        self.server = server
        self.secrets = secrets.filter { $0.count >= 3 }
        switch credentials {
        case .none: credentialKind = .none
        case .bearer: credentialKind = .bearer
        case .basic: credentialKind = .basic
        }
        self.variables = variables
    }

    /// A transport failure (no HTTP answer): refused connection, timeout, TLS, DNS.
    func transport(_ error: Error, doing: String) -> RegistryError {
        let text = scrub((error as? HTTPError)?.description ?? "\(error)")
        let lower = text.lowercased()
        if lower.contains("connection refused") {
            return .unavailable("cannot connect to MLflow at \(server) (connection refused) while \(doing): check that the "
                                + "MLflow server is running and that registry.url names its host and port")
        }
        if lower.contains("did not answer within") {
            return .unavailable("MLflow at \(server) did not answer in time while \(doing) (\(text)): check that the server "
                                + "is up and not overloaded, or raise registry.timeout")
        }
        if lower.contains("tls") || lower.contains("certificate") || lower.contains("handshake") {
            return .unavailable("the TLS connection to MLflow at \(server) failed while \(doing) (\(text)): check "
                                + "registry.tls.ca_file, or the URL's scheme (http vs https)")
        }
        return .unavailable("MLflow at \(server) could not be reached while \(doing): \(text)")
    }

    /// An answer that is not a success and not one of MLflow's JSON errors (those go through `api`).
    func response(_ r: HTTPResponse, endpoint: String, doing: String) -> RegistryError {
        let body = scrub(Self.shortBody(r.text))
        switch r.status {
        case 401:
            switch credentialKind {
            case .none:
                return .unavailable("MLflow at \(server) requires authentication (401) for \(doing): set \(variables)")
            case .bearer:
                return .unavailable("MLflow at \(server) refused the token (401) while \(doing): check \(variables)")
            case .basic:
                return .unavailable("MLflow at \(server) refused the credentials (401) while \(doing): check \(variables)")
            }
        case 403:
            if body.lowercased().contains("host header") {
                return .unavailable("MLflow at \(server) rejected the Host header (403 \(body)) while \(doing): start the "
                                    + "server with --allowed-hosts including the host of registry.url")
            }
            if body.lowercased().contains("cross-origin") {
                return .unavailable("MLflow at \(server) blocked the request as cross-origin (403 \(body)) while \(doing): "
                                    + "check --cors-allowed-origins on the server or the proxy in front of it")
            }
            let who = credentialKind == .none ? "anonymous requests" : "the user of \(variables)"
            return .unavailable("MLflow at \(server) denied \(doing) (403\(body.isEmpty ? "" : " \(body)")): \(who) "
                                + "needs permission on the registered model (EDIT to write tags and aliases, MANAGE or admin to create models)")
        default:
            break
        }
        if r.isHTML {
            if server.contains("/api/") {
                return .unavailable("MLflow at \(server) answered \(doing) with an HTML page (HTTP \(r.status)): registry.url "
                                    + "must be the server root, without /api/2.0/mlflow (Gatewatch appends it)")
            }
            return .unavailable("MLflow at \(server) answered \(doing) with an HTML page (HTTP \(r.status)) instead of the "
                                + "REST API at \(endpoint): check registry.url — it must be the MLflow server root "
                                + "(e.g. http://host:5000, or the proxy prefix it is served under), and the server must be MLflow")
        }
        if r.status == 404 {
            return .unavailable("MLflow at \(server) has no endpoint \(endpoint) (404) for \(doing): check registry.url and "
                                + "that the server is MLflow 2.9 or later (model aliases)")
        }
        if r.status >= 500 {
            return .unavailable("MLflow at \(server) failed while \(doing) (HTTP \(r.status)\(body.isEmpty ? "" : ": \(body)")): "
                                + "see the server's log")
        }
        return .unavailable("MLflow at \(server) answered \(doing) with HTTP \(r.status)\(body.isEmpty ? "" : ": \(body)")")
    }

    /// One of MLflow's JSON errors that the caller did not expect.
    func api(status: Int, code: String, message: String, doing: String) -> RegistryError {
        .unavailable("MLflow at \(server) rejected \(doing) (HTTP \(status) \(code)): \(scrub(Self.shortBody(message)))")
    }

    /// A success answer whose JSON the registry cannot read.
    func undecodable(doing: String, detail: String) -> RegistryError {
        .unavailable("MLflow at \(server) answered \(doing) with data Gatewatch cannot read (\(detail)): check that "
                     + "registry.url points at an MLflow server")
    }

    /// `text` with every secret replaced by `[credential hidden]`.
    func scrub(_ text: String) -> String {
        secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: "[credential hidden]") }
    }

    /// The first line of a body, at most 160 characters.
    static func shortBody(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.count > 160 ? String(trimmed.prefix(160)) + "…" : trimmed
    }
}
