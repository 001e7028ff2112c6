/// One column of a `Table`: its title, its width and its alignment.
public struct TableColumn: Hashable, Sendable {
    public var title: String
    /// How wide the column is (columns are laid out with `Rect.split`, one space apart). Ignored when `fit` is set.
    public var width: LayoutConstraint
    /// Right-align the column's cells (and title), for numbers.
    public var alignRight: Bool
    /// When set, the column is as wide as its widest cell (or title), and gives way down to `fit.minimum` when the
    /// table does not fit: the lowest priority first (`Table.widths`).
    public var fit: ContentFit?

    /// A column sized to its content.
    public struct ContentFit: Hashable, Sendable {
        public var minimum: Int
        /// Higher keeps its width longer: names first, then what qualifies them, numbers last.
        public var priority: Int

        public init(minimum: Int, priority: Int) {
            self.minimum = minimum
            self.priority = priority
        }
    }

    public init(title: String, width: LayoutConstraint, alignRight: Bool = false) {
        self.title = title
        self.width = width
        self.alignRight = alignRight
    }

    /// A column as wide as its content, shrinking to `minimum` (by `priority`) when the table is too narrow.
    public static func fitted(_ title: String, minimum: Int, priority: Int, alignRight: Bool = false) -> TableColumn {
        var c = TableColumn(title: title, width: .fixed(minimum), alignRight: alignRight)
        c.fit = ContentFit(minimum: minimum, priority: priority)
        return c
    }
}
