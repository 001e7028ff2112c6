import ArgumentParser
import Foundation

/// `gatewatch`: the live dashboard (default), plus headless commands.
@main
struct Gatewatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gatewatch",
        abstract: "A live terminal dashboard for model releases: stages, stop rules and gates.",
        subcommands: [RunCommand.self, DemoCommand.self, CheckCommand.self, PromoteCommand.self, RollbackCommand.self, AckCommand.self, PauseCommand.self, ResumeCommand.self, HoldCommand.self, GuardCommand.self, KeysCommand.self, SnapshotCommand.self, ScenariosCommand.self, ImportCommand.self, ExportOpenMetricsCommand.self, ReviewCommand.self, RegistryCommand.self, AuditCommand.self],
        defaultSubcommand: RunCommand.self)

    /// Usage and configuration errors exit with status 2 (the documented contract), not ArgumentParser's 64.
    static func main() {
        // A hook or a reader that goes away must not kill the process; writes report EPIPE instead (see Console).
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as ValidationError {
            // Raised while running (a bad scenario, file or value): the message alone, without the usage text.
            Console.err("gatewatch: \(error.message)\n")
            Foundation.exit(2)
        } catch {
            if exitCode(for: error) == .validationFailure {
                Console.err("gatewatch: " + fullMessage(for: error) + "\n")
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
