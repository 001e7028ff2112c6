import GatewatchUI

/// What the app needs from a terminal; the ncurses backend provides it, tests use a fake.
public protocol TerminalScreen: AnyObject {
    var size: (width: Int, height: Int) { get }
    /// Whether UTF-8 glyphs can be drawn (else the ASCII glyph set is used).
    var unicode: Bool { get }
    /// Draws a frame, writing only what changed since the last one.
    @discardableResult func present(_ canvas: Canvas) -> Int
    /// Waits up to `timeoutMilliseconds` for a key.
    func readKey(timeoutMilliseconds: Int) -> Key?
    /// Forces the next frame to be written in full (Ctrl-L, after a resize).
    func invalidate()
}
