import ArgumentParser
import Foundation
import GatewatchCore

/// `gatewatch-bench aa`: the live screen's judgement watched continuously. Many releases whose champion and
/// challenger are the same (A/A), looked at every few minutes for two weeks: the share that ever show a star, a
/// hidden regression or a failed guardrail, with its Clopper–Pearson 95% interval, against α; then the same with a
/// true regression in one segment: how many are found and how soon. The fixed-horizon judgement the screen used
/// before is read at the same looks, for comparison (`WatchedReleaseSimulation`).
struct AABenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "aa",
        abstract: "False alarms of the live judgement on identical arms watched every few minutes, and its power on a real regression.")

    @Option(help: "Releases simulated (each with its own seed).") var releases = 200
    @Option(help: "Segments per release.") var segments = 8
    @Option(help: "Days of traffic watched.") var days = 14.0
    @Option(help: "Minutes between looks.") var look = 5
    @Option(help: "Decisions per hour per segment (both arms).") var rate = 6000.0
    @Option(help: "The challenger's share of the traffic.") var share = 0.2
    @Option(help: "The true rise of the challenger's false-positive rate in one segment for the power run (0 skips it).") var regression = 0.01

    func validate() throws {
        guard releases > 0, segments > 0, days > 0, look > 0, rate > 0, share > 0, share < 1, regression >= 0, regression < 0.5 else {
            throw ValidationError("--releases, --segments, --days, --look and --rate must be positive, --share inside (0, 1), --regression in [0, 0.5)")
        }
    }

    func run() throws {
        var s = WatchedReleaseSimulation.Settings()
        s.releases = releases; s.segments = segments; s.days = days; s.lookMinutes = look
        s.decisionsPerHour = rate; s.challengerShare = share
        let started = Date()
        let aa = WatchedReleaseSimulation.run(s)
        let alpha = SegmentComparator.alpha
        func shareText(_ k: Int) -> String {
            let ci = WatchedReleaseSimulation.interval(k, of: aa.releases)
            return String(format: "%5.1f%% [%4.1f, %4.1f]", 100 * Double(k) / Double(aa.releases), 100 * ci.low, 100 * ci.high)
        }
        print("gatewatch-bench aa: \(releases) releases × \(segments) segments, \(Int(rate))/h per segment at \(Int(share * 100))% challenger,"
              + " a look every \(look) min for \(days) days (\(aa.looks) looks), \(aa.tests) tests per release, α = \(alpha)")
        print("A/A: share of releases that ever showed …        always-valid (live)     fixed horizon (before)")
        print("  a significance star                             \(shareText(aa.everStar))   \(shareText(aa.fixedEverStar))")
        print("  a hidden regression                             \(shareText(aa.everHidden))   \(shareText(aa.fixedEverHidden))")
        print("  a failed guardrail gate                         \(shareText(aa.everGuardrailFailed))   \(shareText(aa.fixedEverGuardrailFailed))")
        let worst = max(aa.everStar, aa.everHidden, aa.everGuardrailFailed)
        let met = WatchedReleaseSimulation.interval(worst, of: aa.releases).low <= alpha
        print("  always-valid false alarms within α: \(met ? "met" : "MISSED")")
        var power: WatchedReleaseSimulation.Outcome?
        if regression > 0 {
            s.regression = regression
            let o = WatchedReleaseSimulation.run(s)
            power = o
            print("regression: challenger false-positive rate +\(regression * 100)pt in one segment: found in \(shareText(o.detected)),"
                  + " median \(o.medianHoursToDetect.map { String(format: "%.1f h", $0) } ?? "–") to detect")
        }
        print(String(format: "(%.1f s)", Date().timeIntervalSince(started)))
        func fraction(_ k: Int) -> String { String(format: "%.4f", Double(k) / Double(aa.releases)) }
        var json = "{\"benchmark\":\"aa\",\"releases\":\(releases),\"segments\":\(segments),\"days\":\(days),\"look_minutes\":\(look),"
            + "\"tests\":\(aa.tests),\"alpha\":\(alpha),\"ever_star\":\(fraction(aa.everStar)),\"ever_hidden\":\(fraction(aa.everHidden)),"
            + "\"ever_guardrail_failed\":\(fraction(aa.everGuardrailFailed)),\"fixed_ever_star\":\(fraction(aa.fixedEverStar)),"
            + "\"fixed_ever_hidden\":\(fraction(aa.fixedEverHidden)),\"fixed_ever_guardrail_failed\":\(fraction(aa.fixedEverGuardrailFailed)),\"met\":\(met)"
        if let p = power {
            json += ",\"regression\":\(regression),\"detected\":\(fraction(p.detected)),\"median_hours_to_detect\":\(p.medianHoursToDetect.map { String(format: "%.2f", $0) } ?? "null")"
        }
        print(json + "}")
        if !met { throw ExitCode(1) }
    }
}
