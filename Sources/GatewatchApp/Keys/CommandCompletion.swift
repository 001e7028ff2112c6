/// `tab` on the `:` line: completes a command's verb, then its argument (a release, a theme). One candidate is
/// written out; several are completed to their common start and listed.
struct CommandCompletion: Equatable {
    /// The verbs `:` knows, in the order help lists them.
    static let verbs = ["release", "releases", "overview", "review", "audit", "events", "theme", "help", "quit"]
    /// Verbs that take an argument, and what it is.
    static let arguments: [String: String] = ["release": "release", "review": "release", "theme": "theme"]

    /// The line after completion.
    var line: String
    /// The candidates, when more than one (or none: an empty list with `line` unchanged).
    var candidates: [String]

    /// Completes `line` against the verbs, the releases' slugs and the themes' names.
    static func complete(_ line: String, releases: [String], themes: [String]) -> CommandCompletion {
        let words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        if words.count <= 1 {
            return pick(prefix: "", word: words.first ?? "", among: verbs, addSpace: { arguments[$0] != nil })
        }
        guard let kind = arguments[words[0]], words.count == 2 else { return CommandCompletion(line: line, candidates: []) }
        return pick(prefix: words[0] + " ", word: words[1], among: kind == "theme" ? themes : releases, addSpace: { _ in false })
    }

    private static func pick(prefix: String, word: String, among options: [String], addSpace: (String) -> Bool) -> CommandCompletion {
        let matches = options.filter { $0.hasPrefix(word) }
        guard let first = matches.first else { return CommandCompletion(line: prefix + word, candidates: []) }
        if matches.count == 1 { return CommandCompletion(line: prefix + first + (addSpace(first) ? " " : ""), candidates: [first]) }
        var common = first
        for m in matches.dropFirst() { while !m.hasPrefix(common) { common.removeLast() } }
        return CommandCompletion(line: prefix + common, candidates: matches)
    }
}
