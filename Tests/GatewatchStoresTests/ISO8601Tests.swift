import Foundation
import Testing
import GatewatchScenario

/// ISO 8601 times are read and written by arithmetic, with Foundation's formatter as the reference.
@Suite struct ISO8601Tests {
    static func reference(_ text: String) -> Int64? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: text).map { Int64($0.timeIntervalSince1970) }
    }

    @Test(arguments: ["2026-11-02T09:00:00Z", "1970-01-01T00:00:00Z", "2000-02-29T23:59:59Z", "2026-11-02T11:00:00+02:00",
                      "2026-11-02T04:30:00-04:30", "2099-12-31T23:59:59Z"])
    func agreesWithFoundation(_ text: String) {
        #expect(ISO8601.parse(text) == Self.reference(text))
    }

    @Test(arguments: ["2026-11-02", "2026-13-02T09:00:00Z", "2026-11-02T09:00:00", "2026-11-02T09:00:00+2:00", "", "2026-11-02T24:00:00Z"])
    func refusesWhatIsNotATime(_ text: String) {
        #expect(ISO8601.parse(text) == nil)
    }

    @Test func formatsInUTC() {
        #expect(ISO8601.format(1_762_074_000) == "2025-11-02T09:00:00Z")
        #expect(ISO8601.parse(ISO8601.format(1_800_000_000)) == 1_800_000_000)
    }
}
