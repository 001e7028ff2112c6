extension Color {
    /// Names of the 16 ANSI colours, indexed by number.
    public static let ansiNames = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright-black", "bright-red", "bright-green", "bright-yellow",
        "bright-blue", "bright-magenta", "bright-cyan", "bright-white",
    ]

    /// A stable short name: `default`, an ANSI name like `bright-red`, or `idx196` for the 256-colour palette.
    public var name: String {
        switch self {
        case .default: return "default"
        case .ansi(let n): return n < 16 ? Color.ansiNames[Int(n)] : "ansi\(n)"
        case .indexed(let n): return "idx\(n)"
        }
    }

    /// Parses a theme colour: `default`, an ANSI name (`red`, `bright-red`, also `grey`/`gray` for bright-black,
    /// `_` accepted for `-`), or a number 0–255 (0–15 are the ANSI colours). Nil when not recognised.
    public init?(name raw: String) {
        let s = raw.lowercased().replacingUnderscores()
        if s == "default" || s == "none" { self = .default; return }
        if s == "grey" || s == "gray" { self = .brightBlack; return }
        if let i = Color.ansiNames.firstIndex(of: s) { self = .ansi(UInt8(i)); return }
        if let n = Int(s), (0...255).contains(n) { self = n < 16 ? .ansi(UInt8(n)) : .indexed(UInt8(n)); return }
        return nil
    }
}

private extension String {
    func replacingUnderscores() -> String { String(map { $0 == "_" ? "-" : $0 }) }
}
