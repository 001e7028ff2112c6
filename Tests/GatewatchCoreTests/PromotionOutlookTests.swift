import Foundation
import Testing
@testable import GatewatchCore

/// "When can it be promoted?" from the gates' own estimates: the latest wait when every holding gate has one, the
/// approval as a state of its own, and no time at all when a gate that holds it cannot say.
@Suite struct PromotionOutlookTests {
    /// The A/B stage of `DecisionPlannerTests` at two hours: minimum samples wait 1h20m (3,000 of 5,000 challenger
    /// decisions at 1,500 an hour), the planned samples 3h35m; the bake (1h) is done.
    @Test func theLatestWaitIsTheEarliestPromotion() throws {
        let a = DecisionPlannerTests.analysis(DecisionPlannerTests.release(), at: 7200)
        let waits = a.gates.filter { !$0.passed }.map { ($0.gate, $0.etaSeconds) }
        #expect(waits.map(\.0) == [.minimumSamples, .plannedSamples], "\(waits)")
        #expect(waits.map(\.1) == [4800, 12_955])
        let outlook = PromotionOutlook.of(a)
        #expect(outlook == .waiting(seconds: 12_955))
        #expect(outlook.earliest(asOf: 7200) == Timestamp(7200 + 12_955))
        #expect(outlook.text(asOf: 7200) == "promotable in ~3h35m (05:35Z)")
    }

    /// A stage that needs an owner: once the other gates pass, the outlook is the approval, not "ok"; before, the
    /// approval and when the rest passes.
    @Test func anApprovalIsItsOwnState() throws {
        var release = DecisionPlannerTests.release()
        release.stages[0].requiresApproval = true
        let early = PromotionOutlook.of(DecisionPlannerTests.analysis(release, at: 7200))
        #expect(early == .awaitingApproval(seconds: 12_955))
        #expect(early.text(asOf: 7200) == "awaiting approval; the other gates pass in ~3h35m (05:35Z)")
        let late = PromotionOutlook.of(DecisionPlannerTests.analysis(release, at: 6 * 3600))
        #expect(late == .awaitingApproval(seconds: 0))
        #expect(late.text(asOf: 6 * 3600) == "awaiting approval by an owner")
    }

    /// A gate without an estimate (here a blocking rule that is firing) holds it with no time: nothing is promised.
    @Test func aGateWithoutAnEstimateHoldsWithoutATime() throws {
        var release = DecisionPlannerTests.release()
        release.rules = [StopRule(name: "errors", metric: .errorRate, comparator: .greaterThan, threshold: 0.01, windowSeconds: 300,
                                  forSeconds: 0, severity: .block)]
        let a = DecisionPlannerTests.analysis(release, at: 7200)
        let outlook = PromotionOutlook.of(a)
        #expect(outlook == .held([.noBlockingRules]), "\(outlook)")
        #expect(outlook.text(asOf: 7200) == nil && outlook.earliest(asOf: 7200) == nil)
    }

    @Test func everythingPassingIsPromotableNow() throws {
        let a = DecisionPlannerTests.analysis(DecisionPlannerTests.release(effects: [:]), at: 6 * 3600)
        #expect(PromotionOutlook.of(a) == .promotable && a.promotable)
    }
}
