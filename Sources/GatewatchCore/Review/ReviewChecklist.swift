/// The post-release review checklist: items a reviewer ticks, then signs off. Its state is derived from the audit
/// log (`review` events tick or untick an item, a `sign_off` event signs), so it is stored where the release is.
public struct ReviewChecklist: Sendable, Equatable {
    /// The items, in order.
    public static let items: [String] = [
        "segment regressions examined",
        "stop rules fired when they should have",
        "rollback path exercised or verified",
        "delayed labels reviewed",
        "release note present",
    ]

    /// Ticked items, with who ticked them and when.
    public var ticked: [String: AuditEvent] = [:]
    /// The sign-off, if any.
    public var signOff: AuditEvent?

    public init(events: [AuditEvent]) {
        for e in events {
            switch e.kind {
            case .review:
                if let item = Self.item(checked: e.toState) { ticked[item] = e }
                if let item = Self.item(unchecked: e.toState) { ticked[item] = nil }
            case .signOff:
                signOff = e
            default:
                continue
            }
        }
    }

    /// The `toState` of a tick or untick event.
    public static func state(item: String, checked: Bool) -> String { "\(checked ? "checked" : "unchecked"): \(item)" }

    static func item(checked text: String) -> String? { text.hasPrefix("checked: ") ? String(text.dropFirst(9)) : nil }
    static func item(unchecked text: String) -> String? { text.hasPrefix("unchecked: ") ? String(text.dropFirst(11)) : nil }

    /// Items not ticked yet, in order.
    public var missing: [String] { Self.items.filter { ticked[$0] == nil } }
    public var complete: Bool { missing.isEmpty }
}
