import Testing
import GatewatchApp
import GatewatchCore
import GatewatchSQLite
import GatewatchScenario

/// Every action and every refusal through the one action layer, for every role, with the audit trail checked.
@Suite struct ActionLayerTests {
    /// The healthy scenario in memory at `after`, its store and a fresh analysis.
    static func setUp(after seconds: Int64, tweak: (inout Scenario) -> Void = { _ in }) throws -> (SQLiteStore, ReleaseAnalysis, DemoSource) {
        var scenario = try SnapshotSupport.scenario()
        scenario.simulation.autoPromote = false
        tweak(&scenario)
        let store = try SQLiteStore()
        let source = try DemoSource(scenario: scenario, store: store, description: "test", speed: 0)
        let analysis = try source.poll(simulatedTime: scenario.simulation.start + seconds)
        return (store, analysis, source)
    }

    /// The first minute after the shadow bake at which every gate passes (the controller is off, so it stays there).
    static func promotable() throws -> (SQLiteStore, ReleaseAnalysis) {
        var scenario = try SnapshotSupport.scenario()
        scenario.simulation.autoPromote = false
        let store = try SQLiteStore()
        let source = try DemoSource(scenario: scenario, store: store, description: "test", speed: 0)
        for minute in stride(from: 30, through: 240, by: 1) {
            let a = try source.poll(simulatedTime: scenario.simulation.start + Int64(minute * 60))
            if ActionLayer.blocker(.promote, analysis: a, by: owner) == nil { return (store, a) }
        }
        throw TestFailure("the shadow stage never became promotable")
    }

    struct TestFailure: Error { let message: String; init(_ m: String) { message = m } }

    static let owner = Operator(name: "ana", role: .owner)
    static let oncall = Operator(name: "omar", role: .oncall)
    static let reviewer = Operator(name: "rita", role: .reviewer)

    @Test func promoteWhenGatesPassMovesOneStageAndAudits() throws {
        let (store, a) = try Self.promotable()
        #expect(a.stage.name == "shadow")
        let outcome = ActionLayer(registry: store).perform(.promote, analysis: a, by: Self.owner, reason: "", at: a.asOf)
        #expect(outcome.succeeded, "\(outcome)")
        let state = try #require(try store.state(a.release.slug))
        #expect(state.stageIndex == 1)
        #expect(state.version == a.state.version + 1)
        let last = try #require(try store.auditEvents(release: a.release.slug).last)
        #expect(last.kind == .promote && last.actor == "ana" && last.fromState == "shadow" && last.toState == "canary-1")
    }

    @Test(arguments: [Role.oncall, .reviewer])
    func onlyOwnersPromoteAndRefusalsAreAudited(role: Role) throws {
        let (store, a) = try Self.promotable()
        let before = try store.auditEvents(release: a.release.slug).count
        let outcome = ActionLayer(registry: store).perform(.promote, analysis: a, by: Operator(name: "x", role: role), reason: "", at: a.asOf)
        #expect(!outcome.succeeded)
        #expect(outcome.message.contains("may not promote"))
        #expect(try store.state(a.release.slug)?.stageIndex == 0)
        let events = try store.auditEvents(release: a.release.slug)
        #expect(events.count == before + 1)
        #expect(events.last?.kind == .refusal && events.last?.role == role)
    }

    @Test func failingGateBlocksPromoteButOwnerMayOverrideWithAReason() throws {
        let (store, a, _) = try Self.setUp(after: 10 * 60)   // bake 10m of 30m
        let why = try #require(ActionLayer.blocker(.promote, analysis: a, by: Self.owner))
        #expect(why.contains("bake"))
        let layer = ActionLayer(registry: store)
        #expect(!layer.perform(.overridePromote, analysis: a, by: Self.owner, reason: "  ", at: a.asOf).succeeded)
        let done = layer.perform(.overridePromote, analysis: a, by: Self.owner, reason: "shadow data is enough", at: a.asOf)
        #expect(done.succeeded)
        let last = try #require(try store.auditEvents(release: a.release.slug).last)
        #expect(last.kind == .override)
        #expect(last.reason.contains("shadow data is enough") && last.reason.contains("overrode: bake_time"))
    }

