/// A width × height grid of `Cell`s that widgets draw into; the terminal backend shows it.
///
/// All text goes through `TextSanitizer.clean`, so nothing written here can inject terminal control sequences.
/// A wide character occupies its cell plus a continuation cell to its right; partial overwrites blank the
/// orphaned half, so the grid is always consistent.
public struct Canvas: Equatable, Sendable {
    public let width: Int
    public let height: Int
    private var cells: [Cell]

    /// A blank canvas (negative sizes are treated as 0).
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// The whole canvas as a rectangle at the origin.
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at column `x`, row `y`; `.blank` outside the canvas.
    public subscript(x: Int, y: Int) -> Cell {
        guard x >= 0, y >= 0, x < width, y < height else { return .blank }
        return cells[y * width + x]
    }

    // MARK: Writing

    /// Separates the wide character that covers (x, y), if any, blanking its other half.
    private mutating func detach(_ x: Int, _ y: Int) {
        let i = y * width + x
        switch cells[i].width {
        case 0 where x > 0:
            cells[i - 1] = Cell(text: " ", width: 1, style: cells[i - 1].style)
        case 2 where x + 1 < width:
            cells[i + 1] = Cell(text: " ", width: 1, style: cells[i + 1].style)
        default:
            break
        }
    }

    /// Puts an already-sanitised cluster of width 1 or 2 at (x, y); the caller guarantees it fits.
    private mutating func put(_ text: String, width w: Int, x: Int, y: Int, style: Style) {
        detach(x, y)
        if w == 2 {
            detach(x + 1, y)
            cells[y * width + x] = Cell(text: text, width: 2, style: style)
            cells[y * width + x + 1] = Cell(text: "", width: 0, style: style)
        } else {
            cells[y * width + x] = Cell(text: text, width: 1, style: style)
        }
    }

