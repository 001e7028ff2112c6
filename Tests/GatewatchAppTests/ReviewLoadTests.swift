import Foundation
import Synchronization
import Testing
import GatewatchApp
import GatewatchCore
import GatewatchUI

/// A review is read off the UI thread: `R` leaves a request, keys keep working while the record is read, and the
/// review opens when the worker brings it back.
@Suite struct ReviewLoadTests {
    @Test func rLeavesARequestAndTheScreenKeepsAnswering() throws {
        var (m, _, _) = try ReviewScreenTests.model("latency-regression", hours: 5)
        _ = m.handle(.escape)
        #expect(m.screen == .release)
        m.loadsReviewInBackground = true
        m.review = nil
        _ = m.handle(.character("R"))
        #expect(m.screen == .release, "the review is not read on the UI thread")
        #expect(m.effects == [.loadReview("login-risk-v3")], "R leaves the load to the loop as an effect")
        #expect(m.message?.contains("reading the record of login-risk-v3") == true)
        let a = try #require(m.snapshot?.analysis)
        _ = m.handle(.character("j"))
        #expect(m.releaseScreen.selectedRule.index(in: m.releaseScreen.shownRuleIDs(a)) == 1, "keys work while the record is read")

        let worker = ReviewLoadWorker(threadName: "test review")
        let loader = try #require(m.reviewLoader)
        let gate = TestGate()
        #expect(worker.start(verb: "review", release: "login-risk-v3") { _ in gate.waitOpen(); return loader("login-risk-v3").map { ReviewSession(history: $0) } })
        #expect(worker.running?.release == "login-risk-v3")
        #expect(!worker.start(verb: "review", release: "other") { _ in nil }, "one load at a time")
        #expect(worker.take() == nil, "nothing before the load ends")
        gate.open()
        var loaded: ReviewLoadWorker.Finished?
        let deadline = Date().addingTimeInterval(30)
        while loaded == nil, Date() < deadline { loaded = worker.take(); if loaded == nil { Thread.sleep(forTimeInterval: 0.01) } }
        let done = try #require(loaded)
        m.finishReview(slug: done.release, session: done.output)
        #expect(m.screen == .review)
        #expect(m.message == nil, "the reading message is gone once the review is open")
        #expect(worker.running == nil)
    }

    @Test func aReleaseWithNoRecordSaysSo() throws {
        var m = try NavigationTests.model()
        m.finishReview(slug: "gone", session: nil)
        #expect(m.screen == .release)
        #expect(m.message == "no recorded history for gone")
    }
}

/// A gate a test opens once, so a background load waits until the test has looked at it under way.
final class TestGate: Sendable {
    private let isOpen = Mutex(false)
    func open() { isOpen.withLock { $0 = true } }
    func waitOpen() { while !isOpen.withLock({ $0 }) { Thread.sleep(forTimeInterval: 0.005) } }
}
