/// Number formatting shared by rule texts and screens, without locale surprises.
public enum NumberText {
    /// A short decimal: up to `digits` significant decimals, trailing zeros removed (`0.02`, `1.5`, `120`).
    public static func compact(_ value: Double, digits: Int = 4) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 9e18 { return String(Int64(value)) }
        if abs(value) >= 1e15 { return "\(value)" }
        var text = fixed(value, decimals: digits)
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// Fixed decimals, rounding half away from zero (`fixed(0.125, decimals: 2)` → `0.13`).
    public static func fixed(_ value: Double, decimals: Int) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        // Beyond 1e15 the digits are not exact anyway; Swift's shortest round-trip text is the honest form.
        if abs(value) >= 1e15 { return "\(value)" }
        var scale = 1.0
        for _ in 0..<max(0, decimals) { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        if scaled >= 9e18 { return "\(value)" }
        let negative = value < 0 && scaled != 0
        let whole = Int64(scaled / scale)
        var fraction = Int64(scaled - Double(whole) * scale)
        if fraction < 0 { fraction = 0 }
        var text = String(whole)
        if decimals > 0 {
            var f = String(fraction)
            while f.count < decimals { f = "0" + f }
            text += "." + f
        }
        return negative ? "-" + text : text
    }

    /// A percentage of a fraction: `percent(0.0512)` → `5.1%`.
    public static func percent(_ fraction: Double, decimals: Int = 1) -> String {
        fixed(fraction * 100, decimals: decimals) + "%"
    }

    /// A count in a few characters: `950`, `12.4k`, `3.10M` (rounded down, so a shortfall never reads as reached).
    public static func count(_ value: Double) -> String {
        guard value.isFinite else { return compact(value) }
        let v = max(0, value)
        if v < 1000 { return String(Int64(v)) }
        if v < 1_000_000 { return fixed((v / 100).rounded(.down) / 10, decimals: 1) + "k" }
        if v < 1e9 { return fixed((v / 10_000).rounded(.down) / 100, decimals: 2) + "M" }
        return fixed((v / 10_000_000).rounded(.down) / 100, decimals: 2) + "G"
    }
}
