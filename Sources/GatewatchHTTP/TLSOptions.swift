import Foundation

/// TLS settings of a source, the `tls:` key of a `registry:` or `metrics:` section:
///
/// ```yaml
/// tls: { verify: true, ca_file: /etc/ssl/company-ca.pem,
///        client_cert: /etc/gatewatch/client.pem, client_key: /etc/gatewatch/client.key }   # mutual TLS
/// ```
///
/// Verification is on unless explicitly turned off; a private CA can be trusted by file. For mutual TLS the
/// certificate (PEM, the chain after it) and its private key (PEM, unencrypted) are given together; the key file,
/// like every secret Gatewatch reads, must be readable by its owner only (`SecretFile`).
public struct TLSOptions: Sendable, Equatable, Decodable {
    public var verify: Bool
    /// A PEM file of extra trusted roots (e.g. a company CA).
    public var caFile: String?
    /// The client certificate presented to the server (PEM); with `clientKey`.
    public var clientCert: String?
    /// The client certificate's private key (PEM, owner-only permissions); with `clientCert`.
    public var clientKey: String?

    /// Keys of the `tls:` map.
    public static let knownKeys = ["verify", "ca_file", "client_cert", "client_key"]

    public init(verify: Bool = true, caFile: String? = nil, clientCert: String? = nil, clientKey: String? = nil) {
        self.verify = verify
        self.caFile = caFile
        self.clientCert = clientCert
        self.clientKey = clientKey
    }

    private typealias Key = ConfigKey

    /// Decodes the map; an unknown key, or one of the client pair without the other, is a `DecodingError` at its key.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        for key in c.allKeys where !Self.knownKeys.contains(key.stringValue) {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription:
                "unknown key (tls has verify, ca_file, and client_cert with client_key for mutual TLS)")
        }
        func path(_ key: String) throws -> String? {
            guard let text = try c.decodeIfPresent(String.self, forKey: Key(key)) else { return nil }
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw DecodingError.dataCorruptedError(forKey: Key(key), in: c, debugDescription: "must be the path of a PEM file")
            }
            return text
        }
        self.init(verify: try c.decodeIfPresent(Bool.self, forKey: Key("verify")) ?? true, caFile: try path("ca_file"),
                  clientCert: try path("client_cert"), clientKey: try path("client_key"))
        if let (key, message) = pairProblem {
            throw DecodingError.dataCorruptedError(forKey: Key(key), in: c, debugDescription: message)
        }
    }

    /// A client certificate without its key, or a key without its certificate: the key to blame and why.
    var pairProblem: (key: String, message: String)? {
        switch (clientCert, clientKey) {
        case (.some, nil): return ("client_cert", "needs client_key (the certificate's private key) beside it")
        case (nil, .some): return ("client_key", "needs client_cert (the certificate it belongs to) beside it")
        default: return nil
        }
    }

    /// The first file named here that cannot be used, as the key (`tls.ca_file`, `tls.client_key`, …) and a sentence;
    /// nil when every file can be read (the key file also only by its owner). The files' contents are checked when the
    /// connection is made.
    public var fileProblem: (key: String, message: String)? {
        if let (key, message) = pairProblem { return ("tls.\(key)", message) }
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) { return ("tls.ca_file", "\(caFile) cannot be read") }
        if let clientCert, !FileManager.default.isReadableFile(atPath: clientCert) {
            return ("tls.client_cert", "\(clientCert) cannot be read")
        }
        if let clientKey {
            do {
                _ = try SecretFile.read(clientKey, purpose: "private key of the TLS client certificate")
            } catch {
                return ("tls.client_key", error.description)
            }
        }
        return nil
    }
}
