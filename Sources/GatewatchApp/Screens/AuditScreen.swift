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
    public static func ids(_ events: [AuditEvent], filter: String) -> [RowID] {
        filtered(events, filter: filter).map(RowID.init)
    }

    /// Events that match a filter such as `kind:rollback operator:ana canary`.
    public static func filtered(_ events: [AuditEvent], filter: String) -> [AuditEvent] {
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
        }.sorted { ($0.time, $0.id ?? 0) > ($1.time, $1.id ?? 0) }
    }

    public static func render(_ events: [AuditEvent], filter: String, selected: ListSelection<RowID>, health: SourceHealth?, keys: KeyTable = .default,
                              context: RenderContext) -> Canvas {
        var canvas = Canvas(width: context.width, height: context.height)
        guard context.width >= ReleaseScreen.minimumWidth, context.height >= ReleaseScreen.minimumHeight else {
            ReleaseScreen.drawTooSmall(into: &canvas, context: context)
            return canvas
        }
        let theme = context.theme, glyphs = context.glyphs
        let rows = filtered(events, filter: filter)
        let full = Rect(x: 0, y: 0, width: context.width, height: context.height)
        let parts = full.split(.vertical, [.fixed(1), .fill(1), .fixed(1), .fixed(1)])
        canvas.write("Audit log — \(rows.count) of \(events.count) events" + (filter.isEmpty ? "" : " matching '\(filter)'"),
                     x: 0, y: 0, style: theme.style("title"), maxWidth: context.width)
        let inner = Box.draw(into: &canvas, rect: parts[1], title: "newest first " + ReleaseScreen.position(selected: selected.index(in: rows.map(RowID.init)), count: rows.count),
                             theme: theme, glyphs: glyphs, focused: true)
        let wide = context.width >= 120
        var columns = [
            TableColumn(title: "TIME (UTC)", width: .fixed(wide ? 16 : 11)),
            TableColumn(title: "RELEASE", width: .fixed(wide ? 20 : 12)),
            TableColumn(title: "OPERATOR", width: .fixed(wide ? 18 : 10)),
            TableColumn(title: "ROLE", width: .fixed(wide ? 10 : 7)),
            TableColumn(title: "KIND", width: .fixed(wide ? 11 : 9)),
            TableColumn(title: "FROM → TO", width: .fixed(24)),
            TableColumn(title: "REASON", width: .fill(1)),
        ]
        if !wide { columns.remove(at: 5) }
        let cells: [[TableCell]] = rows.map { e in
            let role = e.kind == .rollback || e.kind == .refusal ? "rule.firing" : (e.kind == .override ? "warning" : "text")
            let time = wide ? TimeText.minute(e.time) : String(TimeText.minute(e.time).dropFirst(5))
            var row = [TableCell(time), TableCell(e.release), TableCell(e.actorText), TableCell(e.role.rawValue), TableCell(e.kind.rawValue, role: role),
                       TableCell("\(e.fromState) \(glyphs.arrowRight) \(e.toState)", role: "text.dim"), TableCell(e.reason)]
            if !wide { row.remove(at: 5) }
            return row
        }
        let visible = Table.visibleRowCount(in: inner)
        let sel = selected.index(in: rows.map(RowID.init))
        Table.draw(into: &canvas, rect: inner, columns: columns, rows: cells, selectedRow: sel,
                   scrollOffset: Table.scrollOffset(selected: sel, current: 0, visibleRows: visible, rowCount: rows.count), theme: theme, glyphs: glyphs)
        if rows.isEmpty {
            canvas.write(events.isEmpty ? "No audit events yet." : "Nothing matches '\(filter)'.", x: inner.x + 2, y: inner.y + 1, style: theme.style("text.dim"))
        }
        KeyHints.draw(into: &canvas, x: 1, y: parts[2].y, hints: [([.filter], "filter (release: operator: kind:)"),
                      ([.moveDown, .moveUp], "move"), ([.back], "back"), ([.quit], "quit")], keys: keys, context: context)
        if let health { ReleaseScreen().drawStatus(into: &canvas, rect: parts[3], health, context) }
        return canvas
    }
}
