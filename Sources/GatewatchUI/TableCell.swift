/// One cell of a `Table` row: text and an optional theme role (default `text`).
public struct TableCell: Hashable, Sendable, ExpressibleByStringLiteral {
    public var text: String
    public var role: String?

    public init(_ text: String, role: String? = nil) {
        self.text = text
        self.role = role
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }
}
