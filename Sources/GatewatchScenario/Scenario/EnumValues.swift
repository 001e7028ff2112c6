import GatewatchCore

/// The values of the enums a spec file names, by Swift type name, for "unknown metric `x` (hint: metrics: …)".
enum EnumValues {
    struct Values {
        /// What one value is called in a message, e.g. `metric`.
        var noun: String
        var plural: String
        var values: [String]
    }

    static func of<E: CaseIterable & RawRepresentable>(_ type: E.Type, _ noun: String, _ plural: String) -> (String, Values) where E.RawValue == String {
        ("\(type)", Values(noun: noun, plural: plural, values: E.allCases.map(\.rawValue)))
    }

    static let known: [String: Values] = Dictionary(uniqueKeysWithValues: [
        of(RuleMetric.self, "metric", "metrics"),
        of(QualityMetric.self, "guardrail metric", "guardrail metrics"),
        of(StageKind.self, "stage kind", "kinds"),
        of(Comparator.self, "comparator", "comparators"),
        of(Severity.self, "severity", "severities"),
        of(RuleScope.self, "scope", "scopes"),
        of(NoDataPolicy.self, "no_data policy", "policies"),
        of(Arm.self, "arm", "arms"),
        of(ChangeObjectKind.self, "change kind", "kinds"),
        of(Role.self, "role", "roles"),
    ])
}
