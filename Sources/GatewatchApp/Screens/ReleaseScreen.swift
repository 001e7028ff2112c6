import GatewatchCore
import GatewatchUI

/// The release screen: header, stage strip, next-promotion line, stop rules, key hints and status line.
public struct ReleaseScreen: Sendable {
    /// What the selection keeps a stop-rule row by: the rule and the segment (nil: overall).
    public struct RuleRowID: Hashable, Sendable {
        public var rule: String
        public var segment: String?

        public init(rule: String, segment: String?) {
            self.rule = rule
            self.segment = segment
        }
    }

    /// Selected row of the stop-rule table.
    public var selectedRule = ListSelection<RuleRowID>()
    public var scrollOffset: Int = 0
    /// Whether the selected rule's explanation is open.
    public var explaining = false
    /// The panel that keys act on (`tab` cycles); at small sizes the only one shown.
    public var focus: PanelKind = .rules
    /// Selected segment row, by segment key (nil: the overall row).
    public var selectedSegment = ListSelection<String?>()
    /// Selected gate, by kind.
    public var selectedGate = ListSelection<GateKind>()
    public var segmentScroll: Int = 0
    public var segmentSort: SegmentSort = .worstFalsePositives
    /// The stop-rule table's order (`s` on the rules panel).
    public var ruleSort: RuleSort = .state
    public var segmentFilter: String = ""

    /// Whether a size gets the multi-panel layout (else one panel at a time, `tab` to switch).
    public static func isWide(width: Int, height: Int) -> Bool { width >= 120 && height >= 34 }

    public init() {}

    /// The identities of the stop-rule rows, in the order shown.
    public static func ruleIDs(_ a: ReleaseAnalysis, sort: RuleSort = .state) -> [RuleRowID] {
        ruleRows(a, sort: sort).map { RuleRowID(rule: $0.rule.name, segment: $0.segment) }
    }

    /// The identities of the stop-rule rows in this screen's order.
    public func shownRuleIDs(_ a: ReleaseAnalysis) -> [RuleRowID] { Self.ruleIDs(a, sort: ruleSort) }

    /// The identities of the segment rows shown (with this screen's filter and sort).
    public func segmentIDs(_ a: ReleaseAnalysis) -> [String?] {
        SegmentsPanel.rows(a, filter: segmentFilter, sort: segmentSort).map(\.segment)
    }

    /// The selected stop-rule row, if any.
    public func selectedRuleRow(_ a: ReleaseAnalysis) -> RuleEvaluation? {
        let rows = Self.ruleRows(a, sort: ruleSort)
        return selectedRule.index(in: rows.map { RuleRowID(rule: $0.rule.name, segment: $0.segment) }).map { rows[$0] }
    }

    /// Keeps every selection of the screen on its item after new data (re-sorted rows, a changed set of gates).
    public mutating func follow(_ a: ReleaseAnalysis) {
        selectedRule.follow(shownRuleIDs(a))
        selectedSegment.follow(segmentIDs(a))
        selectedGate.follow(a.gates.map(\.gate))
    }

    /// The smallest terminal the screen draws in; below it a notice asks for more room.
    public static let minimumWidth = 60
    public static let minimumHeight = 16

