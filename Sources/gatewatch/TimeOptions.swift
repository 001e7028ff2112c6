import ArgumentParser
import Foundation
import GatewatchCore
import GatewatchScenario

/// Duration and time options read against the ranges Gatewatch accepts. Every problem is a `ValidationError` that
/// names the option and the range, so nothing out of range reaches time arithmetic or a simulation.
enum TimeOptions {
    /// The seconds of a duration option within `range` (default: 0s to 3650d).
    static func duration(_ text: String, option: String, range: ClosedRange<Int64> = 0...DurationText.maximumSeconds,
                         examples: String = "90s, 45m, 2h, 1d") throws -> Int64 {
        switch DurationText.check(text, range: range) {
        case .success(let seconds): return seconds
        case .failure(.notADuration): throw ValidationError("\(option) '\(text)' is not a duration (use forms like \(examples))")
        case .failure(let problem): throw ValidationError("\(option) '\(text)' is out of range: a duration \(problem.rangeText)")
        }
    }

    /// The latest time a store's release may be asked about: its clock (the wall's, or a demo's) plus the future skew.
    static func latest(clock: Timestamp) -> Timestamp {
        max(clock, Timestamp(Date().timeIntervalSince1970)) + FreshnessPolicy.defaultFutureSkew
    }

    /// A time option on a store or live source: a duration after `start` or a UTC time, from 1970 to `latest`.
    static func time(_ text: String, option: String, start: Timestamp, latest: Timestamp) throws -> Timestamp {
        let range = "a time from \(TimeText.iso(0)) to \(TimeText.iso(latest)) (the release's clock plus \(DurationText.format(FreshnessPolicy.defaultFutureSkew)))"
        let time: Timestamp
        if DurationText.looksLikeDuration(text) {
            let seconds = try duration(text, option: option)
            let (sum, overflow) = start.addingReportingOverflow(seconds)
            guard !overflow, sum <= latest else { throw ValidationError("\(option) '\(text)' is out of range: \(range)") }
            time = sum
        } else if let parsed = ISO8601.parse(text) {
            time = parsed
        } else {
            throw ValidationError("\(option) '\(text)' is neither a duration (2h, 90m) nor a UTC time (2026-11-02T11:00:00Z)")
        }
        guard (0...latest).contains(time) else { throw ValidationError("\(option) \(text) is out of range: \(range)") }
        return time
    }

    /// A simulated time in `scenario`: a duration after its start or a UTC time, from the start to its horizon.
    static func simulated(_ text: String, option: String, in scenario: Scenario) throws -> Timestamp {
        let start = scenario.simulation.start
        let time: Timestamp
        if DurationText.looksLikeDuration(text) {
            time = start + (try duration(text, option: option))
            guard time <= scenario.horizonEnd else { throw pastHorizon("\(option) '\(text)'", scenario) }
        } else if let parsed = ISO8601.parse(text) {
            guard parsed >= start else { throw ValidationError("\(option) \(text) is before the release start \(TimeText.iso(start))") }
            guard parsed <= scenario.horizonEnd else { throw pastHorizon("\(option) \(text)", scenario) }
            time = parsed
        } else {
            throw ValidationError("\(option) '\(text)' is neither a duration (2h, 90m) nor a UTC time (2026-11-02T11:00:00Z)")
        }
        return time
    }

    /// A duration after the start of every one of `scenarios`, within each one's horizon.
    static func simulatedDuration(_ text: String, option: String, in scenarios: [Scenario]) throws -> Int64 {
        let seconds = try duration(text, option: option)
        if let first = scenarios.first(where: { seconds > $0.simulation.horizon }) {
            throw pastHorizon("\(option) '\(text)'", first)
        }
        return seconds
    }

    static func pastHorizon(_ what: String, _ scenario: Scenario) -> ValidationError {
        ValidationError("\(what) is past the horizon of scenario '\(scenario.name)': its simulation runs from "
                        + "\(TimeText.iso(scenario.simulation.start)) to \(TimeText.iso(scenario.horizonEnd)) "
                        + "(\(DurationText.format(scenario.simulation.horizon)) after the release start; `horizon:` in its simulation.yaml)")
    }
}
