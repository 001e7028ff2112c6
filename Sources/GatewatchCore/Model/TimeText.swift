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

    /// Reads `2026-11-02T09:42:07Z` (the form `iso` writes) back; nil for anything else.
    public static func parseISO(_ text: String) -> Timestamp? {
        let b = Array(text.utf8)
        guard b.count == 20, b[4] == 45, b[7] == 45, b[10] == 84, b[13] == 58, b[16] == 58, b[19] == 90 else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var v: Int64 = 0
            for i in range { guard (48...57).contains(b[i]) else { return nil }; v = v * 10 + Int64(b[i] - 48) }
            return v
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10), let hh = number(11..<13),
              let mm = number(14..<16), let ss = number(17..<19), (1...12).contains(m), (1...31).contains(d), hh < 24, mm < 60, ss < 60
        else { return nil }
        // Days from civil (H. Hinnant's algorithm), the inverse of `civil`.
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        let t = days * 86_400 + hh * 3600 + mm * 60 + ss
        return iso(t) == text ? t : nil
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