    public func render(_ snapshot: ReleaseSnapshot?, keys: KeyTable, context: RenderContext, actor: Operator? = nil) -> Canvas {
        var canvas = Canvas(width: context.width, height: context.height)
        guard context.width >= Self.minimumWidth, context.height >= Self.minimumHeight else {
            Self.drawTooSmall(into: &canvas, context: context)
            return canvas
        }
        guard let snapshot else {
            canvas.write("gatewatch — waiting for the first poll…", x: 1, y: 1, style: context.theme.style("text.dim"))
            return canvas
        }
        let a = snapshot.analysis
        let theme = context.theme, glyphs = context.glyphs
        // Each segment's short form, built once per frame (every panel names segments; a release may have thousands).
        let labels = Self.segmentLabels(a.release.segments.map(\.key))
        let full = Rect(x: 0, y: 0, width: context.width, height: context.height)
        let parts = full.split(.vertical, [.fixed(2), .fixed(4), .fixed(1), .fill(1), .fixed(1), .fixed(1)])
        drawHeader(into: &canvas, rect: parts[0], a, context)
        let stagesInner = Box.draw(into: &canvas, rect: parts[1], title: "Stages", theme: theme, glyphs: glyphs)
        StageStrip.draw(into: &canvas, rect: stagesInner, items: Self.stageItems(a), theme: theme, glyphs: glyphs)
        // The data's own age when it is stale (not the age of the poll); a poll that has not come back for a while.
        if Self.dataIsStale(a) || snapshot.health.staleAge(now: context.now) != nil {
            drawStaleBanner(into: &canvas, rect: parts[2], a, snapshot.health, context, labels: labels)
        } else {
            drawNextLine(into: &canvas, rect: parts[2], a, context, labels: labels)
        }
        let main = parts[3]
        if Self.isWide(width: context.width, height: context.height) {
            // Top: segments beside gates and scores; bottom: stop rules beside the review queue.
            let rows = main.split(.vertical, [.fill(3), .fill(2)])
            let top = rows[0].split(.horizontal, [.percent(58), .fill(1)])
            // The stop rules get the width their names need; the queue's lines fit in 38 columns (it wraps the rest).
            let bottom = rows[1].split(.horizontal, [.fill(1), .fixed(min(38, rows[1].width * 34 / 100))])
            // Every gate's whole reason when it fits, leaving the score histogram at least 8 rows.
            let gatesHeight = max(3, min(GatesPanel.neededLines(a, innerWidth: top[1].width - 2, labels: labels) + 2, max(top[1].height / 2, top[1].height - 8)))
            let right = top[1].split(.vertical, [.fixed(gatesHeight), .fill(1)])
            drawPanel(.segments, into: &canvas, rect: top[0], a, context, title: PanelKind.segments.rawValue, labels: labels)
            drawPanel(.rules, into: &canvas, rect: bottom[0], a, context, title: rulesTitle(a, context), labels: labels)
            drawPanel(.gates, into: &canvas, rect: right[0], a, context, title: gatesTitle(a), labels: labels)
            drawPanel(.histogram, into: &canvas, rect: right[1], a, context, title: "Scores: champion vs challenger", labels: labels)
            drawPanel(.queue, into: &canvas, rect: bottom[1], a, context, title: PanelKind.queue.rawValue, labels: labels)
        } else {
            let tabs = PanelKind.allCases.map { $0 == focus ? "[\($0.rawValue)]" : $0.rawValue }.joined(separator: " ")
            drawPanel(focus, into: &canvas, rect: main, a, context, title: focus == .rules ? rulesTitle(a, context) + " · tab: " + tabs : "tab: " + tabs, labels: labels)
        }
        if explaining, focus == .gates, let gate = selectedGate.index(in: a.gates.map(\.gate)) {
            GateExplanation.draw(into: &canvas, rect: main, a.gates[gate], context: context)
        }
        if explaining, focus == .rules, let row = selectedRuleRow(a) {
            RuleExplanation.draw(into: &canvas, rect: main, row, asOf: a.asOf, context: context)
        }
        drawFooter(into: &canvas, rect: parts[4], keys: keys, context, analysis: snapshot.analysisForActions(now: context.now), actor: actor, labels: labels)
        drawStatus(into: &canvas, rect: parts[5], snapshot.health, context, dataAge: Self.dataIsStale(a) ? a.freshness?.age : nil)
        return canvas
    }

    /// Whether the analysis' own judgement says the metrics are not current (stale, down, or dated in the future).
    static func dataIsStale(_ a: ReleaseAnalysis) -> Bool {
        a.freshness.map { !$0.isCurrent } ?? (a.metricsThrough != nil)
    }

    /// `13:00` for a time within the last 12 hours of `now`, else `11-02 13:00`.
    static func heldText(_ t: Timestamp, now: Timestamp) -> String {
        now - t < 12 * 3600 ? String(TimeText.minute(t).suffix(5)) : String(TimeText.minute(t).dropFirst(5))
    }

    static func drawTooSmall(into canvas: inout Canvas, context: RenderContext) {
        let lines = ["Terminal too small: \(context.width)×\(context.height).",
                     "Enlarge it to at least \(minimumWidth)×\(minimumHeight).", "q quits."]
        for (i, line) in lines.enumerated() where i < context.height {
            canvas.write(line, x: 0, y: i, style: i == 0 ? context.theme.style("warning") : .plain, maxWidth: context.width)
        }
    }

