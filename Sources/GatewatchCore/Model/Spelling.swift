/// "Did you mean …?" for names a user typed: the closest known name by edit distance.
public enum Spelling {
    /// The known name closest to `name` (Levenshtein distance, case-insensitive), if it is close enough to be a typo:
    /// at most one edit for names of up to four characters, two up to eight, three beyond.
    public static func closest(to name: String, among known: [String]) -> String? {
        let lowered = name.lowercased()
        let limit = lowered.count <= 4 ? 1 : (lowered.count <= 8 ? 2 : 3)
        var best: (name: String, distance: Int)? = nil
        for candidate in known {
            let d = distance(lowered, candidate.lowercased())
            if d <= limit, d < (best?.distance ?? Int.max) { best = (candidate, d) }
        }
        return best?.name
    }

    /// The Levenshtein distance between two strings (insertions, deletions and substitutions of characters).
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
