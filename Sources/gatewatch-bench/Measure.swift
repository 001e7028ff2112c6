import Foundation

/// Runs `body` `runs` times and returns the median, fastest and slowest wall time in milliseconds.
func measure(_ runs: Int, _ body: () throws -> Void) rethrows -> (median: Double, min: Double, max: Double) {
    var times: [Double] = []
    for _ in 0..<runs {
        let t0 = DispatchTime.now().uptimeNanoseconds
        try body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
    }
    return summary(times)
}

/// Median, minimum and maximum of some timings.
func summary(_ values: [Double]) -> (median: Double, min: Double, max: Double) {
    let sorted = values.sorted()
    return (sorted[sorted.count / 2], sorted.first!, sorted.last!)
}

/// Peak resident memory of this process (VmHWM), in MB.
func residentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return .nan }
    return kb / 1024
}

/// A number with one decimal.
func f(_ v: Double) -> String { String(format: "%.1f", v) }

/// A table row: a label and median / min / max columns.
func row(_ label: String, _ m: (median: Double, min: Double, max: Double)) -> String {
    label.padding(toLength: 40, withPad: " ", startingAt: 0)
        + f(m.median).padding(toLength: 10, withPad: " ", startingAt: 0)
        + f(m.min).padding(toLength: 10, withPad: " ", startingAt: 0) + f(m.max)
}

/// A JSON object of a median / min / max triple.
func json(_ m: (median: Double, min: Double, max: Double)) -> String {
    "{\"median\":\(f(m.median)),\"min\":\(f(m.min)),\"max\":\(f(m.max))}"
}

/// The header of a figure table.
func header() -> String {
    "figure".padding(toLength: 40, withPad: " ", startingAt: 0) + "median    min       max"
}
