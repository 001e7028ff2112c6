extension Canvas {
    /// Look-alikes for the punctuation screens use in words, for terminals without UTF-8.
    static let asciiLookAlikes: [String: String] = [
        "·": ".", "×": "x", "…": "~", "≥": ">", "≤": "<", "→": ">", "←": "<", "–": "-", "—": "-",
        "χ": "x", "²": "2", "✓": "+", "✗": "x", "▲": "^", "▼": "v", "●": "*", "○": "o", "▸": ">",
        "⚠": "!", "‖": "=", "∞": "~", "↓": "v", "↑": "^", "␛": "^",
    ]

    /// The canvas with every non-ASCII cell replaced by a look-alike or `?` (two for a wide character), so a
    /// terminal without UTF-8 never receives bytes it would garble. Styles are kept.
    public func asciiOnly() -> Canvas {
        var copy = self
        for y in 0..<height {
            var x = 0
            while x < width {
                let cell = self[x, y]
                if cell.width > 0, !cell.text.unicodeScalars.allSatisfy(\.isASCII) {
                    let replacement = cell.width == 2 ? "??" : (Self.asciiLookAlikes[cell.text] ?? "?")
                    copy.write(replacement, x: x, y: y, style: cell.style)
                }
                x += max(1, cell.width)
            }
        }
        return copy
    }
}
