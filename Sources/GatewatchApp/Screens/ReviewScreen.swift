import GatewatchCore
import GatewatchUI

/// The post-release review: a timeline of every event with a cursor on top, and below it the release screen as it
/// was at the cursor (or the then-and-now table, or the checklist).
public enum ReviewScreen {
    static func symbol(_ kind: TimelineEvent.Kind, _ glyphs: GlyphSet) -> (String, String) {
        switch kind {
        case .start: return (glyphs.bullet, "stage.active")
        case .promotion: return (glyphs.arrowRight, "stage.done")
        case .rollback: return (glyphs.fail, "rule.firing")
        case .pause: return (glyphs.pause, "banner.paused")
        case .acknowledgement: return (glyphs.check, "rule.acknowledged")
        case .note: return ("✎", "text")
        case .refusal: return (glyphs.fail, "warning")
        case .rule: return (glyphs.pending, "rule.pending")
        case .dryRun: return (glyphs.pending, "text.dim")
        case .labels: return (glyphs.bullet, "text.dim")
        case .review: return (glyphs.check, "stage.done")
        }
    }

    /// `detail`: the selected event is open in full below the timeline (`enter`).
    public static func render(_ session: ReviewSession, live: ReleaseSnapshot?, keys: KeyTable, context: RenderContext, detail: Bool = false) -> Canvas {
        var canvas = Canvas(width: context.width, height: context.height)
        guard context.width >= ReleaseScreen.minimumWidth, context.height >= ReleaseScreen.minimumHeight else {
            ReleaseScreen.drawTooSmall(into: &canvas, context: context)
            return canvas
        }
        let theme = context.theme, glyphs = context.glyphs
        let events = session.timeline.events
        let history = session.history
        // Header: what is reviewed and where the cursor is.
        let elapsed = DurationText.format(max(0, session.cursor - history.start))
        var x = canvas.write("REVIEW ", x: 0, y: 0, style: theme.style("title"))
        x += canvas.write(history.release.slug, x: x, y: 0, style: theme.style("title"))
        x += canvas.write("  as of \(TimeText.minute(session.cursor)) (start +\(elapsed))", x: x, y: 0, style: theme.style("text"))
        let position = events.isEmpty ? "no events" : "event \(session.selectedEvent + 1)/\(events.count)"
        canvas.write("  \(position)", x: x, y: 0, style: theme.style("text.dim"), maxWidth: context.width - x)

        // The timeline takes a third of the screen, less when the dashboard below would not fit its minimum.
        var timelineHeight = max(6, min(context.height / 3, events.count + 3))
        let dashboardRoom = ReleaseScreen.minimumHeight
        if context.height - 3 - timelineHeight < dashboardRoom { timelineHeight = max(4, context.height - 3 - dashboardRoom) }
        let timelineRect = Rect(x: 0, y: 1, width: context.width, height: timelineHeight)
        let inner = Box.draw(into: &canvas, rect: timelineRect, title: "Timeline", theme: theme, glyphs: glyphs, focused: true)
        drawTimeline(into: &canvas, rect: inner, session: session, context: context)

        let lowerY = timelineRect.y + timelineRect.height
        let lower = Rect(x: 0, y: lowerY, width: context.width, height: context.height - lowerY - 2)
        switch session.view {
        case .dashboard:
            if let a = session.analysis, lower.height < dashboardRoom {
                drawSummary(into: &canvas, rect: lower, a, context: context)
            } else if let a = session.analysis {
                // The release screen as of the cursor; its own footer rows fall outside and are cut off.
                var model = ReleaseScreen()
                model.focus = .segments
                let health = SourceHealth(sourceName: "review of \(history.release.slug)", lastSuccess: 0, simulatedTime: a.asOf)
                let past = model.render(ReleaseSnapshot(analysis: a, health: health), keys: keys,
                                        context: RenderContext(width: context.width, height: lower.height + 2, theme: theme, glyphs: glyphs, now: 0))
                canvas.draw(past.cropped(rows: lower.height), at: (lower.x, lower.y))
            } else {
                canvas.write("The release had not started at this moment.", x: 2, y: lower.y + 1, style: theme.style("text.dim"))
            }
        case .thenNow:
            drawThenNow(into: &canvas, rect: lower, session.thenNow, scroll: session.thenNowScroll, context: context)
        case .checklist:
            drawChecklist(into: &canvas, rect: lower, session, keys: keys, context: context)
        }
        if detail, let event = session.selected {
            let rect = Rect(x: 0, y: lowerY, width: context.width, height: lower.height)
            canvas.fill(rect, style: .plain)
            DetailPane.draw(into: &canvas, rect: rect,
                            title: "event \(session.selectedEvent + 1)/\(events.count) — esc closes", fields: eventFields(event), context: context)
        }
        // The hints of the view in front: what j/k do there first.
        let step = ([AppAction.stepBack, .stepForward], "±\(DurationText.format(history.step))")
        let hints: [([AppAction], String)]
        switch session.view {
        case .thenNow:
            hints = [([.moveDown, .moveUp], "scroll"), ([.previousEvent, .nextEvent], "event"), step, ([.thenNow], "dashboard"),
                     ([.checklist], "checklist"), ([.back], "back"), ([.help], "help")]
        case .checklist:
            hints = [([.moveDown, .moveUp], "item"), ([.pauseResume], "tick"), ([.signOff], "sign off"), ([.previousEvent, .nextEvent], "event"),
                     ([.checklist], "close"), ([.back], "back"), ([.help], "help")]
        case .dashboard:
            hints = [([.previousEvent, .nextEvent], "event"), step, ([.top, .bottom], "start/end"), ([.thenNow], "then & now"),
                     ([.checklist], "checklist"), ([.note], "note"), ([.back], "back"), ([.quit], "quit")]
        }
        KeyHints.draw(into: &canvas, x: 1, y: context.height - 2, hints: hints, keys: keys, context: context)
        let status = live.map { "live: \($0.analysis.release.slug) \($0.analysis.state.status.label) · " } ?? ""
        // The record's span (its end is how far the labels are known); the end's date only when it is another day.
        let start = TimeText.minute(history.start), end = TimeText.minute(history.end)
        let span = "\(start) – \(Self.shortened(end, after: start))"
        var line = "\(status)record \(span)"
        if DisplayWidth.of(line + ", labels known to its end") <= context.width - 2 { line += ", labels known to its end" }
        canvas.writeTruncated(line, x: 1, y: context.height - 1, style: theme.style("text.dim"), maxWidth: context.width - 2)
        return canvas
    }