    /// Words for the rollout status, including "awaiting approval" when only an approval holds promotion.
    static func statusText(_ a: ReleaseAnalysis) -> String {
        if a.state.status == .running, let holding = a.gates.filter({ !$0.passed }).first, holding.gate == .approval,
           a.gates.filter({ !$0.passed }).count == 1 {
            return RolloutStatus.awaitingApproval.label
        }
        return a.state.status.label
    }

    func drawHeader(into canvas: inout Canvas, rect: Rect, _ a: ReleaseAnalysis, _ context: RenderContext) {
        let theme = context.theme, glyphs = context.glyphs
        let r = a.release
        var x = rect.x
        x += canvas.write("\(r.slug)", x: x, y: rect.y, style: theme.style("title"))
        x += canvas.write("  \(r.model) v\(r.championVersion) \(glyphs.arrowRight) v\(r.challengerVersion)", x: x, y: rect.y, style: theme.style("text"))
        if let serving = a.state.servingChampion {
            x += canvas.write("  champion now v\(serving)", x: x, y: rect.y, style: theme.style("stage.done"))
        }
        x += canvas.write("  owner \(r.owner)", x: x, y: rect.y, style: theme.style("text.dim"))
        let status = Self.statusText(a)
        let statusRole: String
        let symbol: String
        switch a.state.status {
        case .rolledBack: statusRole = "rule.firing"; symbol = glyphs.fail
        case .paused: statusRole = "banner.paused"; symbol = glyphs.pause
        case .complete: statusRole = "stage.done"; symbol = glyphs.check
        default: statusRole = status == "awaiting approval" ? "warning" : "stage.active"; symbol = glyphs.bullet
        }
        let statusText = " \(symbol) \(status) "
        let w = DisplayWidth.of(statusText)
        if rect.maxX - w > x { canvas.write(statusText, x: rect.maxX - w, y: rect.y, style: theme.style(statusRole)) }
        if let hold = a.state.activeRollbackHold(at: a.asOf) {
            let held = " \(glyphs.warning) auto-rollback held until \(Self.heldText(hold.until, now: a.asOf)) by \(hold.by) "
            let hw = DisplayWidth.of(held)
            if rect.maxX - w - hw > x { canvas.write(held, x: rect.maxX - w - hw, y: rect.y, style: theme.style("warning")) }
        }

        var changes = r.changedObjects.map { "\($0.kind.rawValue) \($0.from)\(glyphs.arrowRight)\($0.to)" }.joined(separator: ", ")
        if changes.isEmpty { changes = "nothing" }
        var line2x = rect.x
        line2x += canvas.write(DisplayWidth.truncate(r.title, toWidth: max(10, rect.width / 2)), x: line2x, y: rect.y + 1, style: theme.style("text"))
        line2x += canvas.write("  changes: ", x: line2x, y: rect.y + 1, style: theme.style("text.dim"))
        if r.changesSeveralObjects {
            let kinds = Set(r.changedObjects.map(\.kind.rawValue)).sorted().joined(separator: "+")
            line2x += canvas.write("\(glyphs.warning) \(kinds) changed together: ", x: line2x, y: rect.y + 1, style: theme.style("warning"))
        }
        // Who you are, right-aligned: the longest form that leaves the changes whole, else the form that fits half
        // the line, with the changes cut (and marked) before it.
        var line2End = rect.maxX
        if let identity = context.identity {
            let room = rect.maxX - line2x - DisplayWidth.of(changes) - 1
            var badge = IdentityBadge.text(identity, readOnly: context.readOnly, width: room)
            if badge.isEmpty { badge = IdentityBadge.text(identity, readOnly: context.readOnly, width: max(0, rect.width / 2)) }
            if !badge.isEmpty {
                let bw = DisplayWidth.of(badge)
                canvas.write(badge, x: rect.maxX - bw, y: rect.y + 1,
                             style: theme.style(identity.role == nil || !identity.verified || context.readOnly ? "warning" : "text.dim"))
                line2End = rect.maxX - bw - 1
            }
        }
        if line2End < rect.maxX {
            canvas.writeTruncated(changes, x: line2x, y: rect.y + 1, style: theme.style("text"), maxWidth: max(0, line2End - line2x))
        } else {
            canvas.write(changes, x: line2x, y: rect.y + 1, style: theme.style("text"), maxWidth: rect.maxX - line2x)
        }
    }

