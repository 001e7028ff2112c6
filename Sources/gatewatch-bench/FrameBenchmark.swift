import ArgumentParser
import Foundation
import GatewatchApp
import GatewatchCore
import GatewatchUI

/// The dashboard model showing the release screen of a synthetic release (see `makeData`).
func syntheticModel(segments: Int, hours: Int) -> (model: AppModel, analysis: ReleaseAnalysis) {
    let start: Timestamp = 1_762_074_000
    let (release, data, _) = makeData(segments: segments, hours: hours, start: start)
    let asOf = start + Int64(hours * 3600)
    let state = RolloutState(stageIndex: 0, stageEnteredAt: start, startedAt: start, status: .running)
    let analysis = ReleaseAnalyzer().analyze(release: release, state: state, metrics: data, asOf: asOf)
    var model = AppModel()
    model.snapshot = ReleaseSnapshot(analysis: analysis, health: SourceHealth(sourceName: "bench", lastSuccess: 1_000, simulatedTime: asOf))
    return (model, analysis)
}

/// Parses `COLSxROWS`.
func parseSize(_ text: String) -> (width: Int, height: Int)? {
    let parts = text.split(separator: "x").compactMap { Int($0) }
    return parts.count == 2 && parts[0] >= 20 && parts[1] >= 5 && parts[0] <= 1000 && parts[1] <= 500 ? (parts[0], parts[1]) : nil
}

/// `gatewatch-bench frame`: composing one frame of the release screen (layout, tables, charts into the off-screen
/// canvas) from an analysis, which is what the UI does once a second and after every key.
struct FrameBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "frame",
        abstract: "Time composing one frame of the release screen of a synthetic release.")

    @Option(help: "Segments of the synthetic release.") var segments = 500
    @Option(help: "Terminal size, as COLSxROWS.") var size = "200x60"
    @Option(help: "Runs (the median, min and max are printed).") var runs = 200

    func validate() throws {
        guard segments > 0, runs > 0 else { throw ValidationError("--segments and --runs must be positive") }
        guard parseSize(size) != nil else { throw ValidationError("--size must look like 200x60") }
    }

    func run() throws {
        let result = try Self.measureFrame(segments: segments, size: parseSize(size)!, runs: runs)
        print("gatewatch-bench frame: release screen, \(segments) segments, \(size), \(runs) runs")
        print(header())
        print(row("compose one frame (ms)", result.compose))
        print(row("cells changed one second later", result.changedCells))
        print("{\"benchmark\":\"frame\",\"segments\":\(segments),\"size\":\"\(size)\",\"runs\":\(runs),"
              + "\"compose_ms\":\(json(result.compose)),\"changed_cells_next_second\":\(json(result.changedCells))}")
    }

    struct Result {
        var compose: (median: Double, min: Double, max: Double)
        var changedCells: (median: Double, min: Double, max: Double)
    }

    static func measureFrame(segments: Int, size: (width: Int, height: Int), runs: Int) throws -> Result {
        let (model, _) = syntheticModel(segments: segments, hours: 2)
        let context = RenderContext(width: size.width, height: size.height, glyphs: .unicode, now: 1_000)
        var frame = model.render(context)
        guard frame.plainText().contains("M0") else { throw BenchError("the composed frame shows no segment") }
        let compose = measure(runs) { frame = model.render(context) }
        var later = context
        later.now += 1
        let next = model.render(later)
        let cells = Double(next.changedSpans(from: frame).reduce(0) { $0 + $1.end - $1.start })
        return Result(compose: compose, changedCells: (cells, cells, cells))
    }
}
