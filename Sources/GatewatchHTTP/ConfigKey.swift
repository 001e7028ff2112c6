/// A coding key for any name: the source sections decode their maps key by key, to name unknown keys and to point
/// errors at the key at fault.
public struct ConfigKey: CodingKey {
    public var stringValue: String
    public var intValue: Int? { nil }
    /// The key `name`.
    public init(_ name: String) { stringValue = name }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
}
