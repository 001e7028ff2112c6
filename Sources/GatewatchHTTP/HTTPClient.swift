import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOSSL

/// How a client proves who it is; secrets are read from environment variables named in the config, never stored.
public enum HTTPCredentials: Sendable, Equatable {
    case none
    case bearer(token: String)
    case basic(user: String, password: String)

    /// The `Authorization` header value, if any.
    var headerValue: String? {
        switch self {
        case .none: return nil
        case .bearer(let token): return "Bearer \(token)"
        case .basic(let user, let password): return "Basic \(Data("\(user):\(password)".utf8).base64EncodedString())"
        }
    }

    /// Every form of the secret that text could carry: the token or password, and the encoded `Authorization` value.
    public var secretForms: [String] {
        switch self {
        case .none: return []
        case .bearer(let token): return [token]
        case .basic(let user, let password): return [Data("\(user):\(password)".utf8).base64EncodedString(), password]
        }
    }

    /// `text` with every form of the secret that a server could echo back (the token or password, and the encoded
    /// `Authorization` value) replaced by `[credential hidden]`: for messages built from a server's answer.
    public func redacting(_ text: String) -> String {
        var out = text
        for form in secretForms where form.count >= 3 {
            out = out.replacingOccurrences(of: form, with: "[credential hidden]")
        }
        return out
    }
}

/// One HTTP answer: status, body and content type.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var body: Data
    public var contentType: String

    public init(status: Int, body: Data, contentType: String) {
        self.status = status
        self.body = body
        self.contentType = contentType
    }

    public var text: String { String(decoding: body, as: UTF8.self) }
    /// True when the server answered with HTML (an unknown endpoint or a proxy's error page).
    public var isHTML: Bool {
        contentType.lowercased().contains("html") || text.prefix(200).lowercased().contains("<html")
            || text.prefix(20).lowercased().hasPrefix("<!doctype")
    }
}

/// A transport failure, worded for the source-health line.
public struct HTTPError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A small synchronous HTTP connection for the registry and metrics sources. The sources are called from the
/// poller's own thread (or a command-line action), never from an event loop, so waiting on AsyncHTTPClient's future
/// with a deadline is the simplest correct shape.
public final class HTTPConnection: Sendable {
    public let baseURL: URL
    public let credentials: HTTPCredentials
    /// Seconds a request may take, connection included.
    public let timeout: Double
    /// Extra headers of every request (a tenant, a proxy's key); their values are secrets like the credentials.
    public let headers: [HTTPHeaderField]
    private let client: HTTPClient

    /// - Parameters:
    ///   - baseURL: e.g. `http://127.0.0.1:9090`; paths are appended to it.
    ///   - headers: sent with every request; `Authorization` and the headers Gatewatch sets itself are refused.
    public init(baseURL: URL, credentials: HTTPCredentials = .none, timeout: Double = 10, tls: TLSOptions = TLSOptions(),
                headers: [HTTPHeaderField] = []) throws {
        guard let scheme = baseURL.scheme?.lowercased(), scheme == "http" || scheme == "https", baseURL.host != nil else {
            throw HTTPError("'\(baseURL.absoluteString)' is not an http:// or https:// URL")
        }
        self.baseURL = baseURL
        self.credentials = credentials
        self.timeout = timeout
        for header in headers {
            if let problem = HeaderOption.nameProblem(header.name) ?? HeaderOption.valueProblem(header.value) {
                throw HTTPError("header \(header.name) \(problem)")
            }
        }
        self.headers = headers
        var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
        if !tls.verify { tlsConfiguration.certificateVerification = .none }
        if let caFile = tls.caFile {
            guard FileManager.default.isReadableFile(atPath: caFile) else { throw HTTPError("CA file \(caFile) cannot be read") }
            tlsConfiguration.additionalTrustRoots = [.file(caFile)]
        }
        if let (key, message) = tls.pairProblem { throw HTTPError("\(key) \(message)") }
        if let certFile = tls.clientCert, let keyFile = tls.clientKey {
            let chain: [NIOSSLCertificate]
            do {
                chain = try NIOSSLCertificate.fromPEMFile(certFile)
            } catch {
                throw HTTPError("client certificate \(certFile) cannot be read as PEM: \(error)")
            }
            guard !chain.isEmpty else { throw HTTPError("client certificate \(certFile) holds no certificate") }
            let keyText: String
            do {
                keyText = try SecretFile.read(keyFile, purpose: "private key of the TLS client certificate")
            } catch {
                throw HTTPError(error.description)
            }
            do {
                let key = try NIOSSLPrivateKey(bytes: Array(keyText.utf8), format: .pem)
                tlsConfiguration.certificateChain = chain.map { .certificate($0) }
                tlsConfiguration.privateKey = .privateKey(key)
            } catch {
                throw HTTPError("client key \(keyFile) is not an unencrypted PEM private key")
            }
        }
        let millis = Int64(max(0.1, timeout) * 1000)
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tlsConfiguration,
            timeout: .init(connect: .milliseconds(millis), read: .milliseconds(millis)))
        // A refused connection is an answer: report it at once instead of retrying until the deadline, so a dead
        // source shows as stale within a poll and never delays the registry read that actions depend on.
        configuration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    deinit { try? client.syncShutdown() }

