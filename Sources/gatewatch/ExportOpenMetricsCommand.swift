import ArgumentParser
import Foundation
import GatewatchCore
import GatewatchScenario

/// `gatewatch export-openmetrics`: a scenario's history as OpenMetrics text, e.g. to backfill a real Prometheus with
/// `promtool tsdb create-blocks-from openmetrics FILE DIR`.
struct ExportOpenMetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-openmetrics",
        abstract: "Run a scenario in memory and write its metrics history as OpenMetrics text.")

    @OptionGroup var scenario: ScenarioOptions

    @Option(help: ArgumentHelp("Simulated time after the release start, e.g. 90m, 2h, 1d.", valueName: "duration"))
    var at: String = "2h"

    @Option(help: ArgumentHelp("File to write (default: standard output).", valueName: "file"))
    var out: String?

    func validate() throws {
        _ = try TimeOptions.duration(at, option: "--at")
        try OutputFile.validate(out)
    }

    func run() throws {
        let loaded = try scenario.load()
        let text = try OpenMetricsExport.document(loaded, after: try TimeOptions.simulatedDuration(at, option: "--at", in: [loaded]))
        if let out {
            do {
                try text.write(toFile: out, atomically: true, encoding: .utf8)
            } catch {
                Console.err("gatewatch: cannot write \(out): \((error as NSError).localizedDescription)\n")
                throw ExitCode(2)
            }
        } else {
            Console.data(text)
        }
    }
}
