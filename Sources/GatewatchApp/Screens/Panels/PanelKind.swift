/// The panels of the release screen, in `tab` order.
public enum PanelKind: String, CaseIterable, Sendable {
    case rules = "Stop rules"
    case segments = "Segments"
    case gates = "Gates"
    case histogram = "Scores"
    case queue = "Review queue"
}
