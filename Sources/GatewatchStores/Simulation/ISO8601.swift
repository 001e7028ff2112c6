import Foundation
import GatewatchCore

/// UTC timestamps in ISO 8601 form (`2026-11-02T09:00:00Z`).
public enum ISO8601 {
    public static func parse(_ text: String) -> Timestamp? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        guard let date = f.date(from: text) else { return nil }
        return Timestamp(date.timeIntervalSince1970)
    }

    public static func format(_ time: Timestamp) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date(timeIntervalSince1970: TimeInterval(time)))
    }
}
