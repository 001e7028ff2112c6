/// Where on-call's alerts live (Alertmanager): Gatewatch silences a stop rule's alerts while its episode is
/// acknowledged, and shows the alerts the source holds for a release.
public protocol AlertSource: Sendable {
    /// Creates a silence; returns its id.
    func createSilence(_ request: SilenceRequest) throws -> String
    /// Ends a silence now.
    func expireSilence(id: String) throws
    /// The silences that match `release` and are active or pending.
    func silences(release: String) throws -> [Silence]
    /// The alerts the source holds for `release` (active and silenced ones).
    func alerts(release: String) throws -> [HeldAlert]
}

/// A silence to create: label matchers (all equality), its span, who made it and why.
public struct SilenceRequest: Sendable, Equatable {
    public var matchers: [Matcher]
    public var startsAt: Timestamp
    public var endsAt: Timestamp
    public var createdBy: String
    public var comment: String

    public init(matchers: [Matcher], startsAt: Timestamp, endsAt: Timestamp, createdBy: String, comment: String) {
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.createdBy = createdBy
        self.comment = comment
    }
}

/// `name="value"`.
public struct Matcher: Sendable, Equatable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A silence the source holds.
public struct Silence: Sendable, Equatable {
    public enum State: String, Sendable { case active, pending, expired }
    public var id: String
    public var matchers: [Matcher]
    public var state: State
    public var startsAt: Timestamp
    public var endsAt: Timestamp
    public var createdBy: String
    public var comment: String

    public init(id: String, matchers: [Matcher], state: State, startsAt: Timestamp, endsAt: Timestamp, createdBy: String, comment: String) {
        self.id = id
        self.matchers = matchers
        self.state = state
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.createdBy = createdBy
        self.comment = comment
    }
}

/// An alert the source holds: its labels, and whether it is active or suppressed (silenced or inhibited).
public struct HeldAlert: Sendable, Equatable {
    public enum State: String, Sendable { case active, suppressed, unprocessed }
    public var labels: [String: String]
    public var state: State
    public var silencedBy: [String]
    public var startsAt: Timestamp

    public init(labels: [String: String], state: State, silencedBy: [String], startsAt: Timestamp) {
        self.labels = labels
        self.state = state
        self.silencedBy = silencedBy
        self.startsAt = startsAt
    }

    /// The alert's name (`alertname`).
    public var name: String { labels["alertname"] ?? "" }
}

/// The alerts an alert source holds for one release, as last asked, or why it could not be asked.
public struct HeldAlerts: Sendable, Equatable {
    public var alerts: [HeldAlert]
    /// Why the last attempt failed (the alerts are then those of the attempt before, if any).
    public var problem: String?

    public init(alerts: [HeldAlert], problem: String? = nil) {
        self.alerts = alerts
        self.problem = problem
    }

    /// `Alertmanager: 2 active, 1 silenced`, or the problem.
    public var summary: String {
        if let problem { return "Alertmanager: \(problem)" }
        let active = alerts.filter { $0.state == .active }.count
        let silenced = alerts.filter { !$0.silencedBy.isEmpty }.count
        if alerts.isEmpty { return "Alertmanager: no alerts" }
        return "Alertmanager: \(active) active" + (silenced > 0 ? ", \(silenced) silenced" : "")
    }
}
