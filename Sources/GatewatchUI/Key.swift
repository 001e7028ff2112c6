/// A decoded key press, independent of the terminal library.
public enum Key: Hashable, Sendable {
    case character(Character)
    /// Ctrl plus a letter, e.g. `.control("c")` for Ctrl-C.
    case control(Character)
    case up, down, left, right
    case enter, escape, tab, backTab, backspace, delete
    case pageUp, pageDown, home, end
    case function(Int)
    /// The terminal changed size.
    case resize
    /// Text pasted into the terminal (bracketed paste): typed into a field as text, never taken as keys.
    case paste(PastedText)
}
