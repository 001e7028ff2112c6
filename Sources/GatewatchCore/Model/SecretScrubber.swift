import Foundation

/// Turns text from outside (a hook's stderr) into a short excerpt fit to show and to keep in the audit log, which
/// cannot be edited: control characters removed, lines joined with " / ", cut to a limit, and secrets hidden —
/// the given values (the sources' tokens and passwords, as `HTTPCredentials.redacting` hides them) and whatever
/// looks like one: `password=…`/`token: …` pairs, `Bearer …`/`Basic …` values, passwords in URLs, and the token
/// shapes of common services (JWTs, AWS access keys, GitHub and Slack tokens).
public enum SecretScrubber {
    public static let hidden = "[hidden]"

    /// (pattern, template): each match is replaced by the template.
    static let patterns: [(NSRegularExpression, String)] = [
        (#"(?i)\b((?:[a-z0-9_-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?))\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,;&]+)"#, "$1\(hidden)"),
        (#"(?i)\b(bearer|basic|token)(\s+)[A-Za-z0-9._~+/=-]{6,}"#, "$1$2\(hidden)"),
        (#"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s:@]+:[^/\s@]+@"#, "$1\(hidden)@"),
        (#"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"#, hidden),
        (#"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"#, hidden),
        (#"\bgh[pousr]_[A-Za-z0-9]{20,}\b"#, hidden),
        (#"\bxox[abprs]-[A-Za-z0-9-]{10,}"#, hidden),
    ].map { (try! NSRegularExpression(pattern: $0.0), $0.1) }

    /// `text` with every secret hidden (nothing else changed).
    public static func scrub(_ text: String, secrets: [String] = []) -> String {
        var out = text
        // Longest first, so a value that contains another is hidden whole.
        for secret in secrets.sorted(by: { $0.count > $1.count }) where secret.count >= 3 {
            out = out.replacingOccurrences(of: secret, with: hidden)
        }
        for (regex, template) in patterns {
            out = regex.stringByReplacingMatches(in: out, range: NSRange(out.startIndex..., in: out), withTemplate: template)
        }
        return out
    }

    /// A one-line excerpt of at most `limit` characters (with `…` when cut), control characters removed, secrets
    /// hidden. Secrets are hidden before cutting, so a cut never leaves part of one.
    public static func excerpt(_ text: String, limit: Int, secrets: [String] = []) -> String {
        let lines = text.split(whereSeparator: \.isNewline).map { line in
            String(String.UnicodeScalarView(line.replacingOccurrences(of: "\t", with: " ").unicodeScalars.filter { !Self.isControl($0) }))
                .trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        let joined = scrub(lines.joined(separator: " / "), secrets: secrets)
        guard joined.count > limit else { return joined }
        return String(joined.prefix(max(0, limit - 1))) + "…"
    }

    /// C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a terminal shows.
    static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (0x7f...0x9f).contains(s.value) || (0x202a...0x202e).contains(s.value) || (0x2066...0x2069).contains(s.value)
    }
}