    /// Stage strip items: done / active (with bake progress) / pending; a rolled-back release marks its stage failed.
    static func stageItems(_ a: ReleaseAnalysis) -> [StageStripItem] {
        a.release.stages.enumerated().map { i, stage in
            let traffic = stage.kind == .shadow ? "shadow" : "\(NumberText.compact(stage.trafficPercent))%"
            if i < a.state.stageIndex { return StageStripItem(name: stage.name, detail: traffic, state: .done) }
            if i > a.state.stageIndex { return StageStripItem(name: stage.name, detail: traffic, state: .pending) }
            if a.state.status == .rolledBack { return StageStripItem(name: stage.name, detail: "rolled back", state: .failed) }
            if a.state.status == .complete { return StageStripItem(name: stage.name, detail: traffic, state: .done) }
            let baked = a.timeInStage
            let progress = stage.bakeSeconds > 0 ? min(1, Double(baked) / Double(stage.bakeSeconds)) : 1
            let detail = "\(traffic) \(DurationText.format(baked))/\(DurationText.format(stage.bakeSeconds))"
            return StageStripItem(name: stage.name, detail: detail, progress: progress, state: .active)
        }
    }

    func drawNextLine(into canvas: inout Canvas, rect: Rect, _ a: ReleaseAnalysis, _ context: RenderContext, labels: [String: String]) {
        let theme = context.theme, glyphs = context.glyphs
        var x = rect.x + 1
        switch a.state.status {
        case .rolledBack:
            var text = "Rolled back"
            if let d = a.lastDecision, d.kind == .rollback {
                text += " \(DurationText.format(max(0, a.asOf - d.time))) ago by \(d.actorText): \(d.reason)."
            } else {
                text += "."
            }
            text += " Challenger gets no traffic; champion v\(a.state.champion(of: a.release)) serves everything."
            canvas.write(text, x: x, y: rect.y, style: theme.style("rule.firing"), maxWidth: rect.width - 1)
            return
        case .complete:
            canvas.write("\(glyphs.check) Complete: v\(a.release.challengerVersion) serves all traffic.", x: x, y: rect.y,
                         style: theme.style("stage.done"), maxWidth: rect.width - 1)
            return
        default: break
        }
        if let firing = a.firingRollbackRules.first {
            let more = a.firingRollbackRules.count > 1 ? " (+\(a.firingRollbackRules.count - 1) more)" : ""
            let scope = firing.segment.map { " [\(labels[$0] ?? $0)]" } ?? ""
            canvas.write("\(glyphs.fail) ROLLBACK RULE FIRING: \(firing.rule.name)\(scope) \(RuleRowText.state(firing, asOf: a.asOf))\(more) — roll back now",
                         x: x, y: rect.y, style: theme.style("rule.firing"), maxWidth: rect.width - 1)
            return
        }
        guard let next = a.nextStage else { return }
        let traffic = next.kind == .shadow ? "shadow" : "\(NumberText.compact(next.trafficPercent))%"
        x += canvas.write("Next: \(next.name) (\(traffic)) ", x: x, y: rect.y, style: theme.style("text"))
        let failing = a.gates.filter { !$0.passed }
        // When: the earliest promotion the gates' own estimates give, before what holds it.
        let when = PromotionOutlook.of(a).text(asOf: a.asOf).map { $0 + " · " } ?? ""
        if failing.contains(where: { $0.outcome == .inconclusive }) && !failing.contains(where: { $0.outcome == .failed }) {
            let reasons = failing.map { "\($0.gate.label): \(SegmentText.shorten($0.reason, labels: labels))" }.joined(separator: " · ")
            canvas.writeTruncated("\(glyphs.warning) \(when)inconclusive, needs a human decision (promote, wait or roll back): \(reasons)", x: x, y: rect.y,
                                  style: theme.style("warning"), maxWidth: rect.maxX - x)
        } else if failing.isEmpty {
            canvas.write("\(glyphs.check) all gates pass", x: x, y: rect.y, style: theme.style("rule.ok"), maxWidth: rect.maxX - x)
        } else {
            let reasons = failing.map { "\($0.gate.label): \(SegmentText.shorten($0.reason, labels: labels))" }.joined(separator: " · ")
            canvas.writeTruncated("\(glyphs.fail) \(when)held by \(reasons)", x: x, y: rect.y, style: theme.style("warning"), maxWidth: rect.maxX - x)
        }
    }

