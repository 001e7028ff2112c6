/// The events of a finished (or running) release in time order, built from its audit log, the transitions of its
/// stop rules (evaluated over the whole history) and its label-maturity milestones.
public struct ReviewTimeline: Sendable {
    public let events: [TimelineEvent]

    /// Label-maturity milestones marked on the timeline (share of the release's challenger decisions labelled).
    public static let maturityMilestones: [Double] = [0.5, 0.9, 0.99]

    public init(events: [TimelineEvent]) { self.events = events }

    /// Builds the timeline of `history`; `final` is the analysis at the end (its rule histories are used).
    public init(history: ReleaseHistory, final: ReleaseAnalysis) {
        var out: [TimelineEvent] = []
        for e in history.events {
            out.append(Self.event(from: e))
        }
        for r in final.rules {
            let scope = r.segment.map { " [\($0)]" } ?? ""
            for t in r.history where t.from != t.to {
                let value = t.value.map { " — value \(Self.format($0, r.rule)), threshold \(RuleValueText.threshold(r.rule))" } ?? ""
                let title: String
                if r.rule.dryRun {
                    let would = t.to == .firing ? " (would have \(Self.consequence(r.rule.severity)))" : ""
                    title = "dry-run \(r.rule.name)\(scope) \(t.from.rawValue) → \(t.to.rawValue)\(would)"
                } else {
                    title = "\(r.rule.name)\(scope) \(t.from.rawValue) → \(t.to.rawValue)"
                }
                out.append(TimelineEvent(time: t.time, kind: r.rule.dryRun ? .dryRun : .rule, title: title,
                                         detail: "\(r.rule.expressionText)\(value); severity \(r.rule.severity.rawValue)", segment: r.segment))
            }
        }
        out += Self.maturityEvents(history)
        // Stable order by time; at the same second a rule transition comes before the action it caused.
        events = out.enumerated().sorted { l, r in
            if l.element.time != r.element.time { return l.element.time < r.element.time }
            let (lr, rr) = (l.element.auditID == nil ? 0 : 1, r.element.auditID == nil ? 0 : 1)
            return lr != rr ? lr < rr : l.offset < r.offset
        }.map(\.element)
    }

    static func consequence(_ severity: Severity) -> String {
        switch severity {
        case .warn: return "paged"
        case .block: return "blocked promotion"
        case .rollback: return "rolled back"
        }
    }

    /// A rule's value in its unit, as the rules table shows it (points for a difference of rates).
    static func format(_ value: Double, _ rule: StopRule) -> String {
        RuleValueText.value(value, rule: rule)
    }

    static func event(from e: AuditEvent) -> TimelineEvent {
        let kind: TimelineEvent.Kind
        let title: String
        switch e.kind {
        case .start: kind = .start; title = "started at \(e.toState)"
        case .promote: kind = .promotion; title = "promoted \(e.fromState) → \(e.toState)"
        case .override: kind = .promotion; title = "promoted \(e.fromState) → \(e.toState) with an override"
        case .rollback: kind = .rollback; title = "rolled back at \(e.fromState)"
        case .pause: kind = .pause; title = "paused at \(e.fromState)"
        case .resume: kind = .pause; title = "resumed at \(e.fromState)"
        case .acknowledge: kind = .acknowledgement; title = e.toState.hasPrefix("ack ") ? "acknowledged \(e.toState.dropFirst(4))" : "acknowledged"
        case .note: kind = .note; title = e.fromState.hasPrefix("event@") ? "note on \(Self.referencedTitle(e.fromState))" : "note"
        case .refusal: kind = .refusal; title = "refused: \(e.reason.split(separator: ":").first.map(String.init) ?? e.reason)"
        case .review:
            kind = .review
            title = e.toState.hasPrefix("checked: ") ? "ticked: \(e.toState.dropFirst(9))"
                : e.toState.hasPrefix("unchecked: ") ? "unticked: \(e.toState.dropFirst(11))" : e.toState
        case .signOff: kind = .review; title = "review signed off"
        case .holdRollback: kind = .pause; title = e.toState
        case .endHold: kind = .pause; title = "rollback hold ended"
        case .grant, .revoke: kind = .note; title = "role: \(e.toState)"
        }
        return TimelineEvent(time: e.time, kind: kind, title: title, detail: e.reason, actor: "\(e.actorText) (\(e.role.rawValue))", auditID: e.id)
    }

    /// The title part of an event reference (`event@T kind: title`).
    public static func referencedTitle(_ reference: String) -> String {
        guard let colon = reference.firstIndex(of: ":") else { return reference }
        return String(reference[reference.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
    }

    /// When the share of labelled challenger decisions since the start first reached each milestone (hourly scan).
    static func maturityEvents(_ history: ReleaseHistory) -> [TimelineEvent] {
        let metrics = DerivedMetrics(history.metrics)
        var out: [TimelineEvent] = []
        var remaining = maturityMilestones
        var t = history.start + 600
        let scanStep: Int64 = max(history.step, 600)
        while t <= history.end, let next = remaining.first {
            if let m = metrics.labelMaturity(.challenger, segment: nil, from: history.start, to: t), m >= next {
                out.append(TimelineEvent(time: t, kind: .labels, title: "labels \(NumberText.percent(next, decimals: 0)) mature",
                                         detail: "\(NumberText.percent(m, decimals: 1)) of the challenger's decisions since the start have their label"))
                remaining.removeFirst()
                continue
            }
            t += scanStep
        }
        return out
    }
}
