/// UTC calendar text for timestamps, without locale or time-zone surprises.
public enum TimeText {
    /// `2026-11-02 09:42` (UTC).
    public static func minute(_ t: Timestamp) -> String {
        let (y, m, d, hh, mm, _) = civil(t)
        return "\(y)-\(two(m))-\(two(d)) \(two(hh)):\(two(mm))"
    }

    /// `2026-11-02T09:42:07Z`.
    public static func iso(_ t: Timestamp) -> String {
        let (y, m, d, hh, mm, ss) = civil(t)
        return "\(y)-\(two(m))-\(two(d))T\(two(hh)):\(two(mm)):\(two(ss))Z"
    }

    static func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }

    /// Days-from-civil inverse (H. Hinnant's algorithm).
    static func civil(_ t: Timestamp) -> (Int64, Int64, Int64, Int64, Int64, Int64) {
        var days = t / 86_400
        var rest = t % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (y, m, d, rest / 3600, (rest % 3600) / 60, rest % 60)
    }
}
