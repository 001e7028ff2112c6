import ArgumentParser
import Foundation
import GatewatchApp
import GatewatchCore
import GatewatchAudit
import GatewatchSQLite
import GatewatchMLflow
import GatewatchScenario
import GatewatchUI

/// `gatewatch audit`: work on the audit trail.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Work on the audit trail (verify its hash chain).",
        subcommands: [AuditVerifyCommand.self])
}

/// `gatewatch audit verify`: recomputes every release's audit hash chain and compares it with the stored head.
struct AuditVerifyCommand: ParsableCommand {
    /// Exit status when a release's audit trail does not match its hash chain.
    static let tamperedStatus: Int32 = 3

    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the audit trail's hash chain (edited, missing, reordered or removed events) and that each stored state is what its events explain (exit 0 ok, 3 tampered, 2 usage or source error).",
        discussion: """
            Prints one line per release: the events checked, the head hash (the hash of the newest event; record it \
            elsewhere to be able to tell a rewritten trail later) and either ok or the first place where the stored \
            events do not match their chain, or where the stored rollout state (stage, status, champion, rollback \
            target) is not what replaying the events gives. Exit status: 0 every release verifies, 3 some release's trail was \
            tampered with, 2 usage error or the store or registry cannot be read. The chain is tamper-evident, not \
            tamper-proof: someone with write access who rewrites the whole chain and its head consistently is not \
            detected, unless the printed head hash was recorded elsewhere.
            """)

    @Option(help: ArgumentHelp("Embedded store to verify (default: the config's registry, else the demo store of --scenario).", valueName: "path"))
    var store: String?

    @Option(help: ArgumentHelp("Config file whose `registry` (MLflow or a store file) is verified (default: $XDG_CONFIG_HOME/gatewatch/config.yaml when it exists).", valueName: "file"))
    var config: String?

    @Option(help: "Scenario whose demo store is verified when neither --store nor a config registry is given.")
    var scenario: String = ScenarioLoader.defaultScenario

    @Option(help: ArgumentHelp("Verify only this release.", valueName: "slug"))
    var release: String?

    func run() throws {
        let (source, label) = try open()
        let slugs: [String]
        do { slugs = try source.auditedReleases() } catch { throw ValidationError("cannot list the releases of \(label): \(error)") }
        if let release, !slugs.contains(release) {
            throw ValidationError("no release '\(TextSanitizer.clean(release))' in \(label) (it has: \(slugs.isEmpty ? "none" : slugs.map { TextSanitizer.clean($0) }.joined(separator: ", ")))")
        }
        var results: [AuditVerification] = []
        for slug in slugs where release == nil || slug == release {
            let trail: AuditTrail
            do { trail = try source.auditTrail(release: slug) } catch { throw ValidationError("cannot read the audit trail of \(TextSanitizer.clean(slug)) from \(label): \(error)") }
            var result = AuditVerifier.verify(trail)
            // The state must be one the (verified) events explain: an edited state leaves the chain intact.
            if !result.isBroken, let registry = source as? any Registry, let problem = StateVerifier.problem(slug, in: registry) {
                result.outcome = .broken(problem)
            }
            // One line per release whatever its slug holds: line feeds in it are shown, not obeyed.
            Console.out(TextSanitizer.clean(result.line) + "\n")
            results.append(result)
        }
        var broken = results.filter(\.isBroken).count
        // The roles table must be what the store log's grant and revoke events leave.
        if release == nil, let store = source as? SQLiteStore {
            do {
                let roles = try store.verifyRoles()
                if let problem = roles.problem {
                    Console.out(TextSanitizer.clean("roles: TAMPERED: \(problem)") + "\n")
                    broken += 1
                } else {
                    Console.out("roles: \(roles.events) role event\(roles.events == 1 ? "" : "s"), ok\n")
                }
            } catch {
                throw ValidationError("cannot read the roles of \(label): \(error)")
            }
        }
        let events = results.reduce(0) { $0 + $1.checked }
        let releases = "\(results.count) release\(results.count == 1 ? "" : "s")"
        if broken > 0 {
            Console.out("audit trail of \(TextSanitizer.clean(label)): TAMPERED in \(broken) of \(releases)\n")
            throw ExitCode(Self.tamperedStatus)
        }
        Console.out("audit trail of \(TextSanitizer.clean(label)): ok, \(releases), \(events) event\(events == 1 ? "" : "s")\n")
    }

    /// The registry to verify: --store, else the config's registry, else the scenario's demo store.
    private func open() throws -> (any AuditTrailReading, String) {
        func sqlite(_ path: String) throws -> (any AuditTrailReading, String) {
            guard FileManager.default.fileExists(atPath: path) else { throw ValidationError("no store at \(path)") }
            let store = try StoreFile.open(path, access: .read)
            if let why = store.readOnlyReason { Console.err("gatewatch: \(why)\n") }
            return (store, "store \(path)")
        }
        if let store { return try sqlite(store) }
        let loaded: LoadedConfig
        do { loaded = try LoadedConfig.load(path: config) } catch { throw ValidationError(error.description) }
        switch loaded.registry {
        case .mlflow(let options)?:
            do { return (try MLflowRegistry(options: options), "MLflow \(options.url.absoluteString)") }
            catch { throw ValidationError("registry (mlflow): \(error)") }
        case .sqlite(let path?)?:
            return try sqlite(path)
        default:
            if let config { throw ValidationError("\(config) names no registry; add e.g. `registry: { kind: mlflow, url: http://127.0.0.1:5000 }` or use --store") }
            return try sqlite(DefaultStorePath.path(scenario: scenario))
        }
    }
}
