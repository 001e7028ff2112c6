import ArgumentParser
import Foundation
import GatewatchCore
import GatewatchScenario

/// `gatewatch rules`: a release's stop rules for other tools.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Export a release's stop rules for other tools (Prometheus alerting rules).",
        subcommands: [RulesExportCommand.self],
        defaultSubcommand: RulesExportCommand.self)
}

/// `gatewatch rules export --format prometheus`: the release's stop rules as a Prometheus alerting-rules file
/// (`PrometheusAlertRules`), from a scenario's spec or from the registry a config names.
struct RulesExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a release's stop rules as a Prometheus alerting-rules file (promtool check rules accepts it).")

    enum Format: String, ExpressibleByArgument, CaseIterable { case prometheus }

    @OptionGroup var scenario: ScenarioOptions

    @Option(help: "Output format.") var format: Format = .prometheus

    @Option(help: ArgumentHelp("Release slug: with --config, the release in the registry; with a fleet scenario, the member.", valueName: "slug"))
    var release: String?

    @Option(help: ArgumentHelp("Config file naming the registry to read the release's spec from (instead of a scenario).", valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("File to write (default: standard output).", valueName: "file"))
    var out: String?

    func validate() throws {
        try OutputFile.validate(out)
    }

    func run() throws {
        let spec = try releaseSpec()
        let export = PrometheusAlertRules.export(spec)
        for skipped in export.skipped {
            Console.err("gatewatch: warning: rule \(skipped.rule) is not exported: \(skipped.reason)\n")
        }
        if let out {
            do {
                try export.yaml.write(toFile: out, atomically: true, encoding: .utf8)
            } catch {
                Console.err("gatewatch: cannot write \(out): \((error as NSError).localizedDescription)\n")
                throw ExitCode(2)
            }
        } else {
            Console.data(export.yaml)
        }
    }

    /// The spec: from the registry of `--config` (the release named, or its only one), else from the scenario.
    func releaseSpec() throws -> Release {
        if let config {
            let sources = try StoreAnalysis.open(configPath: config, storePath: "")
            let slug = try StoreAnalysis.slug(release, in: sources)
            let found: Release?
            do { found = try sources.registry.release(slug) } catch { throw ValidationError("cannot read release \(slug) from \(sources.label): \(error)") }
            guard let found else { throw ValidationError("\(sources.label) has no release \(slug)") }
            return found
        }
        let members = try scenario.loadAll()
        if members.count == 1, release == nil || release == members[0].release.slug { return members[0].release }
        if let release, let member = members.first(where: { $0.release.slug == release }) { return member.release }
        let slugs = members.map(\.release.slug).joined(separator: ", ")
        if let release { throw ValidationError("scenario '\(scenario.scenario)' has no release \(release) (it has \(slugs))") }
        throw ValidationError("scenario '\(scenario.scenario)' has several releases; pick one with --release (\(slugs))")
    }
}
