import GatewatchCore

/// Segment keys inside sentences (gate reasons, blockers) in their short form: `market=EU,surface=web` → `EU/web`,
/// where the release's other segments leave it unambiguous. Detail panes and dialogs keep the full label set.
enum SegmentText {
    static let delimiters: Set<Character> = [" ", "[", "]", "(", ")", "\"", "'", "\n"]

    /// `text` with each whole segment key found in `labels` (`ReleaseScreen.segmentLabels`) replaced by its label.
    /// One pass over the text: a key is a run between delimiters (a trailing `.`, `,`, `;` or `:` is not part of it).
    static func shorten(_ text: String, labels: [String: String]) -> String {
        guard !labels.isEmpty, text.contains("=") else { return text }
        var out = "", run = ""
        func flush() {
            defer { run = "" }
            guard run.contains("=") else { out += run; return }
            if let label = labels[run] { out += label; return }
            var core = Substring(run), tail = ""
            while let last = core.last, ".,;:".contains(last) { tail = String(last) + tail; core = core.dropLast() }
            out += (labels[String(core)] ?? String(core)) + tail
        }
        for c in text {
            if delimiters.contains(c) { flush(); out.append(c) } else { run.append(c) }
        }
        flush()
        return out
    }

    /// The short labels of a release's segments (cached per frame by the caller when it draws many lines).
    static func labels(_ release: Release) -> [String: String] {
        ReleaseScreen.segmentLabels(release.segments.map(\.key))
    }
}