    /// Writes `text` (sanitised) at column `x`, row `y`, clipped at the canvas edges and after `maxWidth` columns.
    /// A wide character that does not fit entirely becomes a space. Zero-width clusters are dropped.
    /// - Returns: the number of columns advanced from `x`.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        let limit = maxWidth.map { min(width, x + max(0, $0)) } ?? width
        guard y >= 0, y < height, x < limit else { return 0 }
        var col = x
        for c in TextSanitizer.clean(text) {
            let w = DisplayWidth.of(c)
            if w == 0 { continue }
            if col + w > limit {
                if col >= 0 && col < limit { put(" ", width: 1, x: col, y: y, style: style); col += 1 }
                break
            }
            if col < 0 {
                // Clipped at the left edge; a wide character straddling it leaves a space.
                if col + w > 0 { put(" ", width: 1, x: 0, y: y, style: style) }
                col += w
                continue
            }
            put(String(c), width: w, x: col, y: y, style: style)
            col += w
        }
        return max(0, col - x)
    }

    /// Like `write`, but text wider than the room left (up to `maxWidth` and the canvas edge) is cut with an ellipsis
    /// (`DisplayWidth.truncate`) instead of stopping at the edge, so the reader sees that there is more.
    /// - Returns: the number of columns advanced from `x`.
    @discardableResult
    public mutating func writeTruncated(_ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        let limit = maxWidth.map { min(width, x + max(0, $0)) } ?? width
        let room = limit - max(0, x)
        guard y >= 0, y < height, room > 0 else { return 0 }
        let clean = TextSanitizer.clean(text)
        return write(DisplayWidth.truncate(clean, toWidth: room), x: x, y: y, style: style, maxWidth: room)
    }

    /// Fills the part of `rect` inside the canvas with `character` (a space by default) in `style`.
    public mutating func fill(_ rect: Rect, style: Style, character: Character = " ") {
        let r = rect.intersection(bounds)
        guard !r.isEmpty else { return }
        let cleaned = TextSanitizer.clean(String(character))
        let c = cleaned.first ?? " "
        let w = DisplayWidth.of(c)
        let text = w == 0 ? " " : String(c)
        let step = max(1, w)
        for y in r.y..<r.maxY {
            var x = r.x
            while x < r.maxX {
                if x + step > r.maxX {
                    put(" ", width: 1, x: x, y: y, style: style)
                } else {
                    put(text, width: step, x: x, y: y, style: style)
                }
                x += step
            }
        }
    }

    /// Replaces the style of every cell in `rect`, keeping the text.
    public mutating func applyStyle(_ style: Style, to rect: Rect) {
        let r = rect.intersection(bounds)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { cells[y * width + x].style = style }
        }
    }

    /// Copies `other` onto this canvas with its top-left corner at `origin`, clipping at the edges.
    public mutating func draw(_ other: Canvas, at origin: (x: Int, y: Int)) {
        for oy in 0..<other.height {
            let ty = origin.y + oy
            guard ty >= 0, ty < height else { continue }
            for ox in 0..<other.width {
                let tx = origin.x + ox
                guard tx >= 0, tx < width else { continue }
                let cell = other[ox, oy]
                switch cell.width {
                case 0:
                    // Continuation whose head was clipped away (or is missing): show a space.
                    if tx == 0 || ox == 0 { put(" ", width: 1, x: tx, y: ty, style: cell.style) }
                case 2:
                    if tx + 1 < width { put(cell.text, width: 2, x: tx, y: ty, style: cell.style) }
                    else { put(" ", width: 1, x: tx, y: ty, style: cell.style) }
                default:
                    put(cell.text, width: 1, x: tx, y: ty, style: cell.style)
                }
            }
        }
    }

    /// The top `rows` rows of this canvas (all of them when it has fewer).
    public func cropped(rows: Int) -> Canvas {
        var copy = Canvas(width: width, height: max(0, min(rows, height)))
        copy.draw(self, at: (0, 0))
        return copy
    }

    // MARK: Reading

    /// The text of one row (wide characters once, continuation cells skipped), trailing spaces kept.
    public func rowText(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        var s = ""
        for x in 0..<width { s += cells[y * width + x].text }
        return s
    }

    /// The text of one row as a terminal is sent it (`DisplayWidth.drawn` of each cell, with a blank after a glyph
    /// narrower than its cell), so that it takes exactly `width` columns wherever it is printed.
    public func drawnRowText(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        var s = ""
        for x in 0..<width {
            let cell = cells[y * width + x]
            guard cell.width > 0, let c = cell.text.first else { continue }
            let drawn = DisplayWidth.drawn(c)
            s += drawn
            if cell.width == 2 && DisplayWidth.of(drawn) < 2 { s += " " }
        }
        return s
    }

    /// Every row's text with trailing spaces trimmed, rows joined by `"\n"`; with `asDrawn`, each row as
    /// `drawnRowText` gives it (for printing on a terminal), else the cells' full text (`rowText`).
    public func plainText(asDrawn: Bool = false) -> String {
        (0..<height).map { y -> String in
            var row = asDrawn ? drawnRowText(y) : rowText(y)
            while row.last == " " { row.removeLast() }
            return row
        }.joined(separator: "\n")
    }

    /// The runs of non-plain style, one line per row that has any, e.g. `row 3: 0-11 fg=red bold; 14-20 reverse`
    /// (column ranges inclusive).
    public func styleRuns(naming: (Style) -> String = Canvas.describe) -> String {
        var lines: [String] = []
        for y in 0..<height {
            var runs: [String] = []
            var x = 0
            while x < width {
                let style = cells[y * width + x].style
                var end = x
                while end + 1 < width && cells[y * width + end + 1].style == style { end += 1 }
                if style != .plain { runs.append("\(x)-\(end) \(naming(style))") }
                x = end + 1
            }
            if !runs.isEmpty { lines.append("row \(y): " + runs.joined(separator: "; ")) }
        }
        return lines.joined(separator: "\n")
    }

    /// A compact, stable description of a style: non-default parts in a fixed order,
    /// e.g. `fg=red bg=blue bold dim underline reverse`; `plain` for `.plain`.
    public static func describe(_ style: Style) -> String {
        var parts: [String] = []
        if style.foreground != .default { parts.append("fg=\(style.foreground.name)") }
        if style.background != .default { parts.append("bg=\(style.background.name)") }
        if style.bold { parts.append("bold") }
        if style.dim { parts.append("dim") }
        if style.underline { parts.append("underline") }
        if style.reverse { parts.append("reverse") }
        return parts.isEmpty ? "plain" : parts.joined(separator: " ")
    }

    // MARK: Diffing

    /// Rows that differ from `previous`; all rows when it is nil or of another size.
    public func changedRows(from previous: Canvas?) -> [Int] {
        guard let p = previous, p.width == width, p.height == height else { return Array(0..<height) }
        return (0..<height).filter { y in
            cells[(y * width)..<((y + 1) * width)] != p.cells[(y * width)..<((y + 1) * width)]
        }
    }

    /// Column spans `start..<end` per row that differ from `previous` (whole rows when it is nil or of another
    /// size). Spans never start on a continuation cell nor end inside a wide character, so writing each span's
    /// cells from `start` reproduces the row exactly.
    public func changedSpans(from previous: Canvas?) -> [(row: Int, start: Int, end: Int)] {
        guard let p = previous, p.width == width, p.height == height else {
            return width == 0 ? [] : (0..<height).map { (row: $0, start: 0, end: width) }
        }
        var spans: [(row: Int, start: Int, end: Int)] = []
        for y in 0..<height {
            let base = y * width
            var rowSpans: [(Int, Int)] = []
            var x = 0
            while x < width {
                guard cells[base + x] != p.cells[base + x] else { x += 1; continue }
                var start = x, end = x + 1
                while end < width && cells[base + end] != p.cells[base + end] { end += 1 }
                x = end
                // Widen to whole wide characters, in the new and the old frame.
                if start > 0 && (cells[base + start].width == 0 || p.cells[base + start].width == 0) { start -= 1 }
                if end < width && (cells[base + end - 1].width == 2 || p.cells[base + end - 1].width == 2) { end += 1 }
                if let last = rowSpans.last, last.1 >= start {
                    rowSpans[rowSpans.count - 1].1 = max(last.1, end)
                } else {
                    rowSpans.append((start, end))
                }
            }
            for (s, e) in rowSpans { spans.append((row: y, start: s, end: e)) }
        }
        return spans
    }
}
