/// The symbols widgets draw with, in a Unicode and an ASCII variant. Every glyph is one column wide
/// (except the ASCII `arrowRight`, `->`); `sparkline` and `barEighths` are indexed by level.
public struct GlyphSet: Hashable, Sendable {
    public var horizontal: String
    public var vertical: String
    public var topLeft: String
    public var topRight: String
    public var bottomLeft: String
    public var bottomRight: String
    /// ├ ┤ ┬ ┴ ┼
    public var teeLeft: String
    public var teeRight: String
    public var teeDown: String
    public var teeUp: String
    public var cross: String
    /// Success / done.
    public var check: String
    /// Failure.
    public var fail: String
    public var arrowRight: String
    public var up: String
    public var down: String
    /// Active / current.
    public var bullet: String
    /// Pending / not started.
    public var pending: String
    /// Marks the selected table row.
    public var selectionMarker: String
    public var ellipsis: String
    public var pause: String
    public var warning: String
    /// Sparkline levels, lowest first; index 0 is the empty level (a space).
    public var sparkline: [String]
    /// Bar cell fill in eighths: index 0 is empty, the last is a full cell.
    public var barEighths: [String]

    /// A full bar cell.
    public var barFull: String { barEighths[barEighths.count - 1] }

    public init(horizontal: String, vertical: String, topLeft: String, topRight: String, bottomLeft: String,
                bottomRight: String, teeLeft: String, teeRight: String, teeDown: String, teeUp: String, cross: String,
                check: String, fail: String, arrowRight: String, up: String, down: String, bullet: String,
                pending: String, selectionMarker: String, ellipsis: String, pause: String, warning: String,
                sparkline: [String], barEighths: [String]) {
        self.horizontal = horizontal; self.vertical = vertical
        self.topLeft = topLeft; self.topRight = topRight; self.bottomLeft = bottomLeft; self.bottomRight = bottomRight
        self.teeLeft = teeLeft; self.teeRight = teeRight; self.teeDown = teeDown; self.teeUp = teeUp; self.cross = cross
        self.check = check; self.fail = fail; self.arrowRight = arrowRight; self.up = up; self.down = down
        self.bullet = bullet; self.pending = pending; self.selectionMarker = selectionMarker
        self.ellipsis = ellipsis; self.pause = pause; self.warning = warning
        self.sparkline = sparkline; self.barEighths = barEighths
    }

    /// Box drawing and block elements (needs a UTF-8 terminal).
    public static let unicode = GlyphSet(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        teeLeft: "├", teeRight: "┤", teeDown: "┬", teeUp: "┴", cross: "┼",
        check: "✓", fail: "✗", arrowRight: "→", up: "▲", down: "▼", bullet: "●", pending: "○",
        selectionMarker: "▸", ellipsis: "…", pause: "‖", warning: "⚠",
        sparkline: [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        barEighths: [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"])

    /// Plain ASCII fallback.
    public static let ascii = GlyphSet(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        teeLeft: "+", teeRight: "+", teeDown: "+", teeUp: "+", cross: "+",
        check: "+", fail: "x", arrowRight: "->", up: "^", down: "v", bullet: "*", pending: "o",
        selectionMarker: ">", ellipsis: "~", pause: "=", warning: "!",
        sparkline: [" ", ".", ":", "-", "=", "+", "*", "#", "%", "@"],
        barEighths: [" ", " ", " ", " ", "#", "#", "#", "#", "#"])
}
