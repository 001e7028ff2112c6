import GatewatchUI

/// Maps `Color` to a curses colour number for a terminal with `colorCount` colours. Pure.
enum ColorMapper {
    /// The curses colour number, or -1 for the terminal default (requires `use_default_colors`).
    /// When default colours are unsupported, `.default` becomes white (foreground) / black (background).
    static func number(for color: Color, colorCount: Int, isForeground: Bool, defaultColors: Bool) -> Int16 {
        switch color {
        case .default:
            return defaultColors ? -1 : (isForeground ? 7 : 0)
        case .ansi(let n):
            return reduce16(Int(n & 0x0F), colorCount: colorCount)
        case .indexed(let n):
            if colorCount >= 256 { return Int16(n) }
            return reduce16(Int(nearest16[Int(n)]), colorCount: colorCount)
        }
    }

    /// A 16-colour index on a terminal with fewer colours: bright colours fold onto their normal ones.
    private static func reduce16(_ n: Int, colorCount: Int) -> Int16 {
        if colorCount >= 16 { return Int16(n) }
        return Int16(n % 8)
    }

    /// xterm's RGB values for the 16 basic colours.
    static let basicRGB: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255),
        (255, 255, 255),
    ]

    /// The RGB value of a 256-palette entry (xterm).
    static func rgb(_ index: Int) -> (Int, Int, Int) {
        if index < 16 { return basicRGB[index] }
        if index < 232 {
            let levels = [0, 95, 135, 175, 215, 255]
            let i = index - 16
            return (levels[i / 36], levels[(i / 6) % 6], levels[i % 6])
        }
        let g = 8 + 10 * (index - 232)
        return (g, g, g)
    }

    /// For each 256-palette entry, the nearest of the 16 basic colours.
    static let nearest16: [UInt8] = (0..<256).map { index in
        if index < 16 { return UInt8(index) }
        let (r, g, b) = rgb(index)
        var best = 0
        var bestDistance = Int.max
        for (candidate, c) in basicRGB.enumerated() {
            let dr = r - c.0, dg = g - c.1, db = b - c.2
            let d = 3 * dr * dr + 4 * dg * dg + 2 * db * db
            if d < bestDistance { bestDistance = d; best = candidate }
        }
        return UInt8(best)
    }
}
