import Testing
import GatewatchCore

/// `--as` only lowers the role the registry grants; no role is a viewer, and the words say how to get one.
@Suite struct IdentityTests {
    @Test func aRoleCanBeLoweredNeverRaised() {
        #expect(Role.owner.lowered(to: .reviewer) == .reviewer)
        #expect(Role.owner.lowered(to: .oncall) == .oncall)
        #expect(Role.owner.lowered(to: .owner) == .owner)
        #expect(Role.oncall.lowered(to: .owner) == nil)
        #expect(Role.reviewer.lowered(to: .oncall) == nil)
        #expect(Role.owner.lowered(to: .controller) == nil)
        #expect(Role.controller.lowered(to: .reviewer) == nil)
    }

    @Test func theSessionRoleIsTheGrantedOneOrLower() throws {
        let ana = Identity(name: "ana", role: .oncall, source: "store grant", verified: true)
        #expect(try ana.role(asking: nil) == .oncall)
        #expect(try ana.role(asking: .reviewer) == .reviewer)
        #expect(throws: IdentityError.wouldRaise(ana, wanted: .owner)) { try ana.role(asking: .owner) }
        #expect(IdentityError.wouldRaise(ana, wanted: .owner).description
                == "--as owner would raise the role of ana, who is oncall (store grant); --as can only lower a role")
    }

    @Test func aViewerHasNoRoleAndIsToldHowToGetOne() {
        let bo = Identity(name: "bo", role: nil, source: "no grant on this store", verified: true,
                          note: "an owner can give you one: gatewatch roles grant bo oncall")
        #expect(throws: IdentityError.noRole(bo)) { try bo.role(asking: .reviewer) }
        #expect(IdentityError.noRole(bo).description
                == "bo has no role here (no grant on this store); an owner can give you one: gatewatch roles grant bo oncall")
        #expect(bo.summary == "bo · viewer (no grant on this store)")
        #expect(Identity(name: "x", role: .owner, source: "self-declared", verified: false).summary == "x · owner (self-declared) · unverified")
    }

    @Test func aDisplayNameEqualToTheActorOrEmptyIsNotKept() {
        #expect(AuditEvent(release: "r", time: 1, actor: "root", actorDisplay: "root", role: .owner, kind: .note, reason: "", fromState: "", toState: "").actorDisplay == nil)
        #expect(AuditEvent(release: "r", time: 1, actor: "root", actorDisplay: "", role: .owner, kind: .note, reason: "", fromState: "", toState: "").actorDisplay == nil)
        #expect(AuditEvent(release: "r", time: 1, actor: "root", actorDisplay: "ana", role: .owner, kind: .note, reason: "", fromState: "", toState: "").actorText == "root (as “ana”)")
    }
}
