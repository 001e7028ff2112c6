import GatewatchCore
import GatewatchUI

/// Everything a screen needs besides its data: size, theme, glyphs and the wall clock (for ages).
public struct RenderContext: Sendable {
    public var width: Int
    public var height: Int
    public var theme: Theme
    public var glyphs: GlyphSet
    /// Wall-clock seconds now, to say how old the data is.
    public var now: Double
    /// Who the user is, for the header badge; nil draws none.
    public var identity: Identity?
    /// The session can write nothing (`--read-only`, a read-only registry).
    public var readOnly = false

    public init(width: Int, height: Int, theme: Theme = .default, glyphs: GlyphSet = .unicode, now: Double) {
        self.width = width
        self.height = height
        self.theme = theme
        self.glyphs = glyphs
        self.now = now
    }
}
