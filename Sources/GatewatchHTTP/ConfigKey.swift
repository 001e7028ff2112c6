/// A coding key for any name: the source sections decode their maps key by key, to name unknown keys and to point
/// errors at the key at fault.
struct ConfigKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
