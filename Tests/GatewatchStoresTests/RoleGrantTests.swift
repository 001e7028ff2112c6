import Foundation
import GRDB
import Testing
import GatewatchCore
@testable import GatewatchAudit
@testable import GatewatchSQLite

/// Roles of the embedded store bound to operating-system users: the file's owner is the first owner, only owners
/// change roles, the last owner stays, every change is in the store's chained log, and an edit of the table shows.
@Suite struct RoleGrantTests {
    func withStoreFile(_ body: (String) throws -> Void) throws { try SQLiteAuditChainTests().withStoreFile(body) }

    @Test func theOwnerOfTheStoreFileIsItsFirstOwnerAndNobodyElseHasARole() throws {
        try withStoreFile { path in
            let mine = try SQLiteStore(path: path)
            let me = try mine.identity(release: nil)
            #expect(me.name == SystemUser.current)
            #expect(me.role == .owner)
            #expect(me.source == "store grant")
            #expect(try mine.roleGrants() == [.init(user: SystemUser.current, role: .owner)])
            let ana = try SQLiteStore(path: path, access: .write, user: "ana")
            let hers = try ana.identity(release: nil)
            #expect(hers.role == nil)
            #expect(hers.note == "ask an owner: gatewatch roles grant ana oncall")
            // Opening it again seeds nobody else.
            #expect(try ana.roleGrants().count == 1)
        }
    }

    @Test func anOwnerGrantsAndRevokesAndANonOwnerIsRefused() throws {
        try withStoreFile { path in
            let owner = try SQLiteStore(path: path)
            let ana = try SQLiteStore(path: path, access: .write, user: "ana")
            #expect(throws: RegistryError.forbidden("only an owner of the store may change roles; ana is a viewer (no grant)")) {
                try ana.grant("ana", role: .owner, reason: "", at: 100)
            }
            try owner.grant("ana", role: .oncall, reason: "on call this week", at: 100)
            #expect(try ana.identity(release: "x").role == .oncall)
            #expect(throws: RegistryError.forbidden("only an owner of the store may change roles; ana is oncall")) {
                try ana.grant("ana", role: .owner, reason: "", at: 101)
            }
            try owner.revoke("ana", reason: "rotation over", at: 200)
            #expect(try ana.identity(release: nil).role == nil)
            let log = try owner.roleEvents()
            #expect(log.map(\.kind) == [.grant, .grant, .revoke])
            #expect(log.map(\.toState) == ["\(SystemUser.current)=owner", "ana=oncall", "ana=none"])
            #expect(log[1].actor == SystemUser.current && log[1].reason == "on call this week")
            #expect(try owner.verifyRoles().problem == nil)
            // The releases' logs hold none of it.
            #expect(try owner.auditEvents(release: nil).isEmpty && owner.auditedReleases().isEmpty)
        }
    }

    @Test func theLastOwnerCannotBeRevokedOrLowered() throws {
        try withStoreFile { path in
            let owner = try SQLiteStore(path: path)
            let me = SystemUser.current
            #expect(throws: RegistryError.forbidden("\(me) is the store's last owner; grant another owner first")) {
                try owner.revoke(me, reason: "", at: 100)
            }
            #expect(throws: RegistryError.forbidden("\(me) is the store's last owner; grant another owner first")) {
                try owner.grant(me, role: .reviewer, reason: "", at: 100)
            }
            try owner.grant("ana", role: .owner, reason: "", at: 100)
            try owner.grant(me, role: .reviewer, reason: "handing over", at: 101)
            #expect(try owner.identity(release: nil).role == .reviewer)
        }
    }

    @Test func theControllerRoleIsNeverGranted() throws {
        let store = try SQLiteStore()
        #expect(throws: RegistryError.forbidden("the controller role is the rollout's own; it cannot be granted")) {
            try store.grant("ana", role: .controller, reason: "", at: 1)
        }
    }

    @Test func verifyReportsARoleTableEditedBehindTheStoresBack() throws {
        try withStoreFile { path in
            let owner = try SQLiteStore(path: path)
            try owner.grant("ana", role: .reviewer, reason: "", at: 100)
            let clean = try owner.verifyRoles()
            #expect(clean.events == 2 && clean.problem == nil)
            let db = try DatabaseQueue(path: path)
            try db.write { try $0.execute(sql: "UPDATE role_grant SET role = 'owner' WHERE user = 'ana'") }
            try db.close()
            let edited = try owner.verifyRoles()
            #expect(edited.problem == "role_grant says ana is owner, the role events say reviewer: the table was edited outside Gatewatch")
            // And the edit gives nothing: identity reads the table, so verify is what catches it.
            #expect(try SQLiteStore(path: path, access: .write, user: "ana").identity(release: nil).role == .owner)
        }
    }

    @Test func verifyReportsARemovedOrEditedRoleEvent() throws {
        try withStoreFile { path in
            let owner = try SQLiteStore(path: path)
            try owner.grant("ana", role: .oncall, reason: "", at: 100)
            let db = try DatabaseQueue(path: path)
            try db.write { db in
                try db.execute(sql: "DROP TRIGGER role_event_no_update; UPDATE role_event SET to_state = 'ana=owner' WHERE position = 2; UPDATE role_grant SET role = 'owner' WHERE user = 'ana'")
            }
            try db.close()
            #expect(try owner.verifyRoles().problem == "the role log is broken: event 2 was edited: its hash does not match its content (role_event id 2)")
        }
    }

    @Test func aDisplayNameIsRecordedBesideTheActorAndChainedWithTheV2Encoding() throws {
        let store = try SQLiteStore()
        try store.create(SQLiteStoreTests.release(), state: SQLiteStoreTests.initial,
                         event: AuditEvent(release: "fraud-scoring-v8", time: 10, actor: "root", actorDisplay: "ana", role: .owner,
                                           kind: .start, reason: "", fromState: "", toState: "shadow"))
        try store.append(AuditEvent(release: "fraud-scoring-v8", time: 11, actor: "root", role: .owner, kind: .note,
                                    reason: "no display", fromState: "shadow", toState: "shadow"))
        let events = try store.auditEvents(release: "fraud-scoring-v8")
        #expect(events.map(\.actorDisplay) == ["ana", nil])
        #expect(events.map(\.actorText) == ["root (as “ana”)", "root"])
        #expect(AuditVerifier.verify(try store.auditTrail(release: "fraud-scoring-v8")).isBroken == false)
        // The display name is hashed: the same event without it has another hash; without one, v1 is unchanged.
        var bare = events[0]
        bare.actorDisplay = nil
        #expect(AuditChain.hash(events[0], position: 1, previousHash: AuditChain.genesis) != AuditChain.hash(bare, position: 1, previousHash: AuditChain.genesis))
        #expect(AuditChain.encoding(bare, position: 1, previousHash: AuditChain.genesis).count
                == 8 * 11 + "gatewatch.audit.v1fraud-scoring-v810rootownerstartshadow1".utf8.count + 64)
    }
}
