import ArgumentParser
import Foundation
import GatewatchApp

/// `gatewatch keys`: the key table. docs/KEYS.md is `gatewatch keys --markdown`.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Print the key table (the defaults; with --config, the keys that config file makes).")

    @Flag(help: "Print Markdown (docs/KEYS.md is exactly this output for the defaults).") var markdown = false

    @Option(help: ArgumentHelp("Apply the key overrides of this config file.", valueName: "file"))
    var config: String?

    func run() throws {
        var table = KeyTable.default
        if let config {
            do {
                let loaded = try GatewatchConfig.read(path: config)
                for warning in loaded.warnings { Console.err("gatewatch: warning: \(warning)\n") }
                table = loaded.keyTable
            } catch {
                Console.err("gatewatch: \(error.description)\n")
                throw ExitCode(2)
            }
        }
        Console.out(markdown ? table.markdown() : table.text())
    }
}
