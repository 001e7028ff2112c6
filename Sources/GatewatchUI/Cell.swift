/// One terminal cell of a `Canvas`.
///
/// A wide character (display width 2) occupies two cells: the first holds the text with `width == 2`,
/// the second is a continuation cell with `text == ""` and `width == 0`.
public struct Cell: Hashable, Sendable {
    /// One grapheme cluster, already sanitised; `""` for the right half of a wide character.
    public var text: String
    /// 1 or 2; 0 for the continuation half of a wide character.
    public var width: Int
    /// The cell's colours and attributes.
    public var style: Style

    public init(text: String, width: Int = 1, style: Style = .plain) {
        self.text = text
        self.width = width
        self.style = style
    }

    /// A space with the plain style.
    public static let blank = Cell(text: " ", width: 1, style: .plain)

    /// True for the right half of a wide character.
    public var isContinuation: Bool { width == 0 }
}
