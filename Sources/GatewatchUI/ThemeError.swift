/// A problem in a theme file, with its 1-based position.
public struct ThemeError: Error, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String
    /// How to fix it, when there is something useful to say.
    public var hint: String?

    public init(line: Int, column: Int, message: String, hint: String? = nil) {
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint
    }

    /// `line:column: message (hint: …)`
    public var description: String {
        "\(line):\(column): \(message)" + (hint.map { " (hint: \($0))" } ?? "")
    }
}
