import Testing
@testable import GatewatchApp

/// A status message gives the key hints back after a few seconds, not at the next key only.
@Suite struct MessageTimerTests {
    @Test func aMessageExpiresAfterItsSecondsUnchanged() {
        var timer = MessageTimer()
        var e = false
        e = timer.expired("rolled back", now: 100, busy: false); #expect(!e)
        e = timer.expired("rolled back", now: 100 + MessageTimer.seconds - 0.1, busy: false); #expect(!e)
        e = timer.expired("rolled back", now: 100 + MessageTimer.seconds, busy: false); #expect(e)
        // A new message starts its own time.
        e = timer.expired("acknowledged", now: 107, busy: false); #expect(!e)
        e = timer.expired("acknowledged", now: 107 + MessageTimer.seconds, busy: false); #expect(e)
        e = timer.expired(nil, now: 200, busy: false); #expect(!e)
    }

    @Test func aRunningActionOrAnOpenFieldKeepsItsMessage() {
        var timer = MessageTimer()
        var e = false
        e = timer.expired("⋯ rollback: hook", now: 0, busy: true); #expect(!e)
        e = timer.expired("⋯ rollback: hook", now: 30, busy: true); #expect(!e)
        // Once the action is done, the message counts from then.
        e = timer.expired("⋯ rollback: hook", now: 31, busy: false); #expect(!e)
        e = timer.expired("⋯ rollback: hook", now: 31 + MessageTimer.seconds, busy: false); #expect(e)
    }
}
