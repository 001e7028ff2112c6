/// Seconds since the Unix epoch (UTC). Metric samples, stage entries and audit events all use it.
public typealias Timestamp = Int64

/// Parses and formats durations written the Prometheus way: `90s`, `5m`, `1h30m`, `2d`.
public enum DurationText {
    /// Seconds in `text`, or nil when it is not a duration or is longer than `maximumSeconds` (3650 days). A bare
    /// number is taken as seconds. `check` tells the two apart.
    public static func parse(_ text: String) -> Int64? {
        try? check(text).get()
    }

    /// Seconds in `text` however long (up to 64 bits), or nil when it is not a duration or overflows.
    static func unbounded(_ text: String) -> Int64? {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { return nil }
        if let plain = Int64(trimmed), plain >= 0 { return plain }
        var total: Int64 = 0
        var number: Int64? = nil
        var sawUnit = false
        for ch in trimmed {
            if let digit = ch.wholeNumberValue, ch.isASCII {
                let (m, o1) = (number ?? 0).multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(digit))
                if o1 || o2 { return nil }
                number = a
                continue
            }
            guard let n = number else { return nil }
            let unit: Int64
            switch ch {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            case "d": unit = 86_400
            case "w": unit = 604_800
            default: return nil
            }
            let (part, o1) = n.multipliedReportingOverflow(by: unit)
            let (sum, o2) = total.addingReportingOverflow(part)
            if o1 || o2 { return nil }
            total = sum
            number = nil
            sawUnit = true
        }
        if number != nil || !sawUnit { return nil }
        return total
    }

    /// A compact human duration: `45s`, `12m`, `3h20m`, `2d4h`.
    public static func format(_ seconds: Int64) -> String {
        if seconds < 0 { return "-" + format(-seconds) }
        if seconds < 60 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 60 { return "\(minutes)m" }
        let hours = minutes / 60, restMinutes = minutes % 60
        if hours < 24 { return restMinutes == 0 ? "\(hours)h" : "\(hours)h\(restMinutes)m" }
        let days = hours / 24, restHours = hours % 24
        return restHours == 0 ? "\(days)d" : "\(days)d\(restHours)h"
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}

/// Decodes a duration given either as a number of seconds or as text like `5m`.
public struct FlexibleDuration: Decodable, Sendable {
    public let seconds: Int64
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let n = try? c.decode(Int64.self) {
            guard n >= 0 else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "a duration cannot be negative") }
            guard n <= DurationText.maximumSeconds else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "\(n) s is longer than \(DurationText.format(DurationText.maximumSeconds)), the longest duration")
            }
            seconds = n
        } else {
            let text = try c.decode(String.self)
            switch DurationText.check(text) {
            case .success(let s):
                seconds = s
            case .failure(.outOfRange):
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "'\(text)' is longer than \(DurationText.format(DurationText.maximumSeconds)), the longest duration")
            case .failure(.notADuration):
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "'\(text)' is not a duration (use forms like 90s, 5m, 1h30m, 2d)")
            }
        }
    }
}

extension KeyedDecodingContainer {
    func decodeDuration(_ key: Key) throws -> Int64 { try decode(FlexibleDuration.self, forKey: key).seconds }
    func decodeDurationIfPresent(_ key: Key) throws -> Int64? { try decodeIfPresent(FlexibleDuration.self, forKey: key)?.seconds }
}
