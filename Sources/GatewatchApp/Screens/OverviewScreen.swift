import Foundation
import GatewatchCore
import GatewatchUI

/// One row per release: stage, traffic, health (worst rule state), time in stage, owner; `enter` opens it.
public enum OverviewScreen {
    /// Releases in a stable order: by default the worst health first, then by slug.
    public static func ordered(_ snapshots: [ReleaseSnapshot], sort: OverviewSort = .health) -> [ReleaseSnapshot] {
        // Each row's key computed once (health looks at every rule and gate).
        let keyed = snapshots.map { s -> (key: (String, Int, String), snapshot: ReleaseSnapshot) in
            let a = s.analysis
            switch sort {
            case .health: return (("", -health(a).rank, a.release.slug), s)
            case .name: return (("", 0, a.release.slug), s)
            case .stage: return (("", -a.state.stageIndex, a.release.slug), s)
            case .owner: return ((a.release.owner, 0, a.release.slug), s)
            }
        }
        return keyed.sorted { $0.key < $1.key }.map(\.snapshot)
    }

    /// The slugs in the order shown: the identities the selection is kept by.
    public static func ids(_ snapshots: [ReleaseSnapshot], sort: OverviewSort = .health, filter: String = "") -> [String] {
        shown(snapshots, sort: sort, filter: filter).map(\.analysis.release.slug)
    }

    /// The rows shown: the releases whose name, stage, owner or health contain `filter` (any case), in `sort` order.
    public static func shown(_ snapshots: [ReleaseSnapshot], sort: OverviewSort = .health, filter: String = "") -> [ReleaseSnapshot] {
        let rows = ordered(snapshots, sort: sort)
        let needle = filter.trimmingCharacters(in: .whitespaces).lowercased()
        guard !needle.isEmpty else { return rows }
        return rows.filter { s in
            let a = s.analysis
            return [a.release.slug, a.stage.name, a.release.owner, health(a).text].contains { $0.lowercased().contains(needle) }
        }
    }

    static func health(_ a: ReleaseAnalysis) -> (text: String, role: String, rank: Int) {
        if a.state.status == .rolledBack { return ("rolled back", "rule.firing", 4) }
        if !a.firingRollbackRules.isEmpty { return ("ROLLBACK FIRING", "rule.firing", 5) }
        switch a.worstRuleStatus {
        case .firing: return ("firing", "rule.firing", 3)
        case .pending: return ("pending", "rule.pending", 2)
        case .ok:
            // Stale or future-dated data is never "ok": nothing says the rules would still be ok now.
            if let f = a.freshness, !f.isCurrent { return (f.isStale ? "STALE" : "future data", "warning", 2) }
            if a.gates.contains(where: { $0.outcome == .inconclusive }) { return ("inconclusive", "rule.inconclusive", 1) }
            // A release that waits only for an owner is not simply "ok": someone has to act.
            if case .awaitingApproval(0) = PromotionOutlook.of(a), a.state.status == .running { return ("awaiting approval", "rule.inconclusive", 1) }
            return ("ok", "rule.ok", 0)
        }
    }

