import ArgumentParser
import Foundation
import GatewatchApp
import GatewatchCore
import GatewatchSQLite
import GatewatchScenario
import GatewatchUI

/// `gatewatch-bench rollback`: how long from the operator confirming a rollback to (1) the rolled-back state being
/// committed in the registry (read back through a second connection to the store file, as another process would)
/// and (2) the release screen showing it (the poll, analysis and frame composition the UI runs after an action, and
/// the changed cells the terminal backend would write).
struct RollbackBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rollback",
        abstract: "Time a rollback from confirmation to the committed registry state and to the screen showing it.")

    @Option(help: "Scenario under sample-data/.") var scenario = "fraud-canary-healthy"
    @Option(help: "Simulated minutes into the scenario at which the rollback is confirmed.") var minutes = 150
    @Option(help: "Runs (each on a fresh store file).") var runs = 10
    @Option(help: "Terminal size of the composed frame, as COLSxROWS.") var size = "160x48"

    func validate() throws {
        guard runs > 0, minutes > 0 else { throw ValidationError("--runs and --minutes must be positive") }
        guard terminalSize != nil else { throw ValidationError("--size must look like 160x48") }
    }

    var terminalSize: (width: Int, height: Int)? {
        let parts = size.split(separator: "x").compactMap { Int($0) }
        return parts.count == 2 && parts[0] >= 60 && parts[1] >= 16 ? (parts[0], parts[1]) : nil
    }

    func run() throws {
        let (width, height) = terminalSize!
        let r = try Self.measureRollback(scenario: scenario, minutes: minutes, runs: runs, size: (width, height))
        print("gatewatch-bench rollback: \(scenario) at \(minutes)m, \(width)x\(height) frame, \(runs) runs (fresh store file each)")
        print(header())
        print(row("confirm → committed in registry (ms)", r.committed))
        print(row("confirm → frame showing it (ms)", r.shown))
        print(row("cells changed in that frame", r.cells))
        print("{\"benchmark\":\"rollback\",\"scenario\":\"\(scenario)\",\"minutes\":\(minutes),\"runs\":\(runs),"
              + "\"committed_ms\":\(json(r.committed)),\"shown_ms\":\(json(r.shown)),\"changed_cells\":\(json(r.cells))}")
    }

    struct Result {
        var committed, shown, cells: (median: Double, min: Double, max: Double)
    }

    static func measureRollback(scenario: String, minutes: Int, runs: Int, size: (width: Int, height: Int)) throws -> Result {
        guard let root = ScenarioLoader.findRoot() else { throw ValidationError("no sample-data folder found; run from the repository") }
        var loaded = try ScenarioLoader.load(scenario, root: root)
        loaded.simulation.autoPromote = true
        loaded.simulation.autoRollback = false
        let (width, height) = size
        let context = RenderContext(width: width, height: height, theme: .default, glyphs: .unicode, now: 0)
        let oncall = Operator(name: "bench", role: .oncall)
        var committed: [Double] = [], shown: [Double] = [], cells: [Double] = []
        for _ in 0..<runs {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gw-bench-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let path = folder.appendingPathComponent("store.sqlite").path
            let store = try SQLiteStore(path: path)
            let reader = try SQLiteStore(path: path)
            let source = try DemoSource(scenario: loaded, store: store, description: "bench", speed: 0)
            let asOf = loaded.simulation.start + Int64(minutes * 60)
            let before = try source.poll(simulatedTime: asOf)
            var model = AppModel()
            model.snapshot = ReleaseSnapshot(analysis: before, health: SourceHealth(sourceName: "bench", lastSuccess: 0, simulatedTime: asOf))
            let previousFrame = model.render(context)
            let layer = ActionLayer(registry: store)

            let t0 = DispatchTime.now().uptimeNanoseconds
            let outcome = layer.perform(.rollback, analysis: before, by: oncall, reason: "benchmark", at: asOf)
            guard outcome.succeeded, try reader.state(loaded.release.slug)?.status == .rolledBack else {
                throw ValidationError("the rollback did not commit: \(outcome.message)")
            }
            let t1 = DispatchTime.now().uptimeNanoseconds
            let after = try source.poll(simulatedTime: asOf)
            model.snapshot = ReleaseSnapshot(analysis: after, health: SourceHealth(sourceName: "bench", lastSuccess: 0, simulatedTime: asOf))
            let frame = model.render(context)
            let spans = frame.changedSpans(from: previousFrame)
            let t2 = DispatchTime.now().uptimeNanoseconds
            guard frame.plainText().contains("Rolled back") else { throw ValidationError("the frame after the rollback does not say so") }
            committed.append(Double(t1 - t0) / 1e6)
            shown.append(Double(t2 - t0) / 1e6)
            cells.append(Double(spans.reduce(0) { $0 + $1.end - $1.start }))
        }
        return Result(committed: summary(committed), shown: summary(shown), cells: summary(cells))
    }
}
