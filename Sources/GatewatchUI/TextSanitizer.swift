/// Makes untrusted text (release names, segments, notes, server responses) safe to put on a terminal.
///
/// - C0 controls (including ESC, `\n`, `\t`, `\r`) become the visible Control Pictures (U+2400 + code, e.g. `␛`),
///   DEL becomes `␡`.
/// - C1 controls (U+0080–U+009F), bidirectional controls, line/paragraph separators, unassigned, private-use,
///   surrogate and noncharacter code points become `�` (U+FFFD).
public enum TextSanitizer {
    /// The replacement shown for characters that must not reach the terminal.
    public static let replacement: Unicode.Scalar = "\u{FFFD}"

    /// True when `s` is changed by `clean`.
    public static func needsReplacement(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x20 || (0x7F...0x9F).contains(v) { return true }
        if v < 0x7F { return false }
        if DisplayWidth.isBidiControl(v) { return true }
        let props = s.properties
        if props.isNoncharacterCodePoint { return true }
        switch props.generalCategory {
        case .unassigned, .privateUse, .surrogate, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    private static func replace(_ s: Unicode.Scalar) -> Unicode.Scalar {
        let v = s.value
        if v < 0x20 { return Unicode.Scalar(0x2400 + v)! }
        if v == 0x7F { return "\u{2421}" }
        return replacement
    }

    /// `s` with every unsafe scalar replaced by a visible stand-in.
    /// With `asciiOnly`, every non-ASCII grapheme cluster then becomes `?` repeated to keep its display width
    /// (`??` for a wide character), for terminals without UTF-8.
    public static func clean(_ s: String, asciiOnly: Bool = false) -> String {
        if DisplayWidth.isPrintableASCII(s) { return s }
        var out: String
        if s.unicodeScalars.contains(where: needsReplacement) {
            var scalars = String.UnicodeScalarView()
            for sc in s.unicodeScalars { scalars.append(needsReplacement(sc) ? replace(sc) : sc) }
            out = String(scalars)
        } else {
            out = s
        }
        guard asciiOnly else { return out }
        var ascii = ""
        for c in out {
            if c.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) {
                ascii.append(c)
            } else {
                ascii += String(repeating: "?", count: DisplayWidth.of(c))
            }
        }
        return ascii
    }

    /// Multi-line text for a terminal or a log (command output, error messages): like `clean`, but line feeds and
    /// tabs stay as they are, so the text keeps its lines while no escape sequence, other control character or
    /// bidirectional control survives.
    public static func cleanLines(_ s: String) -> String {
        if s.utf8.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x0A || $0 == 0x09 }) { return s }
        var scalars = String.UnicodeScalarView()
        for sc in s.unicodeScalars {
            if sc == "\n" || sc == "\t" || !needsReplacement(sc) { scalars.append(sc) } else { scalars.append(replace(sc)) }
        }
        return String(scalars)
    }

    /// JSON text with every character `clean` would replace written as a `\uXXXX` escape (UTF-16, so a scalar above
    /// U+FFFF becomes a surrogate pair), the data unchanged. JSON encoders escape C0 controls but pass DEL, C1
    /// controls, bidirectional controls and line/paragraph separators through raw; printed on a terminal those can
    /// still reorder or hide what is shown. Every such character of valid JSON is inside a string, so escaping them
    /// keeps the JSON valid and equal in value.
    public static func escapeInvisiblesInJSON(_ json: String) -> String {
        if json.utf8.allSatisfy({ $0 < 0x7F }) { return json }
        var out = String.UnicodeScalarView()
        for sc in json.unicodeScalars {
            guard sc.value >= 0x7F, needsReplacement(sc) else { out.append(sc); continue }
            for unit in String(sc).utf16 {
                let h = String(unit, radix: 16)
                out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - h.count) + h).unicodeScalars)
            }
        }
        return String(out)
    }
}
