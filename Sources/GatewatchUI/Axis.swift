/// The direction in which `Rect.split` places its parts.
public enum Axis: Hashable, Sendable {
    /// Side by side, left to right (splits the width).
    case horizontal
    /// Stacked, top to bottom (splits the height).
    case vertical
}
