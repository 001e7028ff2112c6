import GatewatchCore

/// The post-release review as Markdown: what happened, who decided what on which evidence, and what the delayed
/// labels later showed. Built from the same history and analysis as the review screen.
///
/// Every piece of text someone wrote (slugs, titles, names, stage and rule names, reasons, notes) goes through
/// `text` or `cell`, so a rendered report shows it as written and it cannot become HTML, a link or an image.
public enum ReviewReport {
    /// The report of `history` (its end is "now": labels known by then count as matured).
    public static func markdown(_ history: ReleaseHistory) -> String {
        let release = history.release
        guard let final = history.analysis(asOf: history.end) else {
            return "# Review of \(text(release.slug))\n\nThe release has no start event in its audit log; nothing to review.\n"
        }
        let timeline = ReviewTimeline(history: history, final: final)
        var out: [String] = []
        out.append("# Review of \(text(release.slug))")
        out.append("")
        out.append("\(text(release.title)) — model \(code(release.model)) v\(text(release.championVersion)) → v\(text(release.challengerVersion)), owner \(text(release.owner)).")
        if !release.changedObjects.isEmpty {
            out.append("Changes: " + release.changedObjects.map { "\($0.kind.rawValue) \(text($0.from)) → \(text($0.to))" }.joined(separator: ", ")
                       + (release.changesSeveralObjects ? " (several objects changed at once: their effects cannot be told apart)." : "."))
        }
        out.append("")
        out.append("## Summary")
        out.append("")
        out.append(summary(history, final))
        out.append("")
        out.append("## Stages")
        out.append("")
        out.append(stageTable(history, final))
        out.append("")
        out.append("## Decisions")
        out.append("")
        let decisions = history.events.filter { ![.start, .note, .review, .signOff].contains($0.kind) }
        if decisions.isEmpty { out.append("No decisions were logged.") }
        else {
            out.append("| time (UTC) | who | role | decision | from → to | reason |")
            out.append("|---|---|---|---|---|---|")
            for e in decisions {
                out.append("| \(TimeText.minute(e.time)) | \(cell(e.actorText)) | \(e.role.rawValue) | \(e.kind.rawValue) | \(cell(e.fromState)) → \(cell(e.toState)) | \(cell(e.reason)) |")
            }
        }
        out.append("")
        out.append("## Stop rules")
        out.append("")
        let ruleEvents = timeline.events.filter { $0.kind == .rule || $0.kind == .dryRun }
        if ruleEvents.isEmpty { out.append("No stop rule left `ok` during the release.") }
        else {
            out.append("| time (UTC) | transition | rule |")
            out.append("|---|---|---|")
            for e in ruleEvents { out.append("| \(TimeText.minute(e.time)) | \(cell(e.title)) | \(cell(e.detail)) |") }
        }
        out.append("")
        out.append("## Segment deltas")
        out.append("")
        out.append("Challenger minus champion, in points, with always-valid 95% intervals (confidence sequences, simultaneous over the "
                   + "release's segment × metric tests); `*` marks an always-valid p < 0.05 after that correction, as the live screen marks it. "
                   + "\"Then\" is what the screen showed at the moment; \"now\" is the same moment recomputed with the labels that had arrived "
                   + "\(DurationText.format(history.labelHorizon)) later (the measured label delay), so the decisions made by then are fully labelled.")
        out.append("")
        let moments = history.events.filter { [.promote, .override, .rollback].contains($0.kind) }.map { ($0.time, "\($0.kind.rawValue) \(text($0.fromState)) → \(text($0.toState))") }
            + [(history.end, "end of the record")]
        for (time, label) in moments {
            guard let then = history.analysis(asOf: time), let thenNow = ThenNow(history: history, then: then) else { continue }
            out.append("### \(TimeText.minute(time)) — \(label)")
            out.append("")
            out.append("| segment | metric | Δ then | Δ now | change |")
            out.append("|---|---|---|---|---|")
            for row in thenNow.rows {
                out.append("| \(cell(row.segment ?? "overall")) | \(row.metric.screenName) | \(delta(row.then)) | \(delta(row.now)) | \(cell(row.change ?? "")) |")
            }
            out.append("")
        }
        out.append("## Score distributions at the end")
        out.append("")
        out.append(histogram(final))
        out.append("")
        out.append("## Reviewer notes")
        out.append("")
        let notes = history.events.filter { $0.kind == .note }
        if notes.isEmpty { out.append("No notes.") }
        for n in notes {
            let on = n.fromState.hasPrefix("event@") ? " on “\(ReviewTimeline.referencedTitle(n.fromState))”" : ""
            out.append("- \(TimeText.minute(n.time)) \(cell(n.actorText)) (\(n.role.rawValue))\(cell(on)): \(cell(n.reason))")
        }
        out.append("")
        out.append("## Checklist")
        out.append("")
        let checklist = ReviewChecklist(events: history.events)
        for item in ReviewChecklist.items {
            if let tick = checklist.ticked[item] { out.append("- [x] \(item) — \(text(tick.actorText)), \(TimeText.minute(tick.time))") }
            else { out.append("- [ ] \(item)") }
        }
        out.append("")
        if let s = checklist.signOff {
            out.append("Signed off by \(text(s.actorText)) (\(s.role.rawValue)) at \(TimeText.minute(s.time)) UTC\(s.reason.isEmpty ? "." : ": \(text(s.reason))")")
        } else {
            out.append("Not signed off\(checklist.missing.isEmpty ? "." : " (\(checklist.missing.count) item(s) not ticked).")")
        }
        out.append("")
        return out.joined(separator: "\n")
    }

