import GatewatchCore
import GatewatchUI

/// The confirm dialog of a dangerous action: what exactly will change, a reason, and Cancel focused first.
public struct ConfirmDialog: Equatable, Sendable {
    public enum Focus: Equatable, Sendable { case cancel, confirm }

    public var action: OperatorAction
    public var title: String
    /// What will change, one line each.
    public var effects: [String]
    public var reason = ""
    /// Dangerous confirmations (rollback or override at the full stage) also need the release name typed.
    public var requiredName: String?
    public var typedName = ""
    /// Which field receives typing: the reason, or the release name.
    public var typingName = false
    public var focus: Focus = .cancel
    public var error: String?

    /// Builds the dialog for an action on a release, stating exactly what changes.
    public init(action: OperatorAction, analysis a: ReleaseAnalysis) {
        self.action = action
        let slug = a.release.slug
        let traffic = { (s: Stage) in s.kind == .shadow ? "shadow (0% served)" : "\(NumberText.compact(s.trafficPercent))%" }
        switch action {
        case .promote, .overridePromote:
            let next = a.nextStage!
            title = action == .promote ? "Promote \(slug)?" : "Override failed gates and promote \(slug)?"
            effects = ["stage \(a.stage.name) → \(next.name)", "challenger traffic \(traffic(a.stage)) → \(traffic(next))"]
            if next.kind == .full { effects.append("v\(a.release.challengerVersion) becomes the champion; v\(a.release.championVersion) stays the rollback target") }
            if action == .overridePromote {
                effects += a.gates.filter { !$0.passed }.map { "overrides \($0.gate.rawValue): \($0.reason)" }
            }
        case .rollback:
            title = "Roll back \(slug)?"
            effects = ["challenger traffic → 0%", "champion v\(a.state.rollbackTarget ?? a.release.championVersion) restored for all traffic"]
            for change in a.release.changedObjects where change.kind != .model {
                effects.append("\(change.kind.rawValue) reverted: \(change.to) → \(change.from)")
            }
        case .acknowledge(let rule, let segment):
            title = "Acknowledge \(rule)\(segment.map { " [\($0)]" } ?? "")?"
            effects = ["marks this episode acknowledged; a re-fire or a new episode alerts again"]
        case .pause:
            title = "Pause \(slug)?"
            effects = ["automatic stage progression stops until resumed",
                       "stays on: automatic rollback when a rollback rule fires (H holds it)"]
            if let hold = a.state.activeRollbackHold(at: a.asOf) {
                effects[1] = "automatic rollback stays held by \(hold.by) until \(TimeText.minute(hold.until).suffix(5)) UTC"
            }
        case .resume:
            title = "Resume \(slug)?"
            effects = ["automatic stage progression starts again", "automatic rollback is not changed"]
        case .holdRollback(let seconds):
            title = "Hold automatic rollback of \(slug)?"
            effects = ["for \(DurationText.format(seconds)), until \(TimeText.minute(a.asOf + seconds).suffix(5)) UTC, then on again by itself",
                       "a firing rollback rule is only reported, not rolled back",
                       "stays on: manual rollback (r), stop rules, alerts, progression"]
        case .endRollbackHold:
            title = "End the rollback hold of \(slug)?"
            effects = ["automatic rollback is on again at once", "a firing rollback rule rolls back at the next evaluation"]
        case .note(let reference):
            title = "Add a note to \(slug)?"
            effects = ["attached to: \(ReviewTimeline.referencedTitle(reference))", "written to the audit log; notes cannot be edited or deleted"]
        case .reviewCheck(let item, let checked):
            title = "\(checked ? "Tick" : "Untick") “\(item)”?"
            effects = ["recorded in the audit log of \(slug)"]
        case .signOff:
            title = "Sign off the review of \(slug)?"
            effects = ["every checklist item is ticked", "the sign-off is final and audited"]
        }
        let irreversible = a.stage.kind == .full && (action == .rollback || action == .overridePromote)
        if irreversible {
            requiredName = slug
            effects.append("users already served by the full rollout cannot be un-served: type the release name")
        }
    }

    /// Whether confirming is possible now (reason given when needed, name typed when needed).
    public var problem: String? {
        if action.needsReason && reason.trimmingCharacters(in: .whitespaces).isEmpty { return "a reason is required" }
        if let name = requiredName, typedName != name { return "type the release name '\(name)' to confirm" }
        return nil
    }

    /// Draws the dialog centred on the canvas.
    func draw(into canvas: inout Canvas, context: RenderContext) {
        let theme = context.theme
        let width = min(context.width - 4, 76)
        let textWidth = max(8, width - 4)
        // Sentences wrap at spaces under their bullet instead of being cut; a title too long for the frame is
        // written whole above them. Input fields show their end, where the cursor is.
        var lines: [(String, String)] = []
        if DisplayWidth.of(title) > width - 6 {
            lines += GatesPanel.wrap(title, width: textWidth).map { ("", $0) }
        }
        for effect in effects {
            for (i, part) in GatesPanel.wrap(effect, width: textWidth - 2).enumerated() { lines.append((i == 0 ? "• " : "  ", part)) }
        }
        func field(_ label: String, _ text: String) -> (String, String) {
            let room = textWidth - DisplayWidth.of(label)
            guard DisplayWidth.of(text) > room else { return (label, text) }
            var tail = text
            while DisplayWidth.of(tail) > room - 1 && !tail.isEmpty { tail.removeFirst() }
            return (label, "…" + tail)
        }
        lines.append(("", ""))
        lines.append(field("reason: ", reason + (typingName ? "" : "█") + (action.needsReason ? "" : "  (optional)")))
        if let name = requiredName { lines.append(field("name:   ", typedName + (typingName ? "█" : "") + "  (type \(name))")) }
        let height = min(context.height - 2, lines.count + 5)
        let rect = Rect(x: (context.width - width) / 2, y: max(0, (context.height - height) / 2), width: width, height: height)
        canvas.fill(rect, style: .plain)
        let inner = Box.draw(into: &canvas, rect: rect, title: title, theme: theme, glyphs: context.glyphs, focused: true)
        // When the terminal is too short for every line, the fields (what the operator types) stay visible.
        let room = max(0, inner.height - 2)
        let shown = lines.count <= room ? lines : Array(lines.prefix(max(0, room - (requiredName == nil ? 1 : 2)))) + lines.suffix(min(room, requiredName == nil ? 1 : 2))
        for (i, line) in shown.enumerated() where i < room {
            let x = inner.x + 1 + canvas.write(line.0, x: inner.x + 1, y: inner.y + i, style: theme.style("help.key"))
            canvas.write(line.1, x: x, y: inner.y + i, style: theme.style("text"), maxWidth: inner.maxX - x)
        }
        let buttonsY = inner.maxY - 1
        let cancel = focus == .cancel ? "[ Cancel ]" : "  Cancel  "
        let confirm = focus == .confirm ? "[ \(action.verb.capitalized) ]" : "  \(action.verb.capitalized)  "
        var x = inner.x + 1
        x += canvas.write(cancel, x: x, y: buttonsY, style: focus == .cancel ? theme.style("selection") : theme.style("text"))
        x += canvas.write("  ", x: x, y: buttonsY)
        x += canvas.write(confirm, x: x, y: buttonsY, style: focus == .confirm ? theme.style("selection") : theme.style("text"))
        let hint = error ?? "tab: switch · enter: choose · esc: cancel"
        canvas.write("  " + hint, x: x, y: buttonsY, style: theme.style(error == nil ? "text.dim" : "warning"), maxWidth: inner.maxX - x)
    }
}
