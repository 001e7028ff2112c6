/// The stage plan as a left-to-right strip: `✓ shadow → ● canary → ○ ab`, with each stage's detail (and the
/// active stage's bake bar) on the line below. State is shown by a symbol as well as by colour.
public enum StageStrip {
    /// Width of the bake bar inside `[` `]` for the active stage, when there is room.
    public static let bakeBarWidth = 6

    /// Draws `items` in `rect`. When the strip does not fit it first drops the bake bar, then tightens the
    /// separators, then abbreviates names (the active stage's last; a cut `kind-N` name keeps its end: `can…25`); with a height of 1 the detail line is dropped.
    public static func draw(into canvas: inout Canvas, rect: Rect, items: [StageStripItem], theme: Theme,
                            glyphs: GlyphSet) {
        guard !rect.isEmpty, !items.isEmpty else { return }
        let twoLines = rect.height >= 2
        let n = items.count

        func marker(_ s: StageStripItem.State) -> String {
            switch s {
            case .done: return glyphs.check
            case .active: return glyphs.bullet
            case .pending: return glyphs.pending
            case .failed: return glyphs.fail
            }
        }
        func role(_ s: StageStripItem.State) -> String {
            switch s {
            case .done: return "stage.done"
            case .active: return "stage.active"
            case .pending: return "stage.pending"
            case .failed: return "stage.failed"
            }
        }
        func bar(_ item: StageStripItem, _ width: Int) -> String? {
            guard item.state == .active, let p = item.progress, width > 0 else { return nil }
            return "[" + HorizontalBar.render(fraction: p, width: width, glyphs: glyphs) + "]"
        }
        func detailWidth(_ item: StageStripItem, bar barW: Int) -> Int {
            guard twoLines else { return 0 }
            var w = DisplayWidth.of(item.detail)
            if let b = bar(item, barW) { w += (w > 0 ? 1 : 0) + DisplayWidth.of(b) }
            return w
        }

        // Try progressively more compact layouts.
        let wideSep = " " + glyphs.arrowRight + " "
        var sep = wideSep
        var barW = bakeBarWidth
        var columnWidths: [Int] = []
        var budget: Int? = nil // per-stage cap when abbreviating
        var markersOnly = false
        var activeWhole: Int? = nil
        for attempt in 0..<4 {
            switch attempt {
            case 1: barW = 0
            case 2: sep = glyphs.arrowRight
            case 3:
                budget = max(1, (rect.width - DisplayWidth.of(sep) * (n - 1)) / n)
                if budget! < 3 {
                    // Too narrow for names: symbols only (the active stage may get some of its name back).
                    markersOnly = true
                    budget = 1
                } else if n > 1, let active = items.firstIndex(where: { $0.state == .active }) {
                    // The active stage keeps its whole name when the others can still keep four columns each.
                    let whole = DisplayWidth.of(marker(.active)) + 1 + DisplayWidth.of(items[active].name)
                    let others = (rect.width - DisplayWidth.of(sep) * (n - 1) - whole) / (n - 1)
                    if others >= 4 { budget = others; activeWhole = whole }
                }
            default: break
            }
            let natural = items.map { item in
                max(DisplayWidth.of(marker(item.state)) + 1 + DisplayWidth.of(item.name), detailWidth(item, bar: barW))
            }
            columnWidths = markersOnly ? items.map { DisplayWidth.of(marker($0.state)) }
                : zip(items, natural).map { item, w in
                    if item.state == .active, let whole = activeWhole { return min(w, max(whole, budget ?? w)) }
                    return budget.map { min($0, w) } ?? w
                }
            var spare = rect.width - columnWidths.reduce(0, +) - DisplayWidth.of(sep) * (n - 1)
            if spare >= 0 {
                // Hand spare columns back to abbreviated stages, the active one first.
                let order = items.indices.sorted { (items[$0].state == .active ? 0 : 1, $0) < (items[$1].state == .active ? 0 : 1, $1) }
                var progressed = true
                while spare > 0 && progressed {
                    progressed = false
                    for i in order where spare > 0 && columnWidths[i] < natural[i]
                        && (!markersOnly || items[i].state == .active) {
                        columnWidths[i] += 1
                        spare -= 1
                        progressed = true
                    }
                }
                break
            }
        }

        let sepStyle = theme.style("text.dim")
        var x = rect.x
        for (i, item) in items.enumerated() {
            guard x < rect.maxX else { break }
            let cw = min(columnWidths[i], rect.maxX - x)
            let style = theme.style(role(item.state))
            // A cut name keeps its end (`ca…25`), where stages of one kind differ, and says it is cut.
            let markerText = marker(item.state) + " "
            let nameRoom = cw - DisplayWidth.of(markerText)
            let cut = nameRoom >= 3 && DisplayWidth.of(item.name) > nameRoom
            let label = !cut ? DisplayWidth.truncate(markerText + item.name, toWidth: cw, ellipsis: "")
                : markerText + (item.name.contains("-") ? DisplayWidth.truncateMiddle(item.name, toWidth: nameRoom, ellipsis: glyphs.ellipsis)
                                                         : DisplayWidth.truncate(item.name, toWidth: nameRoom, ellipsis: glyphs.ellipsis))
            canvas.write(label, x: x, y: rect.y, style: style, maxWidth: cw)
            if twoLines && !markersOnly {
                let y = rect.y + 1
                let detailStyle = item.state == .active ? style : theme.style("text.dim")
                var dx = x
                if !item.detail.isEmpty {
                    dx += canvas.write(DisplayWidth.truncate(item.detail, toWidth: cw, ellipsis: glyphs.ellipsis), x: dx, y: y,
                                       style: detailStyle, maxWidth: cw)
                }
                if let b = bar(item, barW), dx + (dx > x ? 1 : 0) + DisplayWidth.of(b) <= x + cw {
                    if dx > x { dx += 1 }
                    canvas.write(b, x: dx, y: y, style: style, maxWidth: x + cw - dx)
                }
            }
            x += cw
            if i < n - 1 && x < rect.maxX {
                x += canvas.write(sep, x: x, y: rect.y, style: sepStyle, maxWidth: rect.maxX - x)
            }
        }
    }
}
