import ArgumentParser
import Foundation
import GatewatchApp
import GatewatchCore
import GatewatchSQLite
import GatewatchScenario
import GatewatchUI

/// `gatewatch roles list|grant|revoke`: the roles of an embedded store's operating-system users. Only an owner of
/// the store changes them; each change is an event of the store's hash-chained log (checked by `audit verify`).
/// An MLflow registry's roles are its permissions, changed in MLflow.
struct RolesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roles",
        abstract: "List, grant or revoke the roles of an embedded store's users (owner only).",
        subcommands: [RolesListCommand.self, RolesGrantCommand.self, RolesRevokeCommand.self],
        defaultSubcommand: RolesListCommand.self)
}

/// Which store; shared by the roles subcommands.
struct RolesStoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Embedded store (default: the demo store of --scenario).", valueName: "path"))
    var store: String?

    @Option(help: "Scenario whose demo store is used when --store is not given.")
    var scenario: String = ScenarioLoader.defaultScenario

    var path: String { store ?? DefaultStorePath.path(scenario: scenario) }

    func open(access: SQLiteStore.Access) throws -> SQLiteStore {
        guard FileManager.default.fileExists(atPath: path) else { throw ValidationError("no store at \(path)") }
        return try StoreFile.open(path, access: access)
    }

    /// A role change; a refusal (not an owner, the last owner) exits 10 with the words.
    func change(_ body: (SQLiteStore) throws -> Void, done: String) throws {
        let store = try open(access: .write)
        do {
            try body(store)
        } catch let error as RegistryError {
            switch error {
            case .forbidden, .readOnly:
                Console.out("refused: \(error)\n")
                throw ExitCode(10)
            default:
                throw ValidationError("\(error)")
            }
        }
        Console.out(done + "\n")
    }
}

struct RolesListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Every user's role, and yours.")
    @OptionGroup var options: RolesStoreOptions

    func run() throws {
        let store = try options.open(access: .read)
        let grants: [SQLiteStore.RoleGrant]
        do { grants = try store.roleGrants() } catch { throw ValidationError("cannot read the roles of \(options.path): \(error)") }
        for grant in grants {
            Console.out(TextSanitizer.clean("\(grant.role.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(grant.user)") + "\n")
        }
        let me = IdentityResolver.identity(store, release: nil)
        Console.out(TextSanitizer.clean("you: \(me.summary)\(me.note.map { " — \($0)" } ?? "")") + "\n")
    }
}

struct RolesGrantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "grant", abstract: "Give an operating-system user a role (replacing theirs).")
    @OptionGroup var options: RolesStoreOptions
    @Argument(help: "The operating-system user name.") var user: String
    @Argument(help: "owner, oncall or reviewer.") var role: String
    @Option(help: "Why (kept in the store's log).") var reason: String = ""

    func run() throws {
        guard let granted = Role(rawValue: role), granted != .controller else {
            throw ValidationError("'\(TextSanitizer.clean(role))' is not a role (owner, oncall or reviewer)")
        }
        guard SystemUser.exists(user) else {
            throw ValidationError("no operating-system user '\(TextSanitizer.clean(user))' on this machine (roles bind to the kernel's users)")
        }
        try options.change({ try $0.grant(user, role: granted, reason: reason, at: Timestamp(Date().timeIntervalSince1970)) },
                           done: TextSanitizer.clean("\(user) is \(granted.rawValue) on \(options.path)"))
    }
}

struct RolesRevokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Take a user's role away (they become a viewer).")
    @OptionGroup var options: RolesStoreOptions
    @Argument(help: "The operating-system user name.") var user: String
    @Option(help: "Why (kept in the store's log).") var reason: String = ""

    func run() throws {
        try options.change({ try $0.revoke(user, reason: reason, at: Timestamp(Date().timeIntervalSince1970)) },
                           done: TextSanitizer.clean("\(user) has no role on \(options.path)"))
    }
}
