/// The silence that goes with an acknowledgement: scoped to the rule's alerts of the release (and the segment, for a
/// per-segment rule), for the episode being acknowledged. The episode is written into the comment
/// (`episode since 2026-11-02T09:42:00Z`), so that any Gatewatch — another operator's, or this one after a
/// restart — can tell when the episode it silences has ended and expire it (`expired(_:rules:)`).
public enum EpisodeSilence {
    /// Who created a silence Gatewatch manages (the comment names the operator).
    public static let creator = "gatewatch"
    /// How long a silence lasts at most when no Gatewatch is left to end it with its episode.
    public static let maximumSeconds: Int64 = 24 * 3600

    /// The silence for acknowledging `evaluation` of `release` at `time` by `actor`.
    public static func request(release: String, evaluation e: RuleEvaluation, actor: String, at time: Timestamp) -> SilenceRequest {
        var matchers = [Matcher("release", release), Matcher("gatewatch_rule", e.rule.name)]
        if let segment = e.segment { matchers.append(Matcher("segment", segment)) }
        let episode = e.activeAt ?? e.since ?? time
        let comment = "acknowledged in Gatewatch by \(actor); episode since \(TimeText.iso(episode))"
        return SilenceRequest(matchers: matchers, startsAt: time, endsAt: time + maximumSeconds, createdBy: creator, comment: comment)
    }

    /// The episode start a Gatewatch silence's comment names, if it is one.
    public static func episode(of silence: Silence) -> Timestamp? {
        guard silence.createdBy == creator, let range = silence.comment.range(of: "episode since ", options: .backwards) else { return nil }
        return TimeText.parseISO(String(silence.comment[range.upperBound...]).trimmingWhitespace())
    }

    /// The ids of the Gatewatch silences among `silences` whose episode has ended: the rule (in that segment) is
    /// `ok` again, or in a later episode, or no longer one of the release's rules. Silences not made by Gatewatch
    /// are never touched.
    public static func expired(_ silences: [Silence], rules: [RuleEvaluation]) -> [String] {
        silences.compactMap { silence in
            guard silence.state != .expired, let episode = episode(of: silence) else { return nil }
            let rule = silence.matchers.first { $0.name == "gatewatch_rule" }?.value
            let segment = silence.matchers.first { $0.name == "segment" }?.value
            guard let e = rules.first(where: { $0.rule.name == rule && $0.segment == segment }) else { return silence.id }
            if e.status == .ok { return silence.id }
            let current = e.activeAt ?? e.since ?? episode
            return current > episode ? silence.id : nil
        }
    }
}
