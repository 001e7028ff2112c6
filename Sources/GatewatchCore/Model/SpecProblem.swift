/// A problem of meaning in a spec (a release spec, a simulation): what is wrong, where, and how to fix it.
/// The path names the offending node as the file spells it, so a loader can point at its line and column.
public struct SpecProblem: Hashable, Sendable, CustomStringConvertible {
    /// The offending node, from the document's root (`["stages", 2, "traffic"]`); empty for the whole document.
    public var path: SpecPath
    public var message: String
    /// How to fix it, when there is something useful to say.
    public var hint: String?

    public init(_ path: SpecPath, _ message: String, hint: String? = nil) {
        self.path = path
        self.message = message
        self.hint = hint
    }

    /// The same problem under `prefix` (a nested part's problems placed in the whole document).
    public func under(_ prefix: SpecPath) -> SpecProblem {
        SpecProblem(prefix + path, message, hint: hint)
    }

    /// `path: message (hint: …)`
    public var description: String {
        (path.isEmpty ? "" : path.dotted + ": ") + message + (hint.map { " (hint: \($0))" } ?? "")
    }
}