    /// In place of the next-promotion line while the data is stale: how old the data itself is (its newest sample,
    /// not the last poll), where the rules are held, whether a sample was refused for its date, and what still works.
    /// The panels keep the last good data; a firing rollback rule is still named first.
    func drawStaleBanner(into canvas: inout Canvas, rect: Rect, _ a: ReleaseAnalysis, _ health: SourceHealth, _ context: RenderContext,
                         labels: [String: String]) {
        let glyphs = context.glyphs
        var text: String
        if let f = a.freshness, let stale = f.staleText, f.isStale {
            text = "\(glyphs.warning) STALE: \(stale)"
        } else if health.lastSuccess == nil && a.metricsThrough == nil && a.freshness?.refusedFuture == nil {
            text = "\(glyphs.warning) STALE: no poll has come back yet"
        } else if let age = health.staleAge(now: context.now), a.freshness?.isStale != true {
            text = "\(glyphs.warning) STALE: no answer from the sources for \(DurationText.format(Int64(age)))"
        } else if let future = a.freshness?.futureText {
            text = "\(glyphs.warning) FUTURE-DATED DATA: \(future)"
        } else {
            text = "\(glyphs.warning) STALE: metrics \(DurationText.format(a.metricsLag)) behind"
        }
        if let future = a.freshness?.futureText, a.freshness?.isStale == true { text += " · \(future)" }
        if let held = a.metricsThrough { text += " · rules held at \(Self.heldText(held, now: a.asOf))" }
        if let registry = health.registryError {
            text += " · registry unreachable: no action can be written until it answers (\(registry))"
        } else {
            text += " · last good data shown; promotion waits, rollback works"
            if let error = health.lastError { text += " · \(error)" }
            else if health.lastSuccess == nil && a.metricsThrough == nil { text += " · no answer from the sources yet" }
        }
        if let firing = a.firingRollbackRules.first {
            text = "\(glyphs.fail) ROLLBACK RULE FIRING: \(firing.rule.name)\(firing.segment.map { " [\(labels[$0] ?? $0)]" } ?? "") — " + text
        }
        canvas.write(text, x: rect.x + 1, y: rect.y, style: context.theme.style("status.error"), maxWidth: rect.width - 1)
    }

