import Foundation
import GatewatchCore

/// The dashboard's clock: wall-clock time as it was when the process started, carried forward by the monotonic clock
/// (`CLOCK_MONOTONIC`, which no clock step moves). Ages ("polled 3s ago"), intervals and the time the dashboard
/// polls and acts at come from it, so a system clock stepped back (or forward) neither freezes the screen nor dates
/// an event out of order; `step` says how far the system clock has moved away from it, for the status line.
public enum SteadyClock {
    /// The wall clock and the monotonic clock at the first use.
    private static let origin: (wall: TimeInterval, monotonic: TimeInterval) = (Date().timeIntervalSince1970, monotonic())

    /// Seconds of the monotonic clock.
    static func monotonic() -> TimeInterval {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return TimeInterval(spec.tv_sec) + TimeInterval(spec.tv_nsec) / 1e9
    }

    /// Seconds since 1970 on the steady clock.
    public static func now() -> TimeInterval {
        origin.wall + (monotonic() - origin.monotonic)
    }

    /// How far the system clock is from the steady clock (negative: stepped back); nil within `tolerance` seconds
    /// (NTP slews a clock by far less than that).
    public static func step(tolerance: TimeInterval = 5, wall: TimeInterval = Date().timeIntervalSince1970) -> TimeInterval? {
        let difference = wall - now()
        return abs(difference) > tolerance ? difference : nil
    }

    /// Words for the status line when the system clock stepped: "system clock stepped back 1h0m; times shown follow
    /// the clock as it was at start".
    public static func stepText(_ step: TimeInterval?) -> String? {
        guard let step else { return nil }
        let amount = DurationText.format(Int64(abs(step).rounded()))
        return "system clock stepped \(step < 0 ? "back" : "forward") \(amount); times shown follow the clock as it was at start"
    }
}
