import Foundation
import Testing
import GatewatchCore
@testable import GatewatchSQLite
@testable import GatewatchScenario

@Suite struct DemoDriverTests {
    @Test func threeHoursOfTheHealthyScenarioPromoteBeyondShadow() throws {
        let scenario = try TestSupport.healthyScenario()
        let store = try SQLiteStore()
        let driver = try DemoDriver(scenario: scenario, store: store)
        let start = scenario.simulation.start
        let slug = scenario.release.slug
        #expect(driver.clock == start)
        let steps = try driver.advance(to: start + 3 * 3600)
        #expect(steps == 180)
        #expect(driver.clock == start + 3 * 3600)
        #expect(try store.simulationClock(scenario.name) == driver.clock)

        let state = try #require(try store.state(slug))
        #expect(state.stageIndex >= 1, "still in \(scenario.release.stages[state.stageIndex].name)")
        #expect(state.status != .rolledBack)

        let events = try store.auditEvents(release: slug)
        #expect(events.first?.kind == .start)
        let promotions = events.filter { $0.kind == .promote }
        #expect(promotions.count == state.stageIndex)
        #expect(promotions.allSatisfy { $0.actor == DemoDriver.controllerName && $0.role == .controller && !$0.reason.isEmpty })
        // promotions walk the stage plan in order, each from the stage the previous one entered
        let names = scenario.release.stages.map(\.name)
        #expect(promotions.map(\.fromState) == Array(names[0..<state.stageIndex]))
        #expect(promotions.map(\.toState) == Array(names[1...state.stageIndex]))
        #expect(state.version == Int64(1 + promotions.count))

        // stage entry times: the last promotion is when the current stage was entered, and each stage baked long enough
        #expect(state.stageEnteredAt == promotions.last?.time)
        #expect(state.startedAt == start)
        var entered = start
        for (i, p) in promotions.enumerated() {
            #expect(p.time - entered >= scenario.release.stages[i].bakeSeconds, "\(names[i]) left after \(p.time - entered)s")
            #expect(p.time <= driver.clock)
            entered = p.time
        }

        // what the driver analysed is what the store holds
        let stored = try store.samples(release: slug, after: nil, through: driver.clock)
        for key in [SeriesKey(.decisions, arm: .challenger, segment: "market=BR,surface=app", extra: "allow"),
                    SeriesKey(.errors, arm: .champion, segment: "market=EU,surface=web"),
                    SeriesKey(.latencyBucket, arm: .challenger, segment: "market=MX,surface=app", extra: "+Inf"),
                    SeriesKey(.reviewQueueDepth)] {
            let list = try #require(stored[key])
            #expect(list.count == 180)
            #expect(driver.metrics.series[key] == list, "\(key)")
        }
        // label counters are stamped when the label arrives, so the store only holds those up to the clock
        let labels = SeriesKey(.labels, arm: .champion, segment: "market=BR,surface=app", extra: "tp")
        #expect(driver.metrics.truncated(to: driver.clock).series[labels] == stored[labels])
        #expect(MetricSeriesSet(stored).series == driver.metrics.truncated(to: driver.clock).series)
    }

    @Test func reopeningResumesTheClockAndTheCounters() throws {
        let scenario = try TestSupport.healthyScenario()
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let path = dir.appendingPathComponent("demo.sqlite").path
        let start = scenario.simulation.start
        let key = SeriesKey(.decisions, arm: .champion, segment: "market=BR,surface=app", extra: "allow")
        do {
            let driver = try DemoDriver(scenario: scenario, store: try SQLiteStore(path: path))
            try driver.advance(to: start + 20 * 60)
        }
        let store = try SQLiteStore(path: path)
        let driver = try DemoDriver(scenario: scenario, store: store)
        #expect(driver.clock == start + 20 * 60)
        #expect(try store.auditEvents(release: scenario.release.slug).filter { $0.kind == .start }.count == 1)
        #expect(try driver.advance(to: start + 30 * 60) == 10)
        // the counter keeps climbing across the restart: no reset
        let list = try #require(driver.metrics.series[key])
        #expect(list.count == 30)
        #expect(zip(list.dropFirst(), list).allSatisfy { $0.value >= $1.value })
    }
}
