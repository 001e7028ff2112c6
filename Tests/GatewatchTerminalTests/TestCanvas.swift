import GatewatchUI

/// Builds canvases for the tests. The only place that depends on how GatewatchUI constructs a `Canvas`.
enum TestCanvas {
    /// A canvas of blank cells.
    static func blank(width: Int, height: Int) -> Canvas {
        Canvas(width: width, height: height)
    }

    /// Writes `text` at (x, y) through `Canvas.write`, which measures wide characters itself; `wide` lists the
    /// characters the caller expects to take two cells, and is checked.
    static func write(_ text: String, x: Int, y: Int, style: Style = .plain, wide: Set<Character> = [],
                      into canvas: inout Canvas) {
        for ch in wide { precondition(DisplayWidth.of(ch) == 2, "\(ch) is not wide") }
        canvas.write(text, x: x, y: y, style: style)
    }

    static func make(width: Int, height: Int, rows: [(String, Style)] = [], wide: Set<Character> = []) -> Canvas {
        var canvas = blank(width: width, height: height)
        for (y, row) in rows.enumerated() { write(row.0, x: 0, y: y, style: row.1, wide: wide, into: &canvas) }
        return canvas
    }
}
