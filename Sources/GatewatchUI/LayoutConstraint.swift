/// The size request of one part of a `Rect.split`.
public enum LayoutConstraint: Hashable, Sendable {
    /// Exactly this many cells (shrunk only when the whole does not fit).
    case fixed(Int)
    /// This percentage of the length available after spacing.
    case percent(Int)
    /// At least this many cells; also shares leftover space like `fill(1)`.
    case minimum(Int)
    /// A share of the leftover space proportional to this weight.
    case fill(Int)
}
