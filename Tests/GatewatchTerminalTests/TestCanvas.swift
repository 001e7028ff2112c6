import GatewatchUI

/// Builds canvases for the tests. The only place that depends on how GatewatchUI constructs a `Canvas`.
enum TestCanvas {
    /// A canvas of blank cells.
    static func blank(width: Int, height: Int) -> Canvas {
        Canvas(width: width, height: height)
    }

    /// Writes `text` at (x, y); characters listed in `wide` take two cells.
    static func write(_ text: String, x: Int, y: Int, style: Style = .plain, wide: Set<Character> = [],
                      into canvas: inout Canvas) {
        var column = x
        for ch in text {
            guard column < canvas.width else { break }
            if wide.contains(ch) {
                canvas[column, y] = Cell(text: String(ch), width: 2, style: style)
                if column + 1 < canvas.width { canvas[column + 1, y] = Cell(text: "", width: 0, style: style) }
                column += 2
            } else {
                canvas[column, y] = Cell(text: String(ch), width: 1, style: style)
                column += 1
            }
        }
    }

    static func make(width: Int, height: Int, rows: [(String, Style)] = [], wide: Set<Character> = []) -> Canvas {
        var canvas = blank(width: width, height: height)
        for (y, row) in rows.enumerated() { write(row.0, x: 0, y: y, style: row.1, wide: wide, into: &canvas) }
        return canvas
    }
}