    /// The promotion to the last stage hands the champion role to the challenger and keeps the old champion as
    /// the rollback target; a rollback after it restores the old champion.
    @Test func lastPromotionMakesTheChallengerChampionAndRollbackRestoresTheOldOne() throws {
        let (store, first, source) = try Self.setUp(after: 40 * 60)
        let layer = ActionLayer(registry: store)
        var a = first
        while a.nextStage != nil {
            let outcome = layer.perform(.overridePromote, analysis: a, by: Self.owner, reason: "walk the plan", at: a.asOf)
            #expect(outcome.succeeded, "\(outcome)")
            let state = try #require(try store.state(a.release.slug))
            if a.nextStage?.kind != .full || state.status != .complete {
                #expect(state.servingChampion == nil, "champion changed before the last stage")
            }
            a = try source.poll(simulatedTime: a.asOf + 60)
        }
        #expect(a.state.status == .complete)
        #expect(a.state.servingChampion == a.release.challengerVersion)
        #expect(a.state.rollbackTarget == a.release.championVersion)
        #expect(a.state.champion(of: a.release) == a.release.challengerVersion)
        let dialog = ConfirmDialog(action: .rollback, analysis: a)
        #expect(dialog.effects.joined(separator: " ").contains("champion v\(a.release.championVersion) restored"))
        let back = layer.perform(.rollback, analysis: a, by: Self.oncall, reason: "late regression", at: a.asOf)
        #expect(back.succeeded && back.message.contains("champion v\(a.release.championVersion) restored"), "\(back)")
        let state = try #require(try store.state(a.release.slug))
        #expect(state.status == .rolledBack && state.servingChampion == nil && state.rollbackTarget == nil)
        #expect(state.champion(of: a.release) == a.release.championVersion)
    }

    @Test(arguments: [Role.owner, .oncall])
    func rollbackNeedsAReasonAndWorksForOwnerAndOncall(role: Role) throws {
        let (store, a, _) = try Self.setUp(after: 20 * 60)
        let layer = ActionLayer(registry: store)
        let op = Operator(name: "x", role: role)
        #expect(!layer.perform(.rollback, analysis: a, by: op, reason: "", at: a.asOf).succeeded)
        #expect(layer.perform(.rollback, analysis: a, by: op, reason: "errors in BR", at: a.asOf).succeeded)
        #expect(try store.state(a.release.slug)?.status == .rolledBack)
        #expect(!layer.perform(.rollback, analysis: a, by: Self.reviewer, reason: "x", at: a.asOf).succeeded)
    }

    @Test func readOnlyRefusesEverything() throws {
        let (store, a, _) = try Self.setUp(after: 40 * 60)
        let viewer = Operator(name: "ana", role: .owner, readOnly: true)
        for action in [OperatorAction.promote, .rollback, .pause] {
            let outcome = ActionLayer(registry: store).perform(action, analysis: a, by: viewer, reason: "r", at: a.asOf)
            #expect(outcome.message.contains("read-only"))
        }
        #expect(try store.state(a.release.slug)?.version == a.state.version)
    }

    /// Two operators acting on the same screen: the second one finds the state changed and is refused.
    @Test func staleStateIsRefusedNotOverwritten() throws {
        let (store, a) = try Self.promotable()
        let layer = ActionLayer(registry: store)
        #expect(layer.perform(.promote, analysis: a, by: Self.owner, reason: "", at: a.asOf).succeeded)
        let second = layer.perform(.promote, analysis: a, by: Operator(name: "bob", role: .owner), reason: "", at: a.asOf)
        #expect(!second.succeeded, "\(second)")
        #expect(second.message.contains("now at canary-1, promoted by ana"), "\(second.message)")
        #expect(try store.state(a.release.slug)?.stageIndex == 1, "promoted twice")
        // The same for a rollback decided on the old screen.
        let late = layer.perform(.rollback, analysis: a, by: Self.oncall, reason: "r", at: a.asOf)
        #expect(!late.succeeded && late.message.contains("changed since the screen was drawn"))
    }

