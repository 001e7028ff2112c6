import GatewatchCore
import GatewatchUI

/// The audit log: every action, override and refusal, newest first, filtered by `release:`, `operator:`, `kind:`
/// tokens and free text (`/`).
public enum AuditScreen {
    /// What the selection keeps an event by: its release and its position in that release's log (events of several
    /// releases are listed together, and positions are per store or per release).
    public struct RowID: Hashable, Sendable {
        public var release: String
        public var id: Int64?
        public var time: Timestamp

        public init(_ e: AuditEvent) {
            release = e.release
            id = e.id
            time = e.time
        }
    }

    /// The identities of the rows shown, in order.
    public static func ids(_ events: [AuditEvent], filter: String, sort: AuditSort = .newest) -> [RowID] {
        filtered(events, filter: filter, sort: sort).map(RowID.init)
    }

    /// Events that match a filter such as `kind:rollback operator:ana canary`.
    public static func filtered(_ events: [AuditEvent], filter: String, sort: AuditSort = .newest) -> [AuditEvent] {
        let tokens = filter.lowercased().split(separator: " ").map(String.init)
        return events.filter { e in
            tokens.allSatisfy { token in
                let parts = token.split(separator: ":", maxSplits: 1).map(String.init)
                if parts.count == 2 {
                    switch parts[0] {
                    case "release": return e.release.lowercased().contains(parts[1])
                    case "operator", "actor": return e.actorText.lowercased().contains(parts[1])
                    case "kind": return e.kind.rawValue == parts[1]
                    case "role": return e.role.rawValue == parts[1]
                    default: break
                    }
                }
                return [e.release, e.actor, e.kind.rawValue, e.reason, e.fromState, e.toState].contains { $0.lowercased().contains(token) }
            }
        }.sorted { l, r in
            let newer = (l.time, l.id ?? 0) > (r.time, r.id ?? 0)
            switch sort {
            case .newest: return newer
            case .oldest: return (l.time, l.id ?? 0) < (r.time, r.id ?? 0)
            case .release: return l.release != r.release ? l.release < r.release : newer
            case .actor: return l.actor != r.actor ? l.actor < r.actor : newer
            case .kind: return l.kind != r.kind ? l.kind.rawValue < r.kind.rawValue : newer
            }
        }
    }

    /// Every field of an event, whole (the `enter` pane).
    static func fields(_ e: AuditEvent) -> [(String, String)] {
        var out: [(String, String)] = [
            ("time", TimeText.iso(e.time)),
            ("release", e.release),
            ("kind", e.kind.rawValue),
            ("operator", e.actor + (e.role == .controller ? " (automatic)" : "")),
        ]
        if let display = e.actorDisplay { out.append(("as", "“\(display)” (the name given; the operator above is who authenticated)")) }
        out.append(("role", e.role.rawValue))
        out.append(("change", "\(e.fromState) → \(e.toState)"))
        out.append(("reason", e.reason.isEmpty ? "none given" : e.reason))
        out.append(("entry", e.id.map { "#\($0) of the \(e.release == AuditEvent.storeLog ? "store's" : "release's") log" } ?? "not stored yet"))
        return out
    }

    public static func render(_ events: [AuditEvent], filter: String, selected: ListSelection<RowID>, health: SourceHealth?, keys: KeyTable = .default,
                              context: RenderContext, detail: Bool = false, sort: AuditSort = .newest) -> Canvas {
        var canvas = Canvas(width: context.width, height: context.height)
        guard context.width >= ReleaseScreen.minimumWidth, context.height >= ReleaseScreen.minimumHeight else {
            ReleaseScreen.drawTooSmall(into: &canvas, context: context)
            return canvas
        }
        let theme = context.theme, glyphs = context.glyphs
        let rows = filtered(events, filter: filter, sort: sort)
        let full = Rect(x: 0, y: 0, width: context.width, height: context.height)
        let parts = full.split(.vertical, [.fixed(1), .fill(1), .fixed(1), .fixed(1)])
        canvas.write("Audit log — \(rows.count) of \(events.count) events" + (filter.isEmpty ? "" : " matching '\(filter)'"),
                     x: 0, y: 0, style: theme.style("title"), maxWidth: context.width)
        let inner = Box.draw(into: &canvas, rect: parts[1], title: "\(sort.rawValue) " + ReleaseScreen.position(selected: selected.index(in: rows.map(RowID.init)), count: rows.count),
                             theme: theme, glyphs: glyphs, focused: true)
        let wide = context.width >= 120
        // Columns as wide as their content; the reason keeps at least a third of the row (the whole event is one
        // `enter` away), the release's name gives way last.
        var columns = [
            TableColumn(title: "TIME (UTC)", width: .fixed(wide ? 16 : 11)),
            TableColumn.fitted("RELEASE", minimum: 12, priority: 5),
            TableColumn.fitted("OPERATOR", minimum: 10, priority: 4),
            TableColumn.fitted("ROLE", minimum: 6, priority: 2),
            TableColumn.fitted("KIND", minimum: 7, priority: 3),
            TableColumn.fitted("FROM → TO", minimum: 12, priority: 1),
            // The reason keeps a quarter of the row, or less when no reason shown is that long (the change then fits).
            TableColumn(title: "REASON", width: .minimum(max(12, min(context.width / 4, rows.map { DisplayWidth.of($0.reason) }.max() ?? 0)))),
        ]
        // Narrow: the role and the change are left to the event's pane.
        if !wide { columns.remove(at: 5); columns.remove(at: 3) }
        let cells: [[TableCell]] = rows.map { e in
            let role = e.kind == .rollback || e.kind == .refusal ? "rule.firing" : (e.kind == .override ? "warning" : "text")
            let time = wide ? TimeText.minute(e.time) : String(TimeText.minute(e.time).dropFirst(5))
            var row = [TableCell(time), TableCell(e.release), TableCell(e.actorText), TableCell(e.role.rawValue), TableCell(e.kind.rawValue, role: role),
                       TableCell("\(e.fromState) \(glyphs.arrowRight) \(e.toState)", role: "text.dim"), TableCell(e.reason)]
            if !wide { row.remove(at: 5); row.remove(at: 3) }
            return row
        }
        let visible = Table.visibleRowCount(in: inner)
        let sel = selected.index(in: rows.map(RowID.init))
        Table.draw(into: &canvas, rect: inner, columns: columns, rows: cells, selectedRow: sel,
                   scrollOffset: Table.scrollOffset(selected: sel, current: 0, visibleRows: visible, rowCount: rows.count), theme: theme, glyphs: glyphs)
        if rows.isEmpty {
            canvas.write(events.isEmpty ? "No audit events yet." : "Nothing matches '\(filter)'.", x: inner.x + 2, y: inner.y + 1, style: theme.style("text.dim"))
        }
        if detail, let sel, rows.indices.contains(sel) {
            let e = rows[sel]
            DetailPane.draw(into: &canvas, rect: parts[1], title: "\(e.kind.rawValue) · \(e.release) — esc closes, j/k: other events",
                            fields: fields(e), context: context)
        }
        KeyHints.draw(into: &canvas, x: 1, y: parts[2].y, hints: [([.explain], detail ? "close" : "open"), ([.filter], "filter (release: operator: kind:)"),
                      ([.moveDown, .moveUp], "move"), ([.sort], "sort"), ([.back], "back"), ([.help], "help"), ([.quit], "quit")], keys: keys, context: context)
        if let health { ReleaseScreen().drawStatus(into: &canvas, rect: parts[3], health, context) }
        return canvas
    }
}