    /// Rule rows: each rule overall, or one row per segment; within a rule the worst segments first.
    /// The rules table's rows: firing first, then pending, then the rest (a dry run counts as ok here: it is a trial),
    /// each group in the spec's rule order and each rule's segments in their order. The selection follows its row.
    /// Other orders (`RuleSort`) keep the spec's order within equal keys.
    public static func ruleRows(_ a: ReleaseAnalysis, sort: RuleSort = .state) -> [RuleEvaluation] {
        var rows: [(row: RuleEvaluation, rule: Int, offset: Int)] = []
        for (index, rule) in a.release.rules.enumerated() {
            rows += a.rules.filter { $0.rule.name == rule.name }.enumerated().map { ($0.element, index, $0.offset) }
        }
        func rank(_ e: RuleEvaluation) -> Int { e.rule.dryRun ? 0 : e.status == .firing ? 2 : e.status == .pending ? 1 : 0 }
        let labels = sort == .scope ? segmentLabels(a.release.segments.map(\.key)) : [:]
        func key(_ r: (row: RuleEvaluation, rule: Int, offset: Int)) -> (String, Int, Int, Int) {
            switch sort {
            case .state: return ("", -rank(r.row), r.rule, r.offset)
            case .rule: return (r.row.rule.name, 0, r.rule, r.offset)
            case .scope: return (r.row.segment.map { "1" + (labels[$0] ?? $0) } ?? "0", -rank(r.row), r.rule, r.offset)
            case .severity:
                let severity = Severity.allCases.sorted(by: >).firstIndex(of: r.row.rule.severity) ?? 0
                return ("", severity * 3 - rank(r.row), r.rule, r.offset)
            }
        }
        return rows.map { (key($0), $0.row) }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    func rulesTitle(_ a: ReleaseAnalysis, _ context: RenderContext) -> String {
        let rows = Self.ruleRows(a, sort: ruleSort)
        let live = a.state.status != .rolledBack
        let firing = live ? rows.filter { $0.status == .firing && !$0.rule.dryRun }.count : 0
        let pending = live ? rows.filter { $0.status == .pending && !$0.rule.dryRun }.count : 0
        var title = "Stop rules " + Self.position(selected: focus == .rules ? selectedRule.index(in: rows.map { RuleRowID(rule: $0.rule.name, segment: $0.segment) }) : nil,
                                                  count: rows.count)
        if let held = a.metricsThrough { title += " (held at \(Self.heldText(held, now: a.asOf)): metrics stale)" }
        if firing > 0 { title += " \(context.glyphs.fail) \(firing) firing" }
        if pending > 0 { title += " · \(pending) pending" }
        if ruleSort != .state { title += " · sort: \(ruleSort.rawValue)" }
        if let held = a.heldAlerts { title += " · " + held.summary }
        return title
    }

    /// A list's place in its title: `[3/13]` for the selected row of 13, `[13]` when the list is not focused.
    static func position(selected: Int?, count: Int) -> String {
        guard count > 0, let selected else { return "[\(count)]" }
        return "[\(min(max(0, selected), count - 1) + 1)/\(count)]"
    }

    func gatesTitle(_ a: ReleaseAnalysis) -> String {
        a.state.status == .rolledBack ? "Gates" : "Gates" + (a.nextStage.map { " for \($0.name)" } ?? "")
    }

    func drawPanel(_ panel: PanelKind, into canvas: inout Canvas, rect: Rect, _ a: ReleaseAnalysis, _ context: RenderContext, title: String,
                   labels: [String: String]) {
        let focused = panel == focus
        switch panel {
        case .rules: drawRules(into: &canvas, rect: rect, a, context, title: title, focused: focused, labels: labels)
        case .segments:
            SegmentsPanel.draw(into: &canvas, rect: rect, a, title: title, focused: focused, selected: selectedSegment.index(in: segmentIDs(a)) ?? 0,
                               scroll: segmentScroll, filter: segmentFilter, sort: segmentSort, context: context)
        case .gates:
            GatesPanel.draw(into: &canvas, rect: rect, a, title: title, focused: focused, labels: labels,
                            selected: selectedGate.index(in: a.gates.map(\.gate)) ?? 0, context: context)
        case .histogram:
            HistogramPanel.draw(into: &canvas, rect: rect, comparison: a.overall, thresholds: a.release.thresholds, title: title,
                                focused: focused, context: context)
        case .queue: QueuePanel.draw(into: &canvas, rect: rect, a, title: title, focused: focused, context: context)
        }
    }

    func drawRules(into canvas: inout Canvas, rect: Rect, _ a: ReleaseAnalysis, _ context: RenderContext, title: String, focused: Bool,
                   labels: [String: String]) {
        let theme = context.theme, glyphs = context.glyphs
        let rows = Self.ruleRows(a, sort: ruleSort)
        let inner = Box.draw(into: &canvas, rect: rect, title: title, theme: theme, glyphs: glyphs, focused: focused)
        // Every column as wide as its content (an acknowledged row's state names who acknowledged it); when the panel
        // is too narrow the numbers give way first, the rule's name last (the whole row is one `enter` away).
        let columns = [
            TableColumn.fitted("STATE", minimum: 10, priority: 2),
            TableColumn.fitted("RULE", minimum: 12, priority: 5),
            TableColumn.fitted("SCOPE", minimum: 6, priority: 4),
            TableColumn.fitted("VALUE", minimum: 5, priority: 1, alignRight: true),
            TableColumn.fitted("THRESHOLD", minimum: 7, priority: 1, alignRight: true),
            TableColumn.fitted("SEVERITY", minimum: 5, priority: 0),
        ]
        let scope = { (segment: String?) in segment.map { labels[$0] ?? Self.compactSegment($0) } ?? "overall" }
        let rolledBack = a.state.status == .rolledBack
        let cells = { (index: Int) -> [TableCell] in
            let e = rows[index]
            let symbol: String
            switch RuleRowText.look(e, rolledBack: rolledBack) {
            case .ok: symbol = glyphs.check
            case .noData: symbol = "?"
            case .pending: symbol = glyphs.pending
            case .firing: symbol = glyphs.fail
            case .rolledBack: symbol = "-"
            }
            let severityRole = e.rule.severity == .rollback && e.status == .firing && !e.rule.dryRun && !rolledBack ? "rule.firing" : "text"
            if let ack = Acknowledgement.covering(e, in: a.events), !rolledBack {
                return [
                    TableCell("\(symbol) \(RuleRowText.state(e, asOf: a.asOf)) ack \(ack.actor)", role: "rule.acknowledged"),
                    TableCell(e.rule.name),
                    TableCell(scope(e.segment), role: e.segment == nil ? "text.dim" : nil),
                    TableCell(RuleRowText.value(e.value, rule: e.rule)),
                    TableCell(RuleRowText.threshold(e.rule), role: "text.dim"),
                    TableCell(e.rule.severity.rawValue, role: severityRole),
                ]
            }
            return [
                TableCell("\(symbol) \(RuleRowText.state(e, asOf: a.asOf, rolledBack: rolledBack))", role: RuleRowText.role(e, rolledBack: rolledBack)),
                TableCell(e.rule.name),
                TableCell(scope(e.segment), role: e.segment == nil ? "text.dim" : nil),
                TableCell(RuleRowText.value(e.value, rule: e.rule)),
                TableCell(RuleRowText.threshold(e.rule), role: "text.dim"),
                TableCell(e.rule.severity.rawValue, role: severityRole),
            ]
        }
        let selected = selectedRule.index(in: rows.map { RuleRowID(rule: $0.rule.name, segment: $0.segment) })
        let visible = Table.visibleRowCount(in: inner)
        let offset = Table.scrollOffset(selected: selected, current: scrollOffset, visibleRows: visible, rowCount: rows.count)
        Table.draw(into: &canvas, rect: inner, columns: columns, rowCount: rows.count, row: cells, selectedRow: focused ? selected : nil,
                   scrollOffset: offset, theme: theme, glyphs: glyphs)
        if rows.isEmpty {
            canvas.write("This release defines no stop rules.", x: inner.x + 2, y: inner.y + 1, style: theme.style("text.dim"))
        }
    }

    /// `market=BR,surface=app` → `BR/app`, for narrow tables.
    static func compactSegment(_ key: String) -> String {
        Segment(key).labels.map(\.value).joined(separator: "/")
    }

    /// Each segment's shortest unambiguous form among the release's segments: `BR/app`, or the whole key when another
    /// segment has the same short form. Built once per frame (a table of thousands of rows looks its labels up).
    static func segmentLabels(_ keys: [String]) -> [String: String] {
        let shorts = keys.map(compactSegment)
        var count: [String: Int] = [:]
        for s in shorts { count[s, default: 0] += 1 }
        var labels: [String: String] = [:]
        for (key, short) in zip(keys, shorts) { labels[key] = count[short]! > 1 ? key : short }
        return labels
    }

    /// One key hint of the footer: the key, its words, and whether the words may be cut (a blocked action's reason,
    /// which `?` and the next-promotion line give whole).
    struct FooterHint {
        var label: String
        var words: String
        var keyRole: String
        var wordRole: String
        var cuttable = false
        /// Room is made for it by cutting a reason (the actions, help, quit); the list keys give way instead.
        var essential = true
    }

    func drawFooter(into canvas: inout Canvas, rect: Rect, keys: KeyTable, _ context: RenderContext,
                    analysis a: ReleaseAnalysis? = nil, actor: Operator? = nil, labels: [String: String] = [:]) {
        var hints: [FooterHint] = []
        // What a cut reason falls back to when too little of it would be left to read.
        var short: [Int: String] = [:]
        // A viewer sees which role each action needs.
        if a != nil, actor == nil, let identity = context.identity, identity.role == nil {
            for (action, op) in [(AppAction.promote, OperatorAction.promote), (.rollback, .rollback)] {
                guard let label = keys.binding(for: action)?.label else { continue }
                hints.append(FooterHint(label: label, words: " \(op.verb) — needs \(IdentityBadge.needed(op))", keyRole: "text.dim", wordRole: "text.dim"))
            }
        }
        // The action keys first, each disabled one with its reason (e.g. `p promote — blocked: bake 12m/30m`).
        if let a, let actor {
            for (action, op) in [(AppAction.promote, OperatorAction.promote), (.rollback, .rollback)] {
                guard let label = keys.binding(for: action)?.label else { continue }
                let why = ActionLayer.blocker(op, analysis: a, by: actor).map { SegmentText.shorten($0, labels: labels) }
                if why != nil { short[hints.count] = " \(op.verb) — blocked (? says why)" }
                hints.append(FooterHint(label: label, words: " \(op.verb)" + (why.map { " — blocked: \($0)" } ?? ""),
                                        keyRole: why == nil ? "help.key" : "text.dim", wordRole: why == nil ? "help.text" : "text.dim", cuttable: why != nil))
            }
        }
        for binding in keys.bindings {
            guard let footer = binding.footer else { continue }
            let label = binding.label.split(separator: " ").first.map(String.init) ?? binding.label
            hints.append(FooterHint(label: label, words: " " + footer, keyRole: "help.key", wordRole: "help.text",
                                    essential: binding.action == .help || binding.action == .quit))
        }
        Self.draw(hints, into: &canvas, rect: rect, context, short: short)
    }

    /// Draws `hints` left to right, two spaces apart. When they do not fit, a blocked action's reason is cut (with `…`)
    /// so the keys after it — rollback, help, quit — stay on screen; a hint that still does not fit is left out whole.
    /// `short`: by hint index, the words a cuttable hint takes when less than 24 columns of it would be left.
    static func draw(_ hints: [FooterHint], into canvas: inout Canvas, rect: Rect, _ context: RenderContext, short: [Int: String] = [:]) {
        let room = rect.width - 1
        var hints = hints
        let width = { (h: FooterHint) in DisplayWidth.of(h.label) + DisplayWidth.of(h.words) + 2 }
        // Room is made for the actions, help and quit; the list keys after them give way first.
        var over = hints.filter(\.essential).map(width).reduce(0, +) - room
        for i in hints.indices where over > 0 && hints[i].cuttable {
            let full = DisplayWidth.of(hints[i].words)
            let keep = full - over
            let fallback = short[i].flatMap { DisplayWidth.of($0) < full ? $0 : nil }
            let words = keep >= 24 ? DisplayWidth.truncate(hints[i].words, toWidth: keep) : (fallback ?? DisplayWidth.truncate(hints[i].words, toWidth: max(12, keep)))
            over -= full - DisplayWidth.of(words)
            hints[i].words = words
        }
        var x = rect.x + 1
        for h in hints {
            guard x + DisplayWidth.of(h.label) + DisplayWidth.of(h.words) <= rect.maxX else { break }
            x += canvas.write(h.label, x: x, y: rect.y, style: context.theme.style(h.keyRole))
            x += canvas.write(h.words + "  ", x: x, y: rect.y, style: context.theme.style(h.wordRole), maxWidth: rect.maxX - x)
        }
    }

    /// `dataAge`: when the data itself is stale, its age (said beside "polled", which only dates the last poll).
    func drawStatus(into canvas: inout Canvas, rect: Rect, _ h: SourceHealth, _ context: RenderContext, dataAge: Int64? = nil) {
        let theme = context.theme
        canvas.fill(rect, style: theme.style("status"))
        var x = rect.x + 1
        // A long source is cut in the middle: the end of its URL (the port) stays visible.
        let room = max(10, rect.width / 2)
        x += canvas.write(DisplayWidth.truncateMiddle(TextSanitizer.clean(h.sourceName), toWidth: room, ellipsis: context.glyphs.ellipsis),
                          x: x, y: rect.y, style: theme.style("status"), maxWidth: room)
        if let error = h.lastError {
            // The age first: a long error is cut (with "…") before it is.
            let age = h.lastSuccess.map { " (data \(DurationText.format(Int64(max(0, context.now - $0)))) old)" } ?? ""
            x += canvas.writeTruncated(" · STALE\(age): \(error)", x: x, y: rect.y, style: theme.style("status.error"), maxWidth: rect.maxX - x)
        } else if let last = h.lastSuccess {
            let age = Int64(max(0, context.now - last))
            x += canvas.write(" · polled \(DurationText.format(age)) ago", x: x, y: rect.y,
                              style: theme.style(age > 10 ? "status.stale" : "status"), maxWidth: rect.maxX - x)
            if let dataAge {
                x += canvas.write(" · STALE: data \(DurationText.format(dataAge)) old", x: x, y: rect.y, style: theme.style("status.error"),
                                  maxWidth: rect.maxX - x)
            }
        }
        if let step = SteadyClock.stepText(h.clockStep) {
            x += canvas.writeTruncated(" · \(step)", x: x, y: rect.y, style: theme.style("status.error"), maxWidth: rect.maxX - x)
        }
        if let sim = h.simulatedTime {
            let speed = h.speed.map { " ×\(NumberText.compact($0))" } ?? ""
            let stamp = rect.width < 100 ? String(TimeText.minute(sim).dropFirst(5)) : TimeText.minute(sim)
            let text = "sim \(stamp)Z\(speed) "
            let w = DisplayWidth.of(text)
            if rect.maxX - w > x + 1 { canvas.write(text, x: rect.maxX - w, y: rect.y, style: theme.style("status")) }
        }
    }
}
