import ArgumentParser
import GatewatchApp
import GatewatchCore
import GatewatchUI

/// `gatewatch snapshot`: the release screen as plain text, no terminal needed.
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Print the release screen of a scenario as plain text (no terminal needed).")

    @OptionGroup var scenario: ScenarioOptions

    @Option(help: "Columns.") var width: Int = 80
    @Option(help: "Rows.") var height: Int = 24

    @Option(help: ArgumentHelp("Simulated time after the release start, e.g. 90m, 2h, 1d.", valueName: "duration"))
    var at: String = "2h"

    @Flag(help: "Use ASCII glyphs only.") var ascii = false

    func validate() throws {
        guard (1...1000).contains(width), (1...1000).contains(height) else {
            throw ValidationError("--width and --height must be between 1 and 1000")
        }
        _ = try TimeOptions.duration(at, option: "--at")
    }

    func run() throws {
        let members = try scenario.loadAll()
        let after = try TimeOptions.simulatedDuration(at, option: "--at", in: members)
        let canvas = try SnapshotRenderer.render(scenarios: members, after: after, width: width, height: height,
                                                 glyphs: ascii ? .ascii : .unicode)
        Console.out(canvas.plainText(asDrawn: true) + "\n")
    }
}
