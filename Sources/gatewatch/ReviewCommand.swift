import ArgumentParser
import Foundation

/// `gatewatch review`: the post-release review (opens the review screen; `export` writes the Markdown report).
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Step through a release event by event (the review screen), or export the review as Markdown.",
        subcommands: [ReviewOpenCommand.self],
        defaultSubcommand: ReviewOpenCommand.self)
}

/// `gatewatch review [open] --release SLUG`: the dashboard, opened on the review screen of one release.
struct ReviewOpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open the review screen of a release ([ ] events, { } evaluation steps, t then & now, c checklist, n note).")

    @Option(help: ArgumentHelp("The release to review (default: the scenario's release).", valueName: "slug"))
    var release: String?

    @OptionGroup var dashboard: RunCommand

    mutating func run() throws {
        var command = dashboard
        if let release { command.review = release }
        else {
            let members = try command.scenario.loadAll()
            command.review = members[0].release.slug
        }
        try command.run()
    }
}
