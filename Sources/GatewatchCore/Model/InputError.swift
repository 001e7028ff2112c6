/// A problem in a file a user wrote or shipped, located as `file:line:column` with a hint.
public struct InputError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String
    public var hint: String?
    /// Further problems found in the same pass, in file order (`description` gives one line each).
    public var more: [InputError] = []

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String, hint: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint
    }

    /// The first of `errors`, carrying the others in `more`; nil when there are none.
    public static func combined(_ errors: [InputError]) -> InputError? {
        guard var first = errors.first else { return nil }
        first.more = Array(errors.dropFirst()).flatMap(\.all)
        return first
    }

    /// This problem and every further one, each without `more`.
    public var all: [InputError] {
        var head = self
        head.more = []
        return [head] + more.flatMap(\.all)
    }

    /// `file:line:column: message (hint: …)` of this problem alone.
    public var text: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        var text = "\(location): \(message)"
        if let hint { text += " (hint: \(hint))" }
        return text
    }

    /// One line per problem: this one and those in `more`.
    public var description: String {
        all.map(\.text).joined(separator: "\n")
    }
}