    /// `expected`: how many releases the sources follow; while fewer are in, the title says the rest are being read.
    public static func render(_ snapshots: [ReleaseSnapshot], selected: ListSelection<String>, keys: KeyTable, context: RenderContext,
                              expected: Int? = nil, sort: OverviewSort = .health, filter: String = "") -> Canvas {
        var canvas = Canvas(width: context.width, height: context.height)
        guard context.width >= ReleaseScreen.minimumWidth, context.height >= ReleaseScreen.minimumHeight else {
            ReleaseScreen.drawTooSmall(into: &canvas, context: context)
            return canvas
        }
        let theme = context.theme, glyphs = context.glyphs
        let full = Rect(x: 0, y: 0, width: context.width, height: context.height)
        let parts = full.split(.vertical, [.fixed(1), .fill(1), .fixed(1), .fixed(1)])
        var title = "gatewatch — \(snapshots.count) release\(snapshots.count == 1 ? "" : "s")"
        if let expected, snapshots.count < expected { title = "gatewatch — \(snapshots.count) of \(expected) releases (reading the others…)" }
        canvas.write(title, x: 0, y: 0, style: theme.style("title"))
        let rows = shown(snapshots, sort: sort, filter: filter)
        // With a filter the order goes without its "sort:" so the filter and what it hides fit at 80 columns.
        var heading = "Releases " + ReleaseScreen.position(selected: selected.index(in: rows.map(\.analysis.release.slug)), count: rows.count)
            + (filter.isEmpty ? " · sort: \(sort.rawValue)" : " · \(sort.rawValue)")
        if !filter.isEmpty {
            // A filter never hides trouble silently: the title counts what it hides, and the worst of it.
            let hidden = ordered(snapshots, sort: .health).filter { s in !rows.contains { $0.analysis.release.slug == s.analysis.release.slug } }
            heading += " · filter: \(filter)"
            if !hidden.isEmpty {
                // The hidden releases that are not ok, by their health when they share one ("1 firing", "2 not ok").
                let troubled = hidden.map { health($0.analysis) }.filter { $0.rank >= 2 }
                let kinds = Set(troubled.map(\.text))
                heading += " · \(hidden.count) hidden" + (troubled.isEmpty ? "" : " (\(troubled.count) \(kinds.count == 1 ? kinds.first! : "not ok"))")
            }
        }
        let inner = Box.draw(into: &canvas, rect: parts[1], title: heading, theme: theme, glyphs: glyphs, focused: true)
        // Names first: every column as wide as its content, the release's name the last to give way.
        var columns = [
            TableColumn.fitted("RELEASE", minimum: 12, priority: 6),
            TableColumn.fitted("STAGE", minimum: 6, priority: 5),
            TableColumn.fitted("TRAFFIC", minimum: 7, priority: 4, alignRight: true),
            TableColumn.fitted("HEALTH", minimum: 10, priority: 3),
            TableColumn.fitted("NEXT", minimum: 8, priority: 2),
            TableColumn.fitted("IN STAGE", minimum: 8, priority: 4, alignRight: true),
            TableColumn.fitted("OWNER", minimum: 5, priority: 1),
        ]
        // A note column only when a release has something to note (a hold of automatic rollback, stale data).
        let notes = rows.map { note($0.analysis) }
        if notes.contains(where: { !$0.text.isEmpty }) { columns.append(TableColumn(title: "NOTE", width: .fill(1))) }
        let cells: [[TableCell]] = zip(rows, notes).map { s, note in
            let a = s.analysis
            let h = health(a)
            let symbol = h.rank >= 3 ? glyphs.fail : (h.rank >= 1 ? glyphs.pending : glyphs.check)
            let traffic = a.stage.kind == .shadow ? "shadow" : NumberText.percent(plannedShare(a), decimals: 0)
            return [TableCell(a.release.slug), TableCell(a.stage.name), TableCell(traffic),
                    TableCell("\(symbol) \(h.text)", role: h.role), next(a), TableCell(DurationText.format(a.timeInStage)), TableCell(a.release.owner)]
                + (columns.count > 7 ? [note] : [])
        }
        let visible = Table.visibleRowCount(in: inner)
        let sel = selected.index(in: rows.map(\.analysis.release.slug))
        Table.draw(into: &canvas, rect: inner, columns: columns, rows: cells, selectedRow: sel,
                   scrollOffset: Table.scrollOffset(selected: sel, current: 0, visibleRows: visible, rowCount: rows.count), theme: theme, glyphs: glyphs)
        if rows.isEmpty, !filter.isEmpty, inner.height > 1 {
            canvas.write("No release matches '\(filter)' (esc clears the filter).", x: inner.x + 1, y: inner.y + 1, style: theme.style("text.dim"),
                         maxWidth: inner.width - 2)
        }
        KeyHints.draw(into: &canvas, x: 1, y: parts[2].y, hints: [([.explain], "open"), ([.moveDown, .moveUp], "move"), ([.filter], "filter"), ([.sort], "sort"),
                      ([.command], "command"), ([.help], "help"), ([.quit], "quit")], keys: keys, context: context)
        if let health = snapshots.first?.health { ReleaseScreen().drawStatus(into: &canvas, rect: parts[3], health, context) }
        return canvas
    }

    /// When the release can be promoted (`PromotionOutlook`): "now", "in ~32m", "approval", "approval in ~32m", or the
    /// gate that holds it without a time ("held: blocking rules").
    static func next(_ a: ReleaseAnalysis) -> TableCell {
        switch PromotionOutlook.of(a) {
        case .promotable: return TableCell("now", role: "rule.ok")
        case .waiting(let s): return TableCell("in ~\(DurationText.format(s))", role: "text")
        case .awaitingApproval(let s): return TableCell(s > 0 ? "approval in ~\(DurationText.format(s))" : "approval", role: "rule.inconclusive")
        case .held(let gates): return TableCell("held: \(gates.first!.label)", role: "warning")
        case .none: return TableCell("–", role: "text.dim")
        }
    }

    /// What else an on-call must see on the row: a hold of automatic rollback and its expiry, stale data's age.
    static func note(_ a: ReleaseAnalysis) -> TableCell {
        var parts: [String] = []
        if let hold = a.state.activeRollbackHold(at: a.asOf) {
            parts.append("auto-rollback held to \(ReleaseScreen.heldText(hold.until, now: a.asOf))")
        }
        if let f = a.freshness, !f.isCurrent {
            parts.append(f.age.map { "data \(DurationText.format($0)) old" } ?? "future-dated data refused")
        }
        // An A/B stage waiting for its planned samples says when it will be decided; once decided, what.
        var warned = !parts.isEmpty
        if a.state.status == .running, !a.plannedSamples.isEmpty, let gate = a.gates.first(where: { $0.gate == .plannedSamples }) {
            if a.plannedSamples.allSatisfy(\.reached) {
                let worse = a.plannedSamples.contains { $0.verdict == .worse }
                warned = warned || worse
                parts.append(worse ? "decided: challenger worse" : gate.passed ? "decided: no primary metric worse" : "decision: no test at the horizon")
            } else if !gate.passed {
                parts.append(gate.etaSeconds.map { "decision in ~\(DurationText.format($0))" } ?? "decision: no estimate yet")
            }
        }
        return TableCell(parts.joined(separator: " · "), role: warned ? "warning" : (parts.isEmpty ? nil : "text.dim"))
    }

    /// The share the plan gives the challenger in the current stage (0 after a rollback).
    static func plannedShare(_ a: ReleaseAnalysis) -> Double {
        a.state.status == .rolledBack ? 0 : a.stage.servedShare(.challenger)
    }
}