    @Test func pauseStopsTheControllerAndResumeRestartsIt() throws {
        var scenario = try SnapshotSupport.scenario()
        scenario.simulation.autoPromote = true
        let store = try SQLiteStore()
        let source = try DemoSource(scenario: scenario, store: store, description: "t", speed: 0)
        let a = try source.poll(simulatedTime: scenario.simulation.start + 10 * 60)
        #expect(ActionLayer(registry: store).perform(.pause, analysis: a, by: Self.oncall, reason: "", at: a.asOf).succeeded)
        let later = try source.poll(simulatedTime: scenario.simulation.start + 3 * 3600)
        #expect(later.state.status == .paused)
        #expect(later.state.stageIndex == 0, "the controller promoted a paused release")
        #expect(ActionLayer(registry: store).perform(.resume, analysis: later, by: Self.oncall, reason: "", at: later.asOf).succeeded)
        let resumed = try source.poll(simulatedTime: scenario.simulation.start + 3 * 3600 + 120)
        #expect(resumed.state.stageIndex == 1)
    }

    /// An acknowledgement covers the current episode only: after the rule resolves and fires again it alerts again.
    @Test func acknowledgementCoversOneEpisode() throws {
        let (store, a, _) = try Self.setUp(after: 40 * 60) { s in
            s.simulation.challenger.latencyMedianMs = 250
            s.simulation.challenger.latencyP99Ms = 1500
            s.simulation.autoRollback = false
        }
        let rule = try #require(a.rules.first { $0.rule.name == "challenger-p99-latency" })
        #expect(rule.status == .firing)
        let outcome = ActionLayer(registry: store).perform(.acknowledge(rule: rule.rule.name, segment: nil), analysis: a, by: Self.oncall,
                                                           reason: "looking", at: a.asOf)
        #expect(outcome.succeeded)
        let events = try store.auditEvents(release: a.release.slug)
        #expect(Acknowledgement.covering(rule, in: events)?.actor == "omar")
        // The same rule in a later episode (it resolved and became active again after the acknowledgement).
        var refired = rule
        refired.activeAt = a.asOf + 600
        refired.since = a.asOf + 900
        #expect(Acknowledgement.covering(refired, in: events) == nil)
        // An ok rule cannot be acknowledged.
        let ok = try #require(a.rules.first { $0.status == .ok })
        #expect(ActionLayer.blocker(.acknowledge(rule: ok.rule.name, segment: ok.segment), analysis: a, by: Self.oncall) == "rule is ok")
    }

    /// Acknowledging an episode that is already acknowledged changes nothing: no second event, and the words say
    /// who acknowledged it and when — from the dashboard's screen as from a fresh analysis (the CLI's).
    @Test func aSecondAcknowledgementOfTheSameEpisodeIsANoOp() throws {
        let (store, a, source) = try Self.setUp(after: 40 * 60) { s in
            s.simulation.challenger.latencyMedianMs = 250
            s.simulation.challenger.latencyP99Ms = 1500
            s.simulation.autoRollback = false
        }
        let layer = ActionLayer(registry: store)
        let ack = OperatorAction.acknowledge(rule: "challenger-p99-latency", segment: nil)
        #expect(layer.perform(ack, analysis: a, by: Self.oncall, reason: "looking", at: a.asOf).succeeded)
        let count = try store.auditEvents(release: a.release.slug).count
        // The same (stale) screen again, and a fresh analysis a minute later.
        let again = layer.perform(ack, analysis: a, by: Self.owner, reason: "", at: a.asOf + 5)
        #expect(again.succeeded)
        #expect(again.message == "challenger-p99-latency already acknowledged by omar at \(TimeText.iso(a.asOf))", "\(again)")
        let later = try source.poll(simulatedTime: a.asOf + 60)
        let fresh = layer.perform(ack, analysis: later, by: Self.owner, reason: "", at: later.asOf)
        #expect(fresh.succeeded && fresh.message.contains("already acknowledged by omar"), "\(fresh)")
        #expect(try store.auditEvents(release: a.release.slug).count == count)
    }