    /// Every secret text a message could carry: the credentials' forms and the extra headers' values.
    public var secretForms: [String] { credentials.secretForms + headers.map(\.value) }

    /// `text` with every secret form (`secretForms`, three characters or more) replaced by `[credential hidden]`.
    public func redacting(_ text: String) -> String {
        var out = credentials.redacting(text)
        for header in headers where header.value.count >= 3 {
            out = out.replacingOccurrences(of: header.value, with: "[credential hidden]")
        }
        return out
    }

    /// A URL for `path` (relative to the base URL) with query items.
    public func url(_ path: String, query: [URLQueryItem] = []) -> URL {
        var base = baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        var components = URLComponents(string: base + (path.hasPrefix("/") ? path : "/" + path))!
        if !query.isEmpty {
            components.queryItems = query
            components.percentEncodedQuery = components.percentEncodedQuery.map(Self.escapeFormSeparators)
        }
        return components.url!
    }

    /// Escapes what `URLComponents` leaves in query values but servers read as syntax: `+` (a space in forms; PromQL
    /// uses it) and `;` (Go's `url.ParseQuery` rejects the whole pair, so a PromQL query containing one vanished).
    static func escapeFormSeparators(_ encodedQuery: String) -> String {
        encodedQuery.replacingOccurrences(of: "+", with: "%2B").replacingOccurrences(of: ";", with: "%3B")
    }

    /// GET `path` with query items.
    public func get(_ path: String, query: [URLQueryItem] = []) throws -> HTTPResponse {
        try send(method: .GET, url: url(path, query: query), body: nil, contentType: nil)
    }

    /// POST a JSON body (`Content-Type: application/json`).
    public func post(_ path: String, json: Data) throws -> HTTPResponse {
        try send(method: .POST, url: url(path), body: json, contentType: "application/json")
    }

    /// POST a form body (`application/x-www-form-urlencoded`), for long queries.
    public func post(_ path: String, form: [URLQueryItem]) throws -> HTTPResponse {
        var components = URLComponents()
        components.queryItems = form
        let encoded = Self.escapeFormSeparators(components.percentEncodedQuery ?? "")
        return try send(method: .POST, url: url(path), body: Data(encoded.utf8), contentType: "application/x-www-form-urlencoded")
    }

    /// Sends a request with another method (`DELETE`, `PATCH`) and a JSON body.
    public func send(method: String, _ path: String, json: Data) throws -> HTTPResponse {
        try send(method: HTTPMethod(rawValue: method), url: url(path), body: json, contentType: "application/json")
    }

    /// Sends a request and waits for the answer (at most `timeout` seconds).
    func send(method: HTTPMethod, url: URL, body: Data?, contentType: String?) throws -> HTTPResponse {
        let place = Self.endpoint(url)
        var request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(url: url, method: method, body: body.map { .data($0) })
        } catch {
            throw HTTPError("invalid request URL \(url.absoluteString): \(error)")
        }
        request.headers.add(name: "Accept", value: "application/json")
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if let auth = credentials.headerValue { request.headers.add(name: "Authorization", value: auth) }
        for header in headers { request.headers.add(name: header.name, value: header.value) }
        let deadline = NIODeadline.now() + .milliseconds(Int64(max(0.1, timeout) * 1000))
        do {
            let response = try client.execute(request: request, deadline: deadline).wait()
            let data = response.body.map { Data(buffer: $0) } ?? Data()
            return HTTPResponse(status: Int(response.status.code), body: data,
                                contentType: response.headers.first(name: "Content-Type") ?? "")
        } catch {
            throw Self.describe(error, place: place, timeout: timeout)
        }
    }

    static func endpoint(_ url: URL) -> String {
        "\(url.scheme ?? "http")://\(url.host ?? "?")\(url.port.map { ":\($0)" } ?? "")"
    }

    /// Turns a transport error into one sentence naming the server.
    static func describe(_ error: Error, place: String, timeout: Double) -> HTTPError {
        if let e = error as? HTTPClientError {
            switch e {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout:
                return HTTPError("\(place) did not answer within \(NumberFormatter.localizedString(from: timeout as NSNumber, number: .decimal))s")
            case .remoteConnectionClosed: return HTTPError("\(place) closed the connection")
            default: break
            }
        }
        if let e = error as? NIOSSLError { return HTTPError("TLS with \(place) failed: \(e)") }
        if "\(error)".lowercased().contains("connection refused") || "\(error)".contains("connectionRefused") {
            return HTTPError("cannot connect to \(place) (connection refused)")
        }
        let text = "\(error)"
        if text.lowercased().contains("certificate") || text.contains("handshake") { return HTTPError("TLS with \(place) failed: \(text)") }
        return HTTPError("request to \(place) failed: \(text)")
    }
}
