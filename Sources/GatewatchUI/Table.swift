/// A scrolling table: a header row (role `header`), then rows from `scrollOffset`; the selected row is drawn in
/// role `selection` and marked by a `selectionMarker` in a two-column gutter (so it is visible without colour).
/// Cells are truncated with an ellipsis by display width.
public enum Table {
    /// Columns of the gutter that holds the selection marker.
    public static let markerWidth = 2

    /// Draws the table into `rect`; nothing is written outside it.
    public static func draw(into canvas: inout Canvas, rect: Rect, columns: [TableColumn], rows: [[TableCell]],
                            selectedRow: Int?, scrollOffset: Int, theme: Theme, glyphs: GlyphSet) {
        draw(into: &canvas, rect: rect, columns: columns, rowCount: rows.count, row: { rows[$0] }, selectedRow: selectedRow,
             scrollOffset: scrollOffset, theme: theme, glyphs: glyphs)
    }

    /// Draws the table, asking `row` for the cells of the rows that are shown only: a table of thousands of rows
    /// costs what the visible ones do.
    public static func draw(into canvas: inout Canvas, rect: Rect, columns: [TableColumn], rowCount: Int, row: (Int) -> [TableCell],
                            selectedRow: Int?, scrollOffset: Int, theme: Theme, glyphs: GlyphSet) {
        guard !rect.isEmpty, !columns.isEmpty else { return }
        let gutter = rect.width > markerWidth ? markerWidth : 0
        let body = Rect(x: rect.x + gutter, y: rect.y, width: rect.width - gutter, height: 1)
        let cols = body.split(.horizontal, columns.map(\.width), spacing: 1)

        func drawRow(_ y: Int, _ cells: [TableCell], rowStyle: Style?, defaultRole: String) {
            for (i, col) in cols.enumerated() where col.width > 0 {
                let cell = i < cells.count ? cells[i] : TableCell("")
                let style = rowStyle ?? theme.style(cell.role ?? defaultRole)
                let fitted = DisplayWidth.truncate(TextSanitizer.clean(cell.text), toWidth: col.width, ellipsis: glyphs.ellipsis)
                let text = DisplayWidth.pad(fitted, toWidth: col.width, alignRight: columns[i].alignRight)
                canvas.write(text, x: col.x, y: y, style: style, maxWidth: col.width)
            }
        }

        let header = theme.style("header")
        canvas.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), style: header)
        drawRow(rect.y, columns.map { TableCell($0.title) }, rowStyle: header, defaultRole: "header")

        let visible = visibleRowCount(in: rect)
        guard visible > 0 else { return }
        let start = max(0, min(scrollOffset, rowCount - 1))
        for (line, index) in (start..<min(rowCount, start + visible)).enumerated() {
            let y = rect.y + 1 + line
            let selected = index == selectedRow
            let rowStyle: Style? = selected ? theme.style("selection") : nil
            if let rowStyle { canvas.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), style: rowStyle) }
            if selected && gutter > 0 {
                canvas.write(glyphs.selectionMarker, x: rect.x, y: y, style: rowStyle ?? .plain, maxWidth: gutter)
            }
            drawRow(y, row(index), rowStyle: rowStyle, defaultRole: "text")
        }
    }

    /// Rows of data that fit under the header in `rect`.
    public static func visibleRowCount(in rect: Rect) -> Int {
        max(0, rect.height - 1)
    }

    /// The scroll offset closest to `current` that keeps `selected` among the `visibleRows` shown rows,
    /// clamped so that no space is wasted past the last row.
    public static func scrollOffset(selected: Int?, current: Int, visibleRows: Int, rowCount: Int) -> Int {
        guard visibleRows > 0, rowCount > 0 else { return 0 }
        var offset = current
        if let s = selected {
            let sel = min(max(0, s), rowCount - 1)
            if sel < offset { offset = sel }
            if sel >= offset + visibleRows { offset = sel - visibleRows + 1 }
        }
        return min(max(0, offset), max(0, rowCount - visibleRows))
    }
}
