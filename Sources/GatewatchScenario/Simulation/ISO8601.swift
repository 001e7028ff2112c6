import GatewatchCore

/// UTC timestamps in ISO 8601 form (`2026-11-02T09:00:00Z`; parsing also takes an offset, `…T11:00:00+02:00`).
///
/// Computed here, not with Foundation's `ISO8601DateFormatter`: creating formatters on many threads at once (a fleet
/// read in parallel) goes through ICU's shared caches, a suspect of heap corruption seen there, and costs far more
/// than the arithmetic (`TimeText`).
public enum ISO8601 {
    public static func parse(_ text: String) -> Timestamp? {
        if let t = TimeText.parseISO(text) { return t }
        // `YYYY-MM-DDTHH:MM:SS±HH:MM`
        let b = Array(text.utf8)
        guard b.count == 25, b[19] == UInt8(ascii: "+") || b[19] == UInt8(ascii: "-"), b[22] == UInt8(ascii: ":"),
              let base = TimeText.parseISO(String(decoding: b[0..<19], as: UTF8.self) + "Z"),
              let hours = Int64(String(decoding: b[20..<22], as: UTF8.self)), let minutes = Int64(String(decoding: b[23..<25], as: UTF8.self)),
              hours < 24, minutes < 60 else { return nil }
        let offset = hours * 3600 + minutes * 60
        return b[19] == UInt8(ascii: "+") ? base - offset : base + offset
    }

    public static func format(_ time: Timestamp) -> String {
        TimeText.iso(time)
    }
}
