import ArgumentParser
import Foundation

/// `gatewatch`: the live dashboard (default), plus headless commands.
@main
struct Gatewatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gatewatch",
        abstract: "A live terminal dashboard for model releases: stages, stop rules and gates.",
        subcommands: [RunCommand.self, DemoCommand.self, CheckCommand.self, PromoteCommand.self, RollbackCommand.self, AckCommand.self, PauseCommand.self, ResumeCommand.self, HoldCommand.self, GuardCommand.self, KeysCommand.self, SnapshotCommand.self, ScenariosCommand.self, ImportCommand.self, ExportOpenMetricsCommand.self, ReviewCommand.self, RegistryCommand.self, AuditCommand.self, RolesCommand.self, RulesCommand.self],
        defaultSubcommand: RunCommand.self)

    /// Usage, input and source errors exit with status 2 (the documented contract), not ArgumentParser's 64 or 1:
    /// an error no command turned into a status is reported with its message and status 2 as well.
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
            // Help and version requests (status 0) and the statuses commands chose (10, 20, 3, …) as they are.
            if error is ExitCode || exitCode(for: error) == .success { exit(withError: error) }
            let message = fullMessage(for: error)
            Console.err("gatewatch: " + (message.isEmpty ? "\(error)" : message) + "\n")
            Foundation.exit(2)
        }
    }
}
