/// A column of a `Table`.
public struct TableColumn: Hashable, Sendable {
    public var title: String
    /// How wide the column is (columns are laid out with `Rect.split`, one space apart).
    public var width: LayoutConstraint
    /// Right-align the column's cells (and title), for numbers.
    public var alignRight: Bool

    public init(title: String, width: LayoutConstraint, alignRight: Bool = false) {
        self.title = title
        self.width = width
        self.alignRight = alignRight
    }
}