    /// A table cell: `text`, with no pipes or line breaks and control characters made visible.
    public static func cell(_ value: String) -> String {
        var out = ""
        for scalar in text(value).unicodeScalars {
            switch scalar {
            case "|": out += "\\|"
            case "\n", "\r", "\t": out += " "
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f { out += "\\u{\(String(scalar.value, radix: 16))}" }
                else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// Text someone wrote, inert in Markdown: `&`, `<` and `>` as HTML entities (no tag, no autolink), `[` and `]`
    /// escaped (no link or image), and the colon of a `javascript:`, `vbscript:` or `data:` scheme as `&#58;`.
    public static func text(_ value: String) -> String {
        var out = ""
        for ch in value {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "[": out += "\\["
            case "]": out += "\\]"
            case ":" where endsWithScheme(out): out += "&#58;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// Schemes that run code or carry a document when a link to them is followed.
    static let dangerousSchemes = ["javascript", "vbscript", "data"]

    /// True when `text` ends with one of `dangerousSchemes` (any case) that starts a word.
    static func endsWithScheme(_ text: String) -> Bool {
        let lower = text.lowercased()
        return dangerousSchemes.contains { scheme in
            guard lower.hasSuffix(scheme) else { return false }
            let before = lower.dropLast(scheme.count).last
            return before.map { !($0.isLetter || $0.isNumber) } ?? true
        }
    }

    /// `value` as inline code, inert: a code span shows HTML and link syntax as written, and no backtick in it
    /// can end the span early (backticks become `'`).
    static func code(_ value: String) -> String {
        "`" + value.replacingOccurrences(of: "`", with: "'") + "`"
    }

    static func delta(_ c: MetricComparison?) -> String {
        guard let c else { return "–" }
        let e = c.estimate
        // The always-valid judgement, as the live screen showed it: star and confidence sequence.
        let star = c.isSignificant ? "*" : ""
        let interval = c.sequential.map { "[\(NumberText.fixed($0.ciLow * 100, decimals: 2)), \(NumberText.fixed($0.ciHigh * 100, decimals: 2))]" } ?? "[–]"
        return "\(e.delta >= 0 ? "+" : "")\(NumberText.fixed(e.delta * 100, decimals: 2))\(star) \(interval)"
    }

    static func summary(_ history: ReleaseHistory, _ final: ReleaseAnalysis) -> String {
        let state = final.state
        let reached = final.stage.name
        var text = "Started \(TimeText.minute(history.start)) UTC; record ends \(TimeText.minute(history.end)) UTC "
            + "(\(DurationText.format(history.end - history.start))). "
        switch state.status {
        case .rolledBack:
            let d = history.events.last { $0.kind == .rollback }
            text += "**Outcome: rolled back** at \(ReviewReport.text(reached))\(d.map { " by \(ReviewReport.text($0.actorText)) (\($0.role.rawValue)) at \(TimeText.minute($0.time)): \(ReviewReport.text($0.reason))" } ?? "")."
        case .complete:
            text += "**Outcome: complete** — v\(ReviewReport.text(final.release.challengerVersion)) serves all traffic"
                + (state.rollbackTarget.map { "; v\(ReviewReport.text($0)) is the rollback target" } ?? "") + "."
        default:
            text += "**Outcome: \(state.status.label)** at \(ReviewReport.text(reached))."
        }
        let overrides = history.events.filter { $0.kind == .override }.count
        let refusals = history.events.filter { $0.kind == .refusal }.count
        text += " \(history.events.filter { [.promote, .override].contains($0.kind) }.count) promotion(s)"
            + (overrides > 0 ? ", \(overrides) with an override" : "") + (refusals > 0 ? ", \(refusals) refused action(s)" : "") + "."
        if let m = final.labelMaturity { text += " Labels of the last stage \(NumberText.percent(m, decimals: 0)) mature at the end." }
        return text
    }

    static func stageTable(_ history: ReleaseHistory, _ final: ReleaseAnalysis) -> String {
        var rows = ["| stage | traffic | entered (UTC) | time in stage | entered by | reason |", "|---|---|---|---|---|---|"]
        let entries = history.events.filter { [.start, .promote, .override].contains($0.kind) }
        let exits = history.events.filter { [.promote, .override, .rollback].contains($0.kind) }
        for (i, e) in entries.enumerated() {
            let left = exits.first { $0.time >= e.time && $0.id != e.id && ($0.fromState == e.toState) }
            let end = left?.time ?? history.end
            let stage = history.release.stages.first { $0.name == e.toState }
            let traffic = stage.map { $0.kind == .shadow ? "shadow" : "\(NumberText.compact($0.trafficPercent))%" } ?? "?"
            let how = e.kind == .start ? "start" : (e.kind == .override ? "override" : "promote")
            rows.append("| \(cell(e.toState)) | \(traffic) | \(TimeText.minute(e.time)) | \(DurationText.format(max(0, end - e.time)))\(left == nil && i == entries.count - 1 ? " (to the end)" : "") | \(cell(e.actorText)) (\(how)) | \(cell(e.reason)) |")
        }
        if final.state.status == .rolledBack, let r = history.events.last(where: { $0.kind == .rollback }) {
            rows.append("| rolled back | 0% | \(TimeText.minute(r.time)) | – | \(cell(r.actorText)) (rollback) | \(cell(r.reason)) |")
        }
        return rows.joined(separator: "\n")
    }

    /// Both arms' score distributions as text bars (share of decisions per bucket).
    static func histogram(_ a: ReleaseAnalysis) -> String {
        guard let overall = a.overall, !overall.scoreBounds.isEmpty else { return "No score data." }
        let champion = overall.championScores, challenger = overall.challengerScores
        let ct = max(1, champion.reduce(0, +)), xt = max(1, challenger.reduce(0, +))
        var lines = ["```", "score ≤  champion                  challenger"]
        let peak = max(0.0001, zip(champion, challenger).map { max($0 / ct, $1 / xt) }.max() ?? 1)
        for (i, bound) in overall.scoreBounds.enumerated() where i < champion.count && i < challenger.count {
            let c = champion[i] / ct, x = challenger[i] / xt
            let label = bound.isInfinite ? "1.00" : NumberText.fixed(bound, decimals: 2)
            lines.append("\(label)     \(bar(c / peak).padding(toLength: 20, withPad: " ", startingAt: 0)) \(NumberText.fixed(c * 100, decimals: 1).leftPadded(5))%  "
                         + "\(bar(x / peak).padding(toLength: 20, withPad: " ", startingAt: 0)) \(NumberText.fixed(x * 100, decimals: 1).leftPadded(5))%")
        }
        lines.append("```")
        if let drift = overall.drift {
            lines.append("")
            lines.append("PSI \(NumberText.fixed(drift.psi, decimals: 3)), KS D \(NumberText.fixed(drift.ks.d, decimals: 3)) (p \(drift.ks.pValue < 0.001 ? "< 0.001" : NumberText.fixed(drift.ks.pValue, decimals: 3))), JS \(NumberText.fixed(drift.js, decimals: 3)).")
        }
        return lines.joined(separator: "\n")
    }

    /// A bar of up to 20 blocks for a fraction of the tallest bucket.
    static func bar(_ fraction: Double) -> String { String(repeating: "█", count: max(0, min(20, Int((fraction * 20).rounded())))) }
}

private extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
