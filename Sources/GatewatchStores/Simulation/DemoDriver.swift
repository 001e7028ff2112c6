import GatewatchCore

/// Runs a scenario live in the embedded store: steps the simulator up to a simulated time, writes the samples, and
/// acts as the rollout controller (promotes when every gate passes, rolls back when a rollback rule fires).
public final class DemoDriver: @unchecked Sendable {
    public let scenario: Scenario
    public let store: SQLiteStore
    private var simulator: Simulator
    /// The samples written so far, for the controller's own analysis.
    public private(set) var metrics: MetricSeriesSet
    /// Simulated time of the last step.
    public private(set) var clock: Timestamp
    // The controller decides every step: it needs rules and gates, not the always-valid p-values only the screen shows.
    private let analyzer = ReleaseAnalyzer(evaluator: RuleEvaluator(interval: 60, maximumLookback: 6 * 3600),
                                           comparator: SegmentComparator(sequential: false))
    /// The controller's last rule states, so each step only evaluates what is new.
    private var lastRules: [RuleEvaluation]?
    /// Samples the simulator dated after the current step (label counters are stamped when the labels arrive),
    /// per series in time order: held back until the clock reaches them, so the store never holds a sample from
    /// the future of its own clock.
    private var arrivals: [SeriesKey: [Sample]] = [:]

    /// The name the controller uses in the audit log.
    public static let controllerName = "rollout-controller"

    /// Opens the scenario in `store`, creating the release on first use and resuming the simulated clock otherwise.
    /// The clock is stored under `scenario.clockKey` (the scenario name, or `<fleet>/<slug>` for a fleet member), so
    /// several drivers — one per fleet member — can share one store.
    public init(scenario: Scenario, store: SQLiteStore) throws {
        self.scenario = scenario
        self.store = store
        let slug = scenario.release.slug
        let start = scenario.simulation.start
        if try store.release(slug) == nil {
            let first = scenario.release.stages[0]
            try store.create(scenario.release,
                             state: RolloutState(stageIndex: 0, stageEnteredAt: start, startedAt: start, status: .running),
                             event: AuditEvent(release: slug, time: start, actor: Self.controllerName, role: .controller, kind: .start,
                                               reason: "release started", fromState: "", toState: first.name))
        }
        try store.markDemoRelease(slug, clockKey: scenario.clockKey)
        clock = try store.simulationClock(scenario.clockKey) ?? start
        metrics = MetricSeriesSet(try store.samples(release: slug, after: nil, through: .max))
        simulator = Simulator(model: scenario.simulation, release: scenario.release,
                              resumeFrom: try store.latestValues(release: slug, atOrBefore: .max))
    }

    /// Runs every step up to `time` and returns how many ran. Samples are written in batches.
    @discardableResult
    public func advance(to time: Timestamp) throws -> Int {
        let slug = scenario.release.slug
        let stepLength = scenario.simulation.step
        var steps = 0
        var pending: [SeriesKey: [Sample]] = [:]
        var pendingSteps = 0
        func flush() throws {
            guard pendingSteps > 0 else { return }
            try store.append(release: slug, samples: pending)
            try store.setSimulationClock(scenario.clockKey, clock)
            pending.removeAll(keepingCapacity: true)
            pendingSteps = 0
        }
        while clock + stepLength <= time {
            guard let state = try store.state(slug) else { throw RegistryError.unknownRelease(slug) }
            let next = clock + stepLength
            // What arrives by this step: held-back samples first, then the step's own (later in time).
            for (key, list) in arrivals {
                let due = list.prefix { $0.time <= next }
                guard !due.isEmpty else { continue }
                pending[key, default: []].append(contentsOf: due)
                metrics.append(Array(due), to: key)
                arrivals[key] = due.count == list.count ? nil : Array(list[due.count...])
            }
            for (key, list) in simulator.step(at: next, state: state) {
                let due = list.prefix { $0.time <= next }
                if due.count < list.count { arrivals[key, default: []].append(contentsOf: list[due.count...]) }
                if !due.isEmpty { pending[key, default: []].append(contentsOf: due); metrics.append(Array(due), to: key) }
            }
            clock = next
            steps += 1
            pendingSteps += 1
            if try control(state, at: next) || pendingSteps >= 240 { try flush() }
        }
        try flush()
        return steps
    }

    /// The controller's decision after a step; true when it changed the state.
    private func control(_ state: RolloutState, at time: Timestamp) throws -> Bool {
        // A complete release is still watched for rollback rules (a late signal can pull back a full rollout), and
        // so is a paused one: pause stops progression only. Only an explicit hold of automatic rollback
        // (`RolloutState.rollbackHold`, time-limited) stops the controller from rolling back.
        let watched = state.status == .running || state.status == .paused || state.status == .complete
        guard watched, state.status != .complete || scenario.simulation.autoRollback else { return false }
        let release = scenario.release
        let stage = release.stages[state.stageIndex]
        let bakeDone = time - state.stageEnteredAt >= stage.bakeSeconds
        let watchRules = scenario.simulation.autoRollback && !release.rules.filter({ $0.severity == .rollback }).isEmpty
        guard bakeDone || watchRules else { return false }
        guard state.stageIndex + 1 < release.stages.count || watchRules else { return false }
        let analysis = analyzer.analyze(release: release, state: state, metrics: metrics, asOf: time,
                                        approvals: try store.auditEvents(release: release.slug), previousRules: lastRules)
        lastRules = analysis.rules
        if scenario.simulation.autoRollback, let rule = analysis.firingRollbackRules.first, state.activeRollbackHold(at: time) == nil {
            var next = state
            next.status = .rolledBack
            next.stageEnteredAt = time
            let scope = rule.segment.map { " in \($0)" } ?? ""
            try store.transition(release.slug, expectedVersion: state.version, to: next,
                                 event: AuditEvent(release: release.slug, time: time, actor: Self.controllerName, role: .controller,
                                                   kind: .rollback, reason: "stop rule \(rule.rule.name)\(scope) firing: \(rule.rule.expressionText)",
                                                   fromState: stage.name, toState: "rolled back"))
            return true
        }
        if scenario.simulation.autoPromote, state.status == .running, bakeDone, analysis.promotable, let target = analysis.nextStage {
            var next = state
            next.stageIndex += 1
            next.stageEnteredAt = time
            if next.stageIndex == release.stages.count - 1 { next.status = .complete }
            try store.transition(release.slug, expectedVersion: state.version, to: next,
                                 event: AuditEvent(release: release.slug, time: time, actor: Self.controllerName, role: .controller,
                                                   kind: .promote, reason: "all gates passed",
                                                   fromState: stage.name, toState: target.name))
            return true
        }
        return false
    }
}
