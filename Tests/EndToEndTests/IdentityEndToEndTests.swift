import Foundation
import GatewatchCore
import Testing
import GatewatchTestSupport

/// Roles of the embedded store with a second operating-system user (made here with `useradd`, run as with
/// `runuser`): refused until granted, then allowed exactly what the grant says; `--as` never raises; `$USER` and
/// `--operator` never change who the actor is.
@Suite("Identity (end to end)", .serialized)
struct IdentityEndToEndTests {
    static let other = "gw-e2e-ana"
    typealias E = EmbeddedStoreEndToEndTests

    /// The second user, created once (no home, no login shell).
    static func ensureUser() throws {
        if SystemUser.exists(other) { return }
        let made = try ProcessResult.run(URL(fileURLWithPath: "/usr/sbin/useradd"), ["-M", "-s", "/usr/sbin/nologin", other])
        #expect(made.status == 0 || SystemUser.exists(other), "useradd: \(made.stderr)")
    }

    /// `gatewatch ARGS` as the second user; the store's folder and files are made writable for it first (what a
    /// shared store on one machine looks like: the file can be written by both, the roles decide).
    static func asOther(_ dir: URL, _ arguments: [String]) throws -> ProcessResult {
        try share(dir)
        return try ProcessResult.run(URL(fileURLWithPath: "/usr/sbin/runuser"),
                                     ["-u", other, "--", try TmuxSession.gatewatchBinary().path] + arguments,
                                     environment: ["USER": "root", "XDG_DATA_HOME": dir.path, "XDG_CONFIG_HOME": dir.path], timeout: 60)
    }

    static func share(_ dir: URL) throws {
        chmod(dir.path, 0o777)
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) { chmod(dir.appendingPathComponent(name).path, 0o666) }
    }

    @Test func aSecondUserIsRefusedUntilGrantedThenAllowedExactlyItsRole() throws {
        try Self.ensureUser()
        let dir = try E.temporaryDirectory()
        defer { TestProcesses.removeDirectory(dir) }
        let store = try E.importedStore(dir)
        let me = SystemUser.current

        // No grant: a viewer, told how to get a role; nothing written.
        let before = try Self.asOther(dir, ["pause", "--store", store, "--operator", me])
        #expect(before.status == 10, "\(before.stdout)\(before.stderr)")
        #expect(before.stdout.contains("\(Self.other) has no role here (no grant on this store); ask an owner: gatewatch roles grant \(Self.other) oncall"),
                "\(before.stdout)")
        // Nor create a release in it.
        let spec = ConcurrentOperatorsTests.root.appendingPathComponent("sample-data/latency-regression/release.yaml").path
        let imported = try Self.asOther(dir, ["import", "--release-spec", spec, "--store", store, "--started", "2026-11-02T09:00:00Z"])
        #expect(imported.status == 10 && imported.stdout.contains("creating a release needs the owner role; \(Self.other) is a viewer"),
                "\(imported.stdout)\(imported.stderr)")
        // It cannot grant itself one.
        let selfGrant = try Self.asOther(dir, ["roles", "grant", Self.other, "owner", "--store", store])
        #expect(selfGrant.status == 10 && selfGrant.stdout.contains("only an owner of the store may change roles"), "\(selfGrant.stdout)\(selfGrant.stderr)")

        // A reviewer: may not pause, and --as owner does not raise it.
        let grant = try E.gatewatch(["roles", "grant", Self.other, "reviewer", "--store", store, "--reason", "reads the releases"])
        #expect(grant.status == 0 && grant.stdout.contains("\(Self.other) is reviewer"), "\(grant.stdout)\(grant.stderr)")
        let reviewer = try Self.asOther(dir, ["pause", "--store", store])
        #expect(reviewer.status == 10 && reviewer.stdout.contains("reviewer may not pause"), "\(reviewer.stdout)\(reviewer.stderr)")
        let raised = try Self.asOther(dir, ["pause", "--store", store, "--as", "owner"])
        #expect(raised.status == 10 && raised.stdout.contains("--as owner would raise the role of \(Self.other), who is reviewer (store grant)"),
                "\(raised.stdout)\(raised.stderr)")

        // On call: pauses; the actor is the kernel's user whatever $USER and --operator say.
        _ = try E.gatewatch(["roles", "grant", Self.other, "oncall", "--store", store])
        let oncall = try Self.asOther(dir, ["pause", "--store", store, "--operator", "the owner"])
        #expect(oncall.status == 0, "\(oncall.stdout)\(oncall.stderr)")
        let row = try E.sql(store, "SELECT actor, actor_display, role, kind FROM audit_event WHERE kind = 'pause'")
        #expect(row.trimmingCharacters(in: .whitespacesAndNewlines) == "\(Self.other)|the owner|oncall|pause", "\(row)")
        let promote = try Self.asOther(dir, ["promote", "--store", store, "--override", "--reason", "x"])
        #expect(promote.status == 10 && promote.stdout.contains("oncall may not override and promote"), "\(promote.stdout)\(promote.stderr)")

        // The list, and the chained role log verified.
        let list = try E.gatewatch(["roles", "list", "--store", store])
        #expect(list.stdout.contains("owner    \(me)") && list.stdout.contains("oncall   \(Self.other)") && list.stdout.contains("you: \(me) · owner (store grant)"),
                "\(list.stdout)")
        let verify = try E.gatewatch(["audit", "verify", "--store", store])
        #expect(verify.status == 0 && verify.stdout.contains("roles: 3 role events, ok"), "\(verify.stdout)\(verify.stderr)")
        // An edit of the roles table shows.
        _ = try E.sql(store, "UPDATE role_grant SET role = 'owner' WHERE user = '\(Self.other)'")
        let tampered = try E.gatewatch(["audit", "verify", "--store", store])
        #expect(tampered.status == 3 && tampered.stdout.contains("roles: TAMPERED: role_grant says \(Self.other) is owner, the role events say oncall"),
                "\(tampered.stdout)\(tampered.stderr)")
    }

    @Test func theLastOwnerStaysAndAnUnknownUserIsNamed() throws {
        let dir = try E.temporaryDirectory()
        defer { TestProcesses.removeDirectory(dir) }
        let store = try E.importedStore(dir)
        let revoke = try E.gatewatch(["roles", "revoke", SystemUser.current, "--store", store])
        #expect(revoke.status == 10 && revoke.stdout.contains("is the store's last owner"), "\(revoke.stdout)\(revoke.stderr)")
        let unknown = try E.gatewatch(["roles", "grant", "no-such-user-x", "oncall", "--store", store])
        #expect(unknown.status == 2 && unknown.stderr.contains("no operating-system user 'no-such-user-x'"), "\(unknown.stderr)")
    }
}
