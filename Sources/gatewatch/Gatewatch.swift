import ArgumentParser

/// `gatewatch`: the live dashboard (default), plus headless commands.
@main
struct Gatewatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gatewatch",
        abstract: "A live terminal dashboard for model releases: stages, stop rules and gates.",
        subcommands: [RunCommand.self, SnapshotCommand.self, ScenariosCommand.self],
        defaultSubcommand: RunCommand.self)
}
