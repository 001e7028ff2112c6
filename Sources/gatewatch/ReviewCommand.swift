import ArgumentParser
import Foundation
import GatewatchUI
import GatewatchApp
import GatewatchCore
import GatewatchSQLite

/// `gatewatch review`: the post-release review (opens the review screen; `export` writes the Markdown report).
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Step through a release event by event (the review screen), or export the review as Markdown.",
        subcommands: [ReviewOpenCommand.self, ReviewExportCommand.self],
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

/// `gatewatch review export`: the post-release review as Markdown.
struct ReviewExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the post-release review of a release as Markdown (stages, decisions, rules, segment deltas then and now, notes, checklist).")

    @OptionGroup var scenario: ScenarioOptions

    @Option(help: ArgumentHelp("The release to review (needed when the source holds several).", valueName: "slug"))
    var release: String?

    @Option(help: ArgumentHelp("Review a release of an embedded store file instead of running a scenario.", valueName: "path"))
    var store: String?

    @Option(help: ArgumentHelp("Config file naming `registry` and `metrics` sources to review.", valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("With a scenario: how long to run it before the review, e.g. 6h, 2d (default: the moment a recorded "
                               + "release's scenario opens its review at, else 6h).", valueName: "duration"))
    var at: String?

    @Option(help: ArgumentHelp("File to write (default: standard output).", valueName: "file"))
    var out: String?

    func validate() throws {
        if let at { _ = try TimeOptions.duration(at, option: "--at", examples: "90m, 6h, 2d") }
        try OutputFile.validate(out)
    }

    func run() throws {
        let history: ReleaseHistory
        if config != nil || store != nil {
            let sources = try StoreAnalysis.open(configPath: config, storePath: store ?? "")
            let slug = try StoreAnalysis.slug(release, in: sources)
            guard let spec = try sources.registry.release(slug) else { throw ValidationError("no release '\(slug)' in \(sources.label)") }
            // Read up to the release's clock (a sample dated later is never read); an embedded store's review ends
            // at its newest sample or event, a live source's now.
            let now = StoreAnalysis.clock(slug, in: sources)()
            let data = MetricSeriesSet(try sources.metrics.samples(release: slug, after: nil, through: now))
            let events = try sources.registry.auditEvents(release: slug)
            let embedded = sources.metrics is SQLiteStore
            history = ReleaseHistory(release: spec, events: events, metrics: data,
                                     end: embedded ? min(now, max(data.newestTime ?? 0, events.last?.time ?? 0)) : now)
        } else {
            let members = try scenario.loadAll()
            guard let member = release.map({ r in members.first { $0.release.slug == r } }) ?? (members.count == 1 ? members[0] : nil) else {
                throw ValidationError("pick a release with --release (\(members.map(\.release.slug).joined(separator: ", ")))")
            }
            // A scenario that tells a finished story (`opens_review`) is reviewed as recorded, at the moment it opens.
            let end = try at.map { try TimeOptions.simulated($0, option: "--at", in: member) }
                ?? member.opensAt ?? TimeOptions.simulated("6h", option: "--at", in: member)
            let memory = try SQLiteStore()
            let source = try DemoSource(scenario: member, store: memory, description: "review", speed: 0)
            _ = try source.poll(simulatedTime: end)
            let slug = member.release.slug
            history = ReleaseHistory(release: try memory.release(slug)!, events: try memory.auditEvents(release: slug),
                                     metrics: MetricSeriesSet(try memory.samples(release: slug, after: nil, through: end)), end: end)
        }
        // A document for people: escape sequences and bidirectional controls in names and notes become visible.
        let text = TextSanitizer.cleanLines(ReviewReport.markdown(history))
        if let out {
            do { try text.write(toFile: out, atomically: true, encoding: .utf8) }
            catch { throw ValidationError("cannot write \(out): \((error as NSError).localizedDescription)") }
        } else {
            Console.out(text)
        }
    }
}
