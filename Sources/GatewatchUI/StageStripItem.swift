/// One stage shown by `StageStrip`.
public struct StageStripItem: Hashable, Sendable {
    public enum State: Hashable, Sendable {
        case done, active, pending, failed
    }

    /// Stage name, e.g. `canary`.
    public var name: String
    /// Short detail for the second line, e.g. `5%`.
    public var detail: String
    /// Bake progress 0...1 (shown as a bar for the active stage), nil when unknown.
    public var progress: Double?
    public var state: State

    public init(name: String, detail: String = "", progress: Double? = nil, state: State) {
        self.name = name
        self.detail = detail
        self.progress = progress
        self.state = state
    }
}
