import Foundation
import GatewatchTestSupport
import Testing

/// The system clock stepped back an hour under a running dashboard (libfaketime, reading its offset from a file at
/// every call, with the monotonic clock left alone): the demo keeps running, the status line says the clock
/// stepped, and nothing freezes behind a "polled 0s ago".
@Suite("Clock steps (end to end)", .enabled(if: TmuxSession.shouldRun))
struct ClockStepEndToEndTests {
    /// Debian's libfaketime (package `faketime`, which `.ci/run` installs).
    static let libfaketime = ["/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1", "/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1",
                              "/usr/lib/faketime/libfaketimeMT.so.1"].first { FileManager.default.fileExists(atPath: $0) }

    /// The simulated time on the status line (`sim 2026-11-06 15:00Z`).
    static func simulatedTime(_ screen: String) -> String? {
        guard let range = screen.range(of: #"sim \d{4}-\d\d-\d\d \d\d:\d\dZ"#, options: .regularExpression) else { return nil }
        return String(screen[range])
    }

    @Test func aClockSteppedBackNeitherFreezesTheDashboardNorHidesIt() throws {
        let library = try #require(Self.libfaketime, "libfaketime is needed: apt-get install faketime (.ci/run installs it)")
        let binary = try TmuxSession.gatewatchBinary()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gw-e2e-clock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let offset = dir.appendingPathComponent("offset").path
        try "+0\n".write(toFile: offset, atomically: true, encoding: .utf8)
        let s = try TmuxSession(arguments: [binary.path, "--ephemeral", "--speed", "60"],
                                environment: ["XDG_DATA_HOME": dir.path, "LD_PRELOAD": library, "FAKETIME_TIMESTAMP_FILE": offset,
                                              "FAKETIME_NO_CACHE": "1", "FAKETIME_DONT_FAKE_MONOTONIC": "1"],
                                width: 160, height: 48)
        defer { s.kill() }
        #expect(s.waitFor(text: "Stages", timeout: 30), "\(s.capture())")
        #expect(s.waitFor(text: "sim 20", timeout: 10), "\(s.capture())")
        try "-1h\n".write(toFile: offset, atomically: true, encoding: .utf8)
        #expect(s.waitFor(text: "system clock stepped back 1h", timeout: 10), "the step is said:\n\(s.capture())")
        // The demo runs on (×60: a minute of simulated time every second), it does not wait an hour for the clock.
        let before = Self.simulatedTime(s.capture())
        Thread.sleep(forTimeInterval: 3)
        let after = Self.simulatedTime(s.capture())
        #expect(before != nil && after != nil && before != after, "the simulated clock stopped: \(before ?? "nil") → \(after ?? "nil")")
        #expect(s.capture().contains("polled 0s ago") || s.capture().contains("polled 1s ago"), "\(s.capture())")
        s.sendKeys("q")
        #expect(s.exitStatus(timeout: 10) == 0)
    }
}
