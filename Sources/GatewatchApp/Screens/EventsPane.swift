import GatewatchCore
import GatewatchUI

/// The events pane (`E`): the notable events of every release watched, newest first, those that arrived while this
/// session watched marked `new`, with a cursor; `enter` opens the selected event whole. Drawn over the lower part of
/// the screen; esc or `E` closes it.
enum EventsPane {
    static func rows(_ events: [AuditEvent]) -> [AuditEvent] {
        events.filter(NoticeLog.isNotable).sorted { ($0.time, $0.id ?? 0) > ($1.time, $1.id ?? 0) }
    }

    /// The rows' identities, newest first (the selection is kept by them).
    static func ids(_ events: [AuditEvent]) -> [AuditScreen.RowID] { rows(events).map(AuditScreen.RowID.init) }

    static func draw(into canvas: inout Canvas, events: [AuditEvent], notices: NoticeLog, selected: ListSelection<AuditScreen.RowID>,
                     detail: Bool, context: RenderContext) {
        let shown = rows(events)
        let height = min(max(4, shown.count + 2), max(4, (context.height - 4) / 2))
        let box = Rect(x: 0, y: context.height - 2 - height, width: context.width, height: height)
        guard box.width > 20, box.y > 0 else { return }
        canvas.fill(box, style: .plain)
        let fresh = shown.filter(notices.isNew).count
        let sel = selected.index(in: shown.map(AuditScreen.RowID.init))
        let title = "Events " + ReleaseScreen.position(selected: sel, count: shown.count) + (fresh > 0 ? " · \(fresh) while watching" : "")
            + (detail ? "" : " — enter opens, esc closes")
        let inner = Box.draw(into: &canvas, rect: box, title: title, theme: context.theme, glyphs: context.glyphs, focused: true)
        if shown.isEmpty {
            canvas.write("No promotions, rollbacks or acknowledgements yet.", x: inner.x + 1, y: inner.y, style: context.theme.style("text.dim"))
            return
        }
        let days = Set(shown.map { $0.time / 86_400 }).count > 1
        let first = Table.scrollOffset(selected: sel, current: 0, visibleRows: inner.height, rowCount: shown.count)
        for (i, e) in shown.dropFirst(first).prefix(inner.height).enumerated() {
            let y = inner.y + i
            let isSelected = first + i == sel
            let style = { (role: String) in isSelected ? context.theme.style("selection") : context.theme.style(role) }
            if isSelected { canvas.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: context.theme.style("selection")) }
            let role = e.kind == .rollback || e.kind == .refusal ? "rule.firing" : (e.kind == .override ? "warning" : "text")
            var x = inner.x
            x += canvas.write(isSelected ? context.glyphs.selectionMarker : " ", x: x, y: y, style: style("text"))
            x += canvas.write(notices.isNew(e) ? "new " : "    ", x: x, y: y, style: style("warning"))
            let time = days ? String(TimeText.minute(e.time).dropFirst(5)) : String(TimeText.minute(e.time).suffix(5))
            x += canvas.write(time + " ", x: x, y: y, style: style("text.dim"))
            // Each part cut with `…` where the row ends: enter opens the event whole.
            x += canvas.writeTruncated(e.release + " ", x: x, y: y, style: style("title"), maxWidth: inner.maxX - x)
            x += canvas.writeTruncated(NoticeLog.summary(e), x: x, y: y, style: style(role), maxWidth: inner.maxX - x)
            let who = e.role == .controller ? "automatic (\(e.actorText))" : "\(e.actorText) (\(e.role.rawValue))"
            if x < inner.maxX - 4 { x += canvas.writeTruncated(" by \(who)", x: x, y: y, style: style("text.dim"), maxWidth: inner.maxX - x) }
            if !e.reason.isEmpty, x < inner.maxX - 4 {
                canvas.writeTruncated(": " + TextSanitizer.clean(e.reason), x: x, y: y, style: style("text"), maxWidth: inner.maxX - x)
            }
        }
        if detail, let sel {
            let e = shown[sel]
            // The event over the whole screen below the header, on a clear background.
            let rect = Rect(x: 0, y: 1, width: context.width, height: context.height - 3)
            canvas.fill(rect, style: .plain)
            DetailPane.draw(into: &canvas, rect: rect, title: "event of \(e.release) — esc closes", fields: AuditScreen.fields(e), context: context)
        }
    }
}
