/// Terminal display width of text, computed from Unicode properties and a compact East Asian Wide range table
/// (no libc `wcwidth`).
///
/// Widths are those of the text *as the canvas shows it*, i.e. after `TextSanitizer.clean`: a control character
/// counts as 1 because it is shown as a visible Control Picture.
public enum DisplayWidth {
    /// East Asian Wide / Fullwidth ranges (inclusive), sorted. Emoji are handled by properties instead.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F,   // Hangul Jamo initial consonants
        0x2329...0x232A,   // angle brackets
        0x2E80...0x303E,   // CJK radicals, Kangxi, ideographic description, CJK symbols and punctuation
        0x3041...0x33FF,   // Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, Kanbun, CJK strokes, enclosed/compat
        0x3400...0x4DBF,   // CJK Extension A
        0x4E00...0x9FFF,   // CJK Unified Ideographs
        0xA000...0xA4CF,   // Yi
        0xA960...0xA97F,   // Hangul Jamo Extended-A
        0xAC00...0xD7A3,   // Hangul syllables
        0xF900...0xFAFF,   // CJK compatibility ideographs
        0xFE10...0xFE19,   // vertical forms
        0xFE30...0xFE6F,   // CJK compatibility forms, small form variants
        0xFF00...0xFF60,   // fullwidth forms
        0xFFE0...0xFFE6,   // fullwidth signs
        0x16FE0...0x16FE4, // ideographic symbols
        0x17000...0x18CFF, // Tangut, Khitan
        0x1AFF0...0x1B2FF, // Kana supplement/extended, Nushu
        0x1F200...0x1F2FF, // enclosed ideographic supplement
        0x20000...0x2FFFD, // CJK extensions B–F, compatibility supplement
        0x30000...0x3FFFD, // CJK extensions G–H
    ]

    private static func isWide(_ v: UInt32) -> Bool {
        var lo = 0, hi = wideRanges.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            let r = wideRanges[mid]
            if v < r.lowerBound { hi = mid - 1 } else if v > r.upperBound { lo = mid + 1 } else { return true }
        }
        return false
    }

    /// Bidirectional formatting controls (shown as U+FFFD by the sanitiser).
    static func isBidiControl(_ v: UInt32) -> Bool {
        (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F || v == 0x061C
    }

    /// Zero-width scalar when it starts a cluster: combining/enclosing marks, format characters (ZWJ, U+200B, …),
    /// Hangul medial vowels and final consonants.
    private static func isZeroWidth(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if (0x1160...0x11FF).contains(v) || (0xD7B0...0xD7FF).contains(v) { return true }
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark: return true
        case .format: return !isBidiControl(v)
        default: return false
        }
    }

    /// The width of one grapheme cluster: 0, 1 or 2.
    public static func of(_ c: Character) -> Int {
        // Printable ASCII, most of any screen, without Unicode property look-ups.
        if let a = c.asciiValue, a >= 0x20, a < 0x7F { return 1 }
        let scalars = c.unicodeScalars
        guard let first = scalars.first else { return 0 }
        // Box drawing and block elements (frames, bars, sparklines) alone: narrow, never emoji, nothing to replace.
        if (0x2500...0x259F).contains(first.value), scalars.count == 1 { return 1 }
        if scalars.contains(where: { TextSanitizer.needsReplacement($0) }) {
            // Measured as the canvas will show it.
            var total = 0
            for ch in TextSanitizer.clean(String(c)) { total += of(ch) }
            return total
        }
        if first.value < 0x7F {
            // Printable ASCII; only a keycap sequence like "1️⃣" (digit + VS16 + U+20E3) is wide.
            return first.properties.isEmoji && scalars.contains(where: { $0.value == 0xFE0F }) ? 2 : 1
        }
        if isZeroWidth(first) { return 0 }
        // A lone regional indicator (half a flag) is narrow, as the C library and terminals measure it.
        if scalars.count == 1, (0x1F1E6...0x1F1FF).contains(first.value) { return 1 }
        let props = first.properties
        if props.isEmojiPresentation { return 2 }
        if props.isEmoji && scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        if isWide(first.value) { return 2 }
        return 1
    }

    /// What is sent to a terminal for one grapheme cluster: its first scalar and the combining marks that follow it
    /// (at most five scalars). The rest of a cluster with several spacing characters — a ZWJ sequence like 👩‍💻, a
    /// flag, a skin-tone modifier — and joiners and variation selectors are left out: terminals differ on whether
    /// they join them, and one that does not would shift every later cell of the row. The cell keeps the width
    /// `of(_:)` gives the whole cluster; `drawn` may be narrower (padded with a blank when shown).
    public static func drawn(_ c: Character) -> String {
        let scalars = c.unicodeScalars
        guard let first = scalars.first else { return "" }
        if scalars.count == 1 { return String(c) }
        var out = String.UnicodeScalarView([first])
        var count = 1
        for scalar in scalars.dropFirst() where count < 5 && isJoiningMark(scalar) {
            out.append(scalar)
            count += 1
        }
        return String(out)
    }

    /// A nonspacing or enclosing mark that is not a variation selector.
    static func isJoiningMark(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if (0xFE00...0xFE0F).contains(v) || (0xE0100...0xE01EF).contains(v) { return false }
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark: return true
        default: return false
        }
    }

    /// The width of a string: the sum of its grapheme clusters' widths.
    public static func of(_ s: String) -> Int {
        if isPrintableASCII(s) { return s.utf8.count }
        var total = 0
        for c in s { total += of(c) }
        return total
    }

    /// Whether every byte of `s` is printable ASCII (one column per byte).
    static func isPrintableASCII(_ s: String) -> Bool {
        s.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// `s` cut to at most `toWidth` columns; when cut, ends with `ellipsis` (dropped if even it does not fit).
    /// Never splits a wide character.
    public static func truncate(_ s: String, toWidth width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if of(s) <= width { return s }
        let ew = of(ellipsis)
        let out = prefix(s, fitting: ew <= width ? width - ew : width)
        return ew <= width ? out + ellipsis : out
    }

    /// The longest start of `s` that fits in `width` columns (a wide character is never split).
    static func prefix(_ s: String, fitting width: Int) -> String {
        var out = "", used = 0
        for c in s {
            let w = of(c)
            if used + w > width { break }
            out.append(c)
            used += w
        }
        return out
    }

    /// `s` cut in the middle to at most `width` columns: its start, an ellipsis and its end (a third of the room), so
    /// what ends a long text — the port of a URL, the last label of a key — stays visible.
    public static func truncateMiddle(_ s: String, toWidth width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if of(s) <= width { return s }
        let ew = of(ellipsis)
        guard ew < width else { return truncate(s, toWidth: width, ellipsis: ellipsis) }
        let tailBudget = (width - ew) / 3, headBudget = width - ew - tailBudget
        var tail = "", used = 0
        for c in s.reversed() {
            let w = of(c)
            if used + w > tailBudget { break }
            tail.insert(c, at: tail.startIndex)
            used += w
        }
        return prefix(s, fitting: headBudget) + ellipsis + tail
    }

    /// `s` truncated (with an ellipsis) and padded with spaces to exactly `toWidth` columns.
    public static func pad(_ s: String, toWidth width: Int, alignRight: Bool = false) -> String {
        guard width > 0 else { return "" }
        let t = truncate(s, toWidth: width)
        let gap = String(repeating: " ", count: max(0, width - of(t)))
        return alignRight ? gap + t : t + gap
    }
}
