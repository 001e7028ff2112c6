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
        let cols = body.split(.horizontal, constraints(columns, rowCount: rowCount, row: row, available: body.width, visibleRows: visibleRowCount(in: rect)),
                              spacing: 1)

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

    /// The columns' constraints, with the content-fitted ones resolved to fixed widths: each as wide as its widest
    /// cell or title (over every row up to `measuredRows`, so the layout does not change as the list scrolls, else over
    /// the rows shown), and when the total does not fit `available`, narrowed toward its minimum lowest priority first.
    /// A column that still does not fit is then cut by `Rect.split` like any other.
    static func constraints(_ columns: [TableColumn], rowCount: Int, row: (Int) -> [TableCell], available: Int, visibleRows: Int) -> [LayoutConstraint] {
        guard columns.contains(where: { $0.fit != nil }) else { return columns.map(\.width) }
        let measured = rowCount <= measuredRows ? 0..<rowCount : 0..<min(rowCount, visibleRows)
        var desired = columns.map { c in c.fit.map { max($0.minimum, DisplayWidth.of(c.title)) } ?? 0 }
        for index in measured {
            let cells = row(index)
            for (i, c) in columns.enumerated() where c.fit != nil && i < cells.count {
                desired[i] = max(desired[i], DisplayWidth.of(TextSanitizer.clean(cells[i].text)))
            }
        }
        let fitted = widths(columns, desired: desired, available: available)
        return columns.indices.map { i in fitted[i].map(LayoutConstraint.fixed) ?? columns[i].width }
    }

    /// Tables up to this many rows are measured whole (larger ones by the rows shown: their cells are made only for
    /// those).
    public static let measuredRows = 300

    /// The widths of the content-fitted columns (nil for the others) given their desired widths: what the other
    /// columns ask for (fixed, or the minimum of the rest) is taken first; when the fitted ones do not fit in what is
    /// left, the lowest-priority ones give way first, each down to its minimum (one space between columns).
    public static func widths(_ columns: [TableColumn], desired: [Int], available: Int) -> [Int?] {
        var result: [Int?] = columns.indices.map { columns[$0].fit == nil ? nil : desired[$0] }
        let others = columns.reduce(0) { sum, c in
            guard c.fit == nil else { return sum }
            switch c.width {
            case .fixed(let v), .minimum(let v): return sum + max(0, v)
            case .percent(let p): return sum + max(0, available) * min(100, max(0, p)) / 100
            case .fill: return sum
            }
        }
        var deficit = result.compactMap { $0 }.reduce(0, +) + others + max(0, columns.count - 1) - available
        guard deficit > 0 else { return result }
        // Lowest priority first; among equals, the rightmost.
        let order = columns.indices.filter { columns[$0].fit != nil }
            .sorted { (columns[$0].fit!.priority, -$0) < (columns[$1].fit!.priority, -$1) }
        for i in order where deficit > 0 {
            let give = min(deficit, max(0, result[i]! - columns[i].fit!.minimum))
            result[i]! -= give
            deficit -= give
        }
        return result
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