    /// Every field of a timeline event, whole (the timeline row may be cut at its width).
    static func eventFields(_ e: TimelineEvent) -> [(String, String)] {
        var fields: [(String, String)] = [("time", TimeText.iso(e.time)), ("kind", e.kind.rawValue), ("event", e.title)]
        if let segment = e.segment { fields.append(("segment", segment)) }
        if !e.detail.isEmpty { fields.append(("detail", e.detail)) }
        if let actor = e.actor { fields.append(("by", actor)) }
        if let id = e.auditID { fields.append(("audit", "event #\(id) of the audit log")) }
        return fields
    }

    /// A few lines about the moment when the full dashboard does not fit below the timeline.
    static func drawSummary(into canvas: inout Canvas, rect: Rect, _ a: ReleaseAnalysis, context: RenderContext) {
        let theme = context.theme
        let firing = a.rules.filter { $0.status == .firing && !$0.rule.dryRun }.count
        let pending = a.rules.filter { $0.status == .pending && !$0.rule.dryRun }.count
        let lines = [
            ("stage \(a.stage.name) · \(a.state.status.label) · \(firing) firing, \(pending) pending", "text"),
            (a.holdingGate.map { "held by \($0.gate.rawValue): \($0.reason)" } ?? "every gate passes", a.holdingGate == nil ? "stage.done" : "warning"),
            ("enlarge the terminal for the whole dashboard as of this moment", "text.dim"),
        ]
        for (i, (text, role)) in lines.enumerated() where i < rect.height {
            canvas.writeTruncated(text, x: rect.x + 1, y: rect.y + i, style: theme.style(role), maxWidth: rect.width - 2)
        }
    }

