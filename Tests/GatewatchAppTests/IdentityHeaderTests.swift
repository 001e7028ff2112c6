import Foundation
import Testing
import GatewatchApp
import GatewatchCore
import GatewatchUI

/// The header says who you are, your role, where it came from and `read-only`, at 120×40, 80×24 and 60×16, in the
/// longest form that leaves the change line whole ("root·owner!" marks a limit where only that fits); a viewer's
/// footer says which role each action needs; an action key by a viewer says how to get a role.
@Suite struct IdentityHeaderTests {
    static func analysis() throws -> ReleaseAnalysis {
        let store = try FailSafeScreenTests.store(slugs: ["r"])
        return try LiveSource(slug: "r", registry: store, metricsStore: store, description: "t").refresh(at: LiveSourceTests.start + 60).analysis
    }

    static func lines(width: Int, height: Int, identity: Identity?, readOnly: Bool = false, actor: Operator? = nil,
                      title: String? = nil) throws -> [String] {
        var context = RenderContext(width: width, height: height, now: 0)
        context.identity = identity
        context.readOnly = readOnly
        var a = try analysis()
        if let title { a.release.title = title }
        let snapshot = ReleaseSnapshot(analysis: a, health: SourceHealth(sourceName: "t", lastSuccess: 0, pollInterval: 1))
        return ReleaseScreen().render(snapshot, keys: .default, context: context, actor: actor).plainText()
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test func theHeaderNamesTheUserTheRoleAndItsSourceAtEverySize() throws {
        let root = Identity(name: "root", role: .owner, source: "store grant", verified: true)
        let wide = try Self.lines(width: 120, height: 40, identity: root)
        #expect(wide[1].hasSuffix("root · owner (store grant)"), "\(wide[1])")
        let narrow = try Self.lines(width: 80, height: 24, identity: root, readOnly: true)
        #expect(narrow[1].hasSuffix("root · owner (store grant) · read-only"), "\(narrow[1])")
        // A long title: the badge shortens before the changes are cut, and a cut is marked.
        let long = "Card fraud scorer v8 (retrained on Q3 data)"
        let smallest = try Self.lines(width: 60, height: 16, identity: root, readOnly: true, title: long)
        #expect(smallest[1].hasSuffix("changes: nothing root·owner!"), "\(smallest[1])")
        let small = try Self.lines(width: 60, height: 16, identity: Identity(name: "ana", role: nil, source: "no grant on this store", verified: true), title: long)
        #expect(small[1].contains("changes: nothing") && small[1].hasSuffix(" ana·viewer"), "\(small[1])")
        let sample = try Self.lines(width: 80, height: 24, identity: root, title: long)
        #expect(sample[1].contains("changes: nothing") && sample[1].hasSuffix("root · owner"), "\(sample[1])")
        let unverified = try Self.lines(width: 120, height: 40, identity: Identity(name: "ci", role: .owner, source: "self-declared", verified: false))
        #expect(unverified[1].hasSuffix("ci · owner (self-declared) · unverified"), "\(unverified[1])")
        // Without an identity the line is as before.
        #expect(!(try Self.lines(width: 120, height: 40, identity: nil))[1].contains("·"))
    }

    @Test func aViewersFooterSaysWhichRoleEachActionNeeds() throws {
        let lines = try Self.lines(width: 120, height: 40, identity: Identity(name: "ana", role: nil, source: "no grant", verified: true))
        let footer = lines[lines.count - 2]
        #expect(footer.contains("p promote — needs owner"), "\(footer)")
        #expect(footer.contains("r roll back — needs oncall or owner"), "\(footer)")
    }

    @Test func aViewerPressingAnActionKeyIsToldHowToGetARole() throws {
        let a = try Self.analysis()
        var model = AppModel()
        model.identity = Identity(name: "ana", role: nil, source: "no grant on this store", verified: true,
                                  note: "ask an owner: gatewatch roles grant ana oncall")
        model.update([ReleaseSnapshot(analysis: a, health: SourceHealth(sourceName: "t", lastSuccess: 0, pollInterval: 1))])
        _ = model.handle(.enter)
        _ = model.handle(.character("r"))
        #expect(model.dialog == nil)
        #expect(model.message == "roll back — blocked: viewer; ask an owner: gatewatch roles grant ana oncall",
                "\(model.message ?? "nil")")
    }
}
