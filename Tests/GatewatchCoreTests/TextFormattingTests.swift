import Foundation
import Testing
@testable import GatewatchCore

@Suite struct DurationTextTests {
    @Test(arguments: [
        ("90s", Int64(90)), ("5m", 300), ("1h30m", 5400), ("2d", 172_800), ("1w", 604_800),
        ("90", 90), ("0", 0), ("0s", 0), (" 5m ", 300), ("1h0m30s", 3630), ("2d4h", 187_200), ("10m5s", 605),
    ])
    func parsesValidDurations(text: String, seconds: Int64) {
        #expect(DurationText.parse(text) == seconds)
    }

    @Test(arguments: ["", "   ", "5x", "m5", "-1m", "-5", "5m3", "1.5h", "h", "5 m", "1h-30m", "٣m", "1y"])
    func rejectsBadDurations(text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test(arguments: [
        (Int64(0), "0s"), (45, "45s"), (59, "59s"), (60, "1m"), (720, "12m"), (3599, "59m"), (3600, "1h"),
        (12_000, "3h20m"), (86_399, "23h59m"), (86_400, "1d"), (187_200, "2d4h"), (190_000, "2d4h"), (-90, "-1m"),
    ])
    func formatsDurations(seconds: Int64, text: String) {
        #expect(DurationText.format(seconds) == text)
    }

    /// Formatting drops what is below the shown unit; values without such a remainder survive a round trip.
    @Test func formatThenParseRoundTripsWholeUnits() {
        var checked = 0
        for s in Swift.stride(from: Int64(0), through: 10 * 86_400, by: 60) {
            let minutes = s / 60, hours = minutes / 60
            let exact = s < 60 || minutes < 60 || (hours < 24) || (s % 3600 == 0)
            guard exact else { continue }
            #expect(DurationText.parse(DurationText.format(s)) == s, "\(s) → \(DurationText.format(s))")
            checked += 1
        }
        #expect(checked > 1000)
    }

    /// A huge duration must be rejected, not crash the program (the digits overflow check does not cover n·unit).
    @Test
    func hugeDurationIsRejectedWithoutCrashing() async {
        await #expect(processExitsWith: .success) {
            _ = DurationText.parse("9999999999999999d")
            _ = DurationText.parse("106751991167300d106751991167300d")
        }
    }
}

@Suite struct NumberTextTests {
    @Test(arguments: [
        (0.125, 2, "0.13"), (-0.125, 2, "-0.13"), (1.5, 0, "2"), (2.5, 0, "3"), (-2.5, 0, "-3"), (-0.004, 2, "0.00"),
        (3.14159, 3, "3.142"), (0.05, 3, "0.050"), (12, 2, "12.00"), (0.999, 2, "1.00"), (1234.5, 1, "1234.5"),
        (0.0, 1, "0.0"), (7, 0, "7"), (-0.5, 0, "-1"),
    ])
    func fixed(value: Double, decimals: Int, text: String) {
        #expect(NumberText.fixed(value, decimals: decimals) == text)
    }

    @Test func fixedNonFinite() {
        #expect(NumberText.fixed(.nan, decimals: 2) == "NaN")
        #expect(NumberText.fixed(.infinity, decimals: 1) == "+Inf")
        #expect(NumberText.fixed(-.infinity, decimals: 1) == "-Inf")
    }

    @Test(arguments: [
        (0.02, "0.02"), (1.5, "1.5"), (120, "120"), (-0.1, "-0.1"), (0.123456, "0.1235"), (2.50, "2.5"),
        (-3, "-3"), (0.00001, "0"), (0.1 + 0.2, "0.3"), (1e15, "1000000000000000"), (0.3, "0.3"), (-0.00004, "0"),
    ])
    func compact(value: Double, text: String) {
        #expect(NumberText.compact(value) == text)
    }

    @Test func compactDigitsAndNonFinite() {
        #expect(NumberText.compact(0.123456, digits: 2) == "0.12")
        #expect(NumberText.compact(0.005, digits: 2) == "0.01")
        #expect(NumberText.compact(.nan) == "NaN")
        #expect(NumberText.compact(.infinity) == "+Inf")
        #expect(NumberText.compact(-.infinity) == "-Inf")
    }

    @Test func percent() {
        #expect(NumberText.percent(0.0512) == "5.1%")
        #expect(NumberText.percent(1) == "100.0%")
        #expect(NumberText.percent(0) == "0.0%")
        #expect(NumberText.percent(0.25, decimals: 0) == "25%")
        #expect(NumberText.percent(0.00049, decimals: 2) == "0.05%")
        #expect(NumberText.percent(-0.031) == "-3.1%")
    }

    /// `fixed` agrees with C's formatting (which rounds the exact binary value) wherever the value is not a tie.
    @Test func fixedAgreesWithPrintfAwayFromTies() {
        var x: UInt64 = 12345
        for _ in 0..<2000 {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            let v = (Double(x >> 11) / Double(1 << 53) - 0.5) * 2000
            for d in 0...4 {
                let scaled = abs(v) * pow(10, Double(d))
                if abs(scaled - scaled.rounded(.down) - 0.5) < 1e-6 { continue }
                var expected = String(format: "%.\(d)f", v)
                if expected.hasPrefix("-"), Double(expected) == 0 { expected.removeFirst() }
                #expect(NumberText.fixed(v, decimals: d) == expected, "\(v) with \(d) decimals")
            }
        }
    }

    /// Very large (but finite) values must format, not crash: counters and thresholds can be large.
    @Test
    func largeValuesDoNotCrash() async {
        await #expect(processExitsWith: .success) {
            _ = NumberText.compact(1e19)
            _ = NumberText.fixed(1e19, decimals: 0)
            _ = NumberText.fixed(1e300, decimals: 2)
        }
    }
}

@Suite struct TimeTextTests {
    // Expected values computed with `date -u -d @N +%FT%TZ`.
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"), (1_762_074_000, "2025-11-02T09:00:00Z"), (951_782_400, "2000-02-29T00:00:00Z"),
        (4_102_444_799, "2099-12-31T23:59:59Z"), (-86_400, "1969-12-31T00:00:00Z"), (1_709_251_199, "2024-02-29T23:59:59Z"),
        (-1, "1969-12-31T23:59:59Z"),
    ])
    func iso(time: Int64, text: String) {
        #expect(TimeText.iso(time) == text)
    }

    @Test func minute() {
        #expect(TimeText.minute(1_762_074_000 + 42 * 60 + 7) == "2025-11-02 09:42")
        #expect(TimeText.minute(0) == "1970-01-01 00:00")
    }

    /// Cross-check against Foundation's calendar arithmetic over two centuries.
    @Test func isoAgreesWithFoundation() {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "UTC")
        var t: Int64 = -2_208_988_800  // 1900-01-01
        while t < 4_102_444_800 {
            #expect(TimeText.iso(t) == f.string(from: Date(timeIntervalSince1970: TimeInterval(t))))
            t += 7_919_993  // about 92 days, odd so that every time of day and month gets hit
        }
    }
}