    @Test func confirmDialogOpensOnCancelAndStatesWhatChanges() throws {
        let (_, a) = try Self.promotable()
        var model = AppModel()
        model.snapshot = ReleaseSnapshot(analysis: a, health: SourceHealth(sourceName: "t", lastSuccess: 0))
        model.actor = Self.owner
        _ = model.handle(.character("p"))
        let dialog = try #require(model.dialog)
        #expect(dialog.focus == .cancel)
        #expect(dialog.effects.contains("stage shadow → canary-1"))
        #expect(dialog.effects.contains { $0.contains("→ 1%") })
        let text = model.render(RenderContext(width: 100, height: 30, now: 0)).plainText()
        #expect(text.contains("[ Cancel ]"))
        _ = model.handle(.enter)            // Cancel is the default: nothing confirmed
        #expect(model.dialog == nil && model.confirmed == nil)
        _ = model.handle(.character("r"))
        _ = model.handle(.tab)
        _ = model.handle(.enter)            // no reason yet
        #expect(model.dialog?.error == "a reason is required")
        for c in "bad canary" { _ = model.handle(.character(c)) }
        _ = model.handle(.enter)
        #expect(model.confirmed?.action == .rollback && model.confirmed?.reason == "bad canary")
    }

    @Test func rollingBackAtFullAsksForTheReleaseName() throws {
        let (_, a0, _) = try Self.setUp(after: 40 * 60)
        var a = a0
        a.state.stageIndex = a.release.stages.count - 1
        let dialog = ConfirmDialog(action: .rollback, analysis: a)
        #expect(dialog.requiredName == a.release.slug)
        var d = dialog
        d.reason = "x"
        #expect(d.problem?.contains("type the release name") == true)
        d.typedName = a.release.slug
        #expect(d.problem == nil)
    }
}

@Suite struct AuditScreenTests {
    @Test func actionsAndRefusalsAppearOnTheAuditScreenAndFilter() throws {
        var scenario = try SnapshotSupport.scenario()
        scenario.simulation.autoPromote = false
        let store = try SQLiteStore()
        let source = try DemoSource(scenario: scenario, store: store, description: "t", speed: 0)
        let a = try source.poll(simulatedTime: scenario.simulation.start + 20 * 60)
        let layer = ActionLayer(registry: store)
        _ = layer.perform(.promote, analysis: a, by: Operator(name: "rita", role: .reviewer), reason: "", at: a.asOf)
        _ = layer.perform(.rollback, analysis: a, by: Operator(name: "omar", role: .oncall), reason: "errors in BR", at: a.asOf)
        let after = try source.poll(simulatedTime: scenario.simulation.start + 21 * 60)
        var model = AppModel()
        model.update([ReleaseSnapshot(analysis: after, health: SourceHealth(sourceName: "t", lastSuccess: 0))])
        _ = model.handle(.character("L"))
        #expect(model.screen == .audit)
        let context = RenderContext(width: 160, height: 30, now: 0)
        let text = model.render(context).plainText()
        #expect(text.contains("errors in BR") && text.contains("promote refused: reviewer may not promote"))
        #expect(text.contains("3 of 3 events"))
        _ = model.handle(.character("/"))
        for c in "kind:refusal" { _ = model.handle(.character(c)) }
        _ = model.handle(.enter)
        let filtered = model.render(context).plainText()
        #expect(filtered.contains("1 of 3 events"))
        #expect(!filtered.contains("errors in BR"))
        // esc clears the filter first (k9s), then leaves the log.
        _ = model.handle(.escape)
        #expect(model.screen == .audit && model.auditFilter.isEmpty)
        _ = model.handle(.escape)
        #expect(model.screen == .release)
    }
}