    static func drawTimeline(into canvas: inout Canvas, rect: Rect, session: ReviewSession, context: RenderContext) {
        let theme = context.theme, glyphs = context.glyphs
        let events = session.timeline.events
        guard rect.height > 0 else { return }
        guard !events.isEmpty else {
            canvas.write("No events recorded for this release.", x: rect.x + 1, y: rect.y, style: theme.style("text.dim"))
            return
        }
        let listHeight = max(1, rect.height - 1)
        let selectedIndex = session.selectedEvent
        let offset = Table.scrollOffset(selected: selectedIndex, current: 0, visibleRows: listHeight, rowCount: events.count)
        let wide = rect.width >= 110
        // Across days a clock time alone is ambiguous: the narrow form keeps the date (`11-06 09:40`).
        let history = session.history
        let spansDays = TimeText.minute(history.start).prefix(10) != TimeText.minute(history.end).prefix(10)
        // Segments in their short form (`EU/web`); the detail row below keeps the rule's full expression.
        let labels = ReleaseScreen.segmentLabels(history.release.segments.isEmpty
            ? Array(Set(events.compactMap(\.segment))) : history.release.segments.map(\.key))
        for (row, i) in (offset..<min(events.count, offset + listHeight)).enumerated() {
            let e = events[i]
            let y = rect.y + row
            let selected = i == selectedIndex
            let base = selected ? theme.style("selection") : theme.style("text")
            if selected { canvas.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), style: base) }
            var x = rect.x
            x += canvas.write(selected ? glyphs.selectionMarker : " ", x: x, y: y, style: base)
            let time = wide ? TimeText.minute(e.time) : String(TimeText.minute(e.time).dropFirst(spansDays ? 5 : 11))
            x += canvas.write("\(time) ", x: x, y: y, style: selected ? base : theme.style("text.dim"))
            let (symbol, role) = symbol(e.kind, glyphs)
            x += canvas.write("\(symbol) ", x: x, y: y, style: selected ? base : theme.style(role))
            x += canvas.write(e.kind.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0), x: x, y: y, style: selected ? base : theme.style("text.dim"))
            let title = e.segment.flatMap { seg in labels[seg].map { e.title.replacingOccurrences(of: "[\(seg)]", with: "[\($0)]") } } ?? e.title
            x += canvas.writeTruncated(title, x: x, y: y, style: base, maxWidth: rect.x + rect.width - x)
            if let actor = e.actor, x < rect.x + rect.width - 4 {
                canvas.writeTruncated("  by \(actor)", x: x, y: y, style: selected ? base : theme.style("text.dim"), maxWidth: rect.x + rect.width - x)
            }
        }
        // The selected event's detail (reason, value against threshold) on the last row.
        if let e = session.selected, !e.detail.isEmpty {
            canvas.writeTruncated("\(glyphs.arrowRight) \(e.detail)", x: rect.x + 1, y: rect.y + rect.height - 1, style: theme.style("text"),
                         maxWidth: rect.width - 2)
        }
    }

    /// A delta in points with two decimals, signed unless it rounds to zero (`0.00`, never `+0.00` or `-0.00`).
    static func signedPoints(_ delta: Double) -> String {
        let text = NumberText.fixed(abs(delta) * 100, decimals: 2)
        guard text.contains(where: { $0 != "0" && $0 != "." }) else { return text }
        return (delta < 0 ? "-" : "+") + text
    }

    /// A delta with its always-valid interval and challenger count; `compact` (narrow screens, the unit in the
    /// column's header) leaves out the unit and the count and prints the interval to one decimal.
    static func deltaText(_ c: MetricComparison?, compact: Bool = false) -> String {
        guard let c else { return "–" }
        let e = c.estimate
        if compact {
            let interval = c.sequential.map { "[\(NumberText.fixed($0.ciLow * 100, decimals: 1)),\(NumberText.fixed($0.ciHigh * 100, decimals: 1))]" } ?? "[–]"
            return "\(signedPoints(e.delta))\(c.stars) \(interval)"
        }
        let interval = c.sequential.map { "[\(NumberText.fixed($0.ciLow * 100, decimals: 2)), \(NumberText.fixed($0.ciHigh * 100, decimals: 2))]" } ?? "[–]"
        return "\(signedPoints(e.delta))pt\(c.stars) \(interval) n=\(Int(c.challengerCount))"
    }

    /// A `yyyy-MM-dd HH:mm` time written after `earlier`: without the date on the same day, without the year in the
    /// same year.
    static func shortened(_ time: String, after earlier: String) -> String {
        if time.prefix(10) == earlier.prefix(10) { return String(time.dropFirst(11)) }
        if time.prefix(4) == earlier.prefix(4) { return String(time.dropFirst(5)) }
        return time
    }

    /// The change's words on a narrow screen ("now worse" → "worse").
    static func shortChange(_ change: String) -> String {
        switch change {
        case "now worse": return "worse"
        case "now better": return "better"
        case "no longer worse": return "was worse"
        case "sign flipped": return "flipped"
        default: return change
        }
    }

    /// The rows of then-and-now in screen order: changed rows first, so the known change is on screen.
    static func thenNowRows(_ thenNow: ThenNow) -> [ThenNow.Row] {
        thenNow.rows.enumerated().sorted { l, r in
            (l.element.change != nil) != (r.element.change != nil) ? l.element.change != nil : l.offset < r.offset
        }.map(\.element)
    }

    /// `scroll` is the first row shown (clamped here to the rows there are); the title says which rows are on screen.
    static func drawThenNow(into canvas: inout Canvas, rect: Rect, _ thenNow: ThenNow?, scroll: Int = 0, context: RenderContext) {
        let theme = context.theme, glyphs = context.glyphs
        let count = thenNow?.rows.count ?? 0
        let maturity = thenNow?.maturityThen.map { "labels \(NumberText.percent($0, decimals: 0)) mature" } ?? "no labels"
        let moments = thenNow.map { t -> String in
            // The labels' date only when it is not the day of the moment under review.
            let then = TimeText.minute(t.asOf)
            return "then \(then), \(maturity) · now: labels by \(Self.shortened(TimeText.minute(t.labelsKnownBy), after: then)) (+\(DurationText.format(t.labelsKnownBy - t.asOf)))"
        }
        // When the moments do not fit the title (with the longest position it can have) they get the panel's first
        // line: never cut.
        let inTitle = moments.map { DisplayWidth.of("Then and now [\(count)–\(count)/\(count)] · \($0)") + 6 <= rect.width } ?? true
        let visible = max(1, rect.height - 3 - (inTitle ? 0 : 1))
        // The top row is the model's scroll (a last page may be short, so every key press moves the view).
        let first = min(max(0, scroll), max(0, count - 1))
        // The row position first, so a narrow title still says where the list is.
        let position = count > visible || first > 0 ? " [\(first + 1)–\(min(count, first + visible))/\(count)]" : ""
        let title = inTitle ? moments.map { "Then and now\(position) · \($0)" } ?? "Then and now" : "Then and now\(position)"
        var inner = Box.draw(into: &canvas, rect: rect, title: title, theme: theme, glyphs: glyphs, focused: false)
        guard let thenNow else {
            canvas.write("Nothing to compare at this moment.", x: inner.x + 1, y: inner.y, style: theme.style("text.dim"))
            return
        }
        if !inTitle, var moments, inner.height > 2 {
            // Without the year of "then" when that is what fits (the review's header has it).
            if DisplayWidth.of(moments) > inner.width - 2, moments.hasPrefix("then 20") { moments = "then " + moments.dropFirst(10) }
            canvas.writeTruncated(moments, x: inner.x + 1, y: inner.y, style: theme.style("text.dim"), maxWidth: inner.width - 2)
            inner = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 1)
        }
        // Narrow: the unit moves to the headers, the intervals lose a decimal and the count, the change is a word.
        let compact = inner.width < 110
        let columns = compact ? [
            TableColumn(title: "SEGMENT", width: .fill(1)),
            TableColumn(title: "METRIC", width: .fixed(9)),
            TableColumn(title: "Δpt THEN", width: .fixed(22)),
            TableColumn(title: "Δpt NOW", width: .fixed(22)),
            TableColumn(title: "CHANGE", width: .fixed(11)),
        ] : [
            TableColumn(title: "SEGMENT", width: .fill(1)),
            TableColumn(title: "METRIC", width: .fixed(10)),
            TableColumn(title: "Δ THEN", width: .fill(2)),
            TableColumn(title: "Δ NOW", width: .fill(2)),
            TableColumn(title: "CHANGE", width: .fixed(16)),
        ]
        let rows = thenNowRows(thenNow)
        let labels = ReleaseScreen.segmentLabels(Array(Set(rows.compactMap(\.segment))))
        let cells: [[TableCell]] = rows.map { row in
            let change = row.change
            let words = change.map { compact ? shortChange($0) : $0 }
            return [TableCell(row.segment.map { labels[$0] ?? $0 } ?? "overall", role: row.segment == nil ? "text.dim" : nil),
                    TableCell(row.metric.screenName),
                    TableCell(deltaText(row.then, compact: compact), role: "text.dim"),
                    TableCell(deltaText(row.now, compact: compact), role: change == nil ? "text" : (change == "now worse" ? "delta.bad" : "warning")),
                    TableCell(words.map { "\(change == "now worse" ? glyphs.warning : glyphs.bullet) \($0)" } ?? "",
                              role: change == nil ? "text" : (change == "now worse" ? "delta.bad" : (change == "now better" ? "delta.good" : "warning")))]
        }
        Table.draw(into: &canvas, rect: inner, columns: columns, rows: cells, selectedRow: nil, scrollOffset: first, theme: theme, glyphs: glyphs)
    }

    static func drawChecklist(into canvas: inout Canvas, rect: Rect, _ session: ReviewSession, keys: KeyTable, context: RenderContext) {
        let theme = context.theme, glyphs = context.glyphs
        let checklist = session.checklist
        let inner = Box.draw(into: &canvas, rect: rect, title: "Review checklist", theme: theme, glyphs: glyphs, focused: true)
        var y = inner.y
        for (i, item) in ReviewChecklist.items.enumerated() where y < inner.y + inner.height {
            let selected = i == session.checklistSelection
            let style = selected ? theme.style("selection") : theme.style("text")
            if selected { canvas.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: style) }
            let tick = checklist.ticked[item]
            var x = inner.x
            x += canvas.write(selected ? glyphs.selectionMarker : " ", x: x, y: y, style: style)
            x += canvas.write(tick == nil ? "[ ] " : "[\(glyphs.check)] ", x: x, y: y, style: selected ? style : theme.style(tick == nil ? "text" : "stage.done"))
            x += canvas.write(item, x: x, y: y, style: style)
            if let tick {
                canvas.write("  \(tick.actorText), \(TimeText.minute(tick.time))", x: x, y: y, style: selected ? style : theme.style("text.dim"), maxWidth: inner.x + inner.width - x)
            }
            y += 1
        }
        y += 1
        if y < inner.y + inner.height {
            if let done = checklist.signOff {
                canvas.write("\(glyphs.check) Signed off by \(done.actorText) at \(TimeText.minute(done.time))\(done.reason.isEmpty ? "" : ": \(done.reason)")",
                             x: inner.x + 1, y: y, style: theme.style("stage.done"), maxWidth: inner.width - 2)
            } else {
                let tick = KeyHints.key(.pauseResume, in: keys) ?? "space"
                canvas.write(checklist.complete ? "Every item ticked: sign off with \(KeyHints.key(.signOff, in: keys) ?? "S")."
                                                : "Not signed off: \(checklist.missing.count) item(s) to tick (\(tick) ticks the selected item).",
                             x: inner.x + 1, y: y, style: theme.style(checklist.complete ? "text" : "warning"), maxWidth: inner.width - 2)
            }
        }
    }
}
