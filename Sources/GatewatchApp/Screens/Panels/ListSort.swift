/// A list's orders, cycled by `s` (k9s sorts by column; here one key walks the columns in the order they matter).
public protocol ListSort: CaseIterable, Equatable, RawRepresentable<String>, Sendable where AllCases == [Self] {}

extension ListSort {
    /// The order after this one, back to the first after the last.
    public var next: Self {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// The stop-rule table's orders: firing and pending first (the default), by rule, by scope, by severity.
public enum RuleSort: String, ListSort {
    case state = "firing first"
    case rule = "rule"
    case scope = "scope"
    case severity = "severity"
}

/// The audit log's orders.
public enum AuditSort: String, ListSort {
    case newest = "newest first"
    case oldest = "oldest first"
    case release = "release"
    case actor = "operator"
    case kind = "kind"
}

/// The overview's orders: the worst health first (the default), by name, by stage, by owner.
public enum OverviewSort: String, ListSort {
    case health = "worst first"
    case name = "name"
    case stage = "stage"
    case owner = "owner"
}
