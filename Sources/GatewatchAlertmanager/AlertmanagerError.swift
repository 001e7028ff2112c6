/// Why Alertmanager could not be configured or asked, worded for the footer and the CLI.
public enum AlertmanagerError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A problem in the `alertmanager:` section: the key's path inside it and what is wrong.
    case configuration(key: String, message: String)
    /// The server answered with an error status (its message, cut short).
    case server(status: Int, message: String)
    /// The answer was not the JSON of the API.
    case malformed(String)
    /// The transport failed (the sentence comes from `HTTPConnection`).
    case transport(String)

    public var description: String {
        switch self {
        case .configuration(let key, let message): return "alertmanager: " + (key.isEmpty ? "" : key + ": ") + message
        case .server(let status, let message): return "Alertmanager answered HTTP \(status): \(message)"
        case .malformed(let detail): return "Alertmanager sent an answer that cannot be read: \(detail)"
        case .transport(let text): return "Alertmanager: \(text)"
        }
    }
}
