import GatewatchCore
import NIOConcurrencyHelpers
import GatewatchSQLite

/// Runs a scenario live in the embedded store: steps the simulator up to a simulated time, writes the samples, and
/// acts as the rollout controller (promotes when every gate passes, rolls back when a rollback rule fires).
/// Its run (simulator, samples, clock) is behind one lock: a step runs whole, and readers see a finished step.
public final class DemoDriver: Sendable {
    public let scenario: Scenario
    public let store: SQLiteStore
    /// What the steps carry forward.
    private struct Run {
        var simulator: Simulator
        var metrics: MetricSeriesSet
        var clock: Timestamp
        /// The controller's last rule states, so each step only evaluates what is new.
        var lastRules: [RuleEvaluation]?
        /// Samples the simulator dated after the current step (label counters are stamped when the labels arrive),
        /// per series in time order: held back until the clock reaches them, so the store never holds a sample
        /// from the future of its own clock.
        var arrivals: [SeriesKey: [Sample]] = [:]
    }
    private let run: NIOLockedValueBox<Run>
    // The controller decides on the same always-valid intervals as the screen's guardrail gate, so it counts the
    // looks too; the cache keeps a step from recounting the settled ones.
    private let analyzer = ReleaseAnalyzer(evaluator: RuleEvaluator(interval: 60, maximumLookback: 6 * 3600),
                                           comparator: SegmentComparator(looks: LookCountCache()))

    /// The samples written so far, for the controller's own analysis.
    public var metrics: MetricSeriesSet { run.withLockedValue { $0.metrics } }
    /// Simulated time of the last step.
    public var clock: Timestamp { run.withLockedValue { $0.clock } }

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
        run = NIOLockedValueBox(Run(simulator: Simulator(model: scenario.simulation, release: scenario.release,
                                             resumeFrom: try store.latestValues(release: slug, atOrBefore: .max)),
                        metrics: MetricSeriesSet(try store.samples(release: slug, after: nil, through: .max)),
                        clock: try store.simulationClock(scenario.clockKey) ?? start))
    }

    /// Runs every step up to `time` and returns how many ran. Samples are written in batches.
    @discardableResult
    public func advance(to time: Timestamp) throws -> Int {
        try run.withLockedValue { run in try advance(&run, to: time) }
    }

    private func advance(_ run: inout Run, to time: Timestamp) throws -> Int {
        let slug = scenario.release.slug
        let stepLength = scenario.simulation.step
        var steps = 0
        var pending: [SeriesKey: [Sample]] = [:]
        var pendingSteps = 0
        func flush() throws {
            guard pendingSteps > 0 else { return }
            try store.append(release: slug, samples: pending)
            try store.setSimulationClock(scenario.clockKey, run.clock)
            pending.removeAll(keepingCapacity: true)
            pendingSteps = 0
        }
        while run.clock + stepLength <= time {
            guard let state = try store.state(slug) else { throw RegistryError.unknownRelease(slug) }
            let next = run.clock + stepLength
            // What arrives by this step: held-back samples first, then the step's own (later in time).
            for (key, list) in run.arrivals {
                let due = list.prefix { $0.time <= next }
                guard !due.isEmpty else { continue }
                pending[key, default: []].append(contentsOf: due)
                run.metrics.append(Array(due), to: key)
                run.arrivals[key] = due.count == list.count ? nil : Array(list[due.count...])
            }
            for (key, list) in run.simulator.step(at: next, state: state) {
                let due = list.prefix { $0.time <= next }
                if due.count < list.count { run.arrivals[key, default: []].append(contentsOf: list[due.count...]) }
                if !due.isEmpty { pending[key, default: []].append(contentsOf: due); run.metrics.append(Array(due), to: key) }
            }
            run.clock = next
            steps += 1
            pendingSteps += 1
            if try control(state, at: next, run: &run) || pendingSteps >= 240 { try flush() }
        }
        try flush()
        return steps
    }

    /// The controller's decision after a step; true when it changed the state.
    private func control(_ state: RolloutState, at time: Timestamp, run: inout Run) throws -> Bool {
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
        let analysis = analyzer.analyze(release: release, state: state, metrics: run.metrics, asOf: time,
                                        approvals: try store.auditEvents(release: release.slug), previousRules: run.lastRules)
        run.lastRules = analysis.rules
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
