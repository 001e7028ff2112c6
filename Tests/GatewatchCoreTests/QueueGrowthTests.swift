import Foundation
import Testing
@testable import GatewatchCore

/// The review queue's growth is a least-squares fit over the last hour (Tests/Reference/queue_growth.py,
/// `scipy.stats.linregress`), and there is none before the samples span that hour.
@Suite struct QueueGrowthTests {
    struct Reference: Decodable {
        struct Case: Decodable { var name: String; var times: [Int64]; var depths: [Double]; var growth_per_hour: String }
        var end: Int64
        var cases: [Case]
    }

    static func reference() throws -> Reference {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Reference/queue_growth.json")
        return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }

    static func metrics(_ times: [Int64], _ depths: [Double]) -> DerivedMetrics {
        var data = MetricSeriesSet()
        data.append(zip(times, depths).map { Sample(time: $0, value: $1) }, to: SeriesKey(.reviewQueueDepth))
        return DerivedMetrics(data)
    }

    @Test func theGrowthIsScipysLeastSquaresSlope() throws {
        let ref = try Self.reference()
        #expect(ref.cases.count == 4)
        for c in ref.cases {
            let expected = try #require(Double(c.growth_per_hour))
            let growth = try #require(Self.metrics(c.times, c.depths).queueGrowth(at: ref.end).perHour, "\(c.name)")
            #expect(abs(growth - expected) <= 1e-9 * abs(expected), "\(c.name): \(growth) vs scipy \(expected)")
        }
    }

    /// One high sample where the hour opens: two points an hour apart said −400/h ("draining"), the fit says −38/h.
    @Test func oneSampleAtTheWindowsEdgeDoesNotDecideTheTrend() throws {
        let ref = try Self.reference()
        let c = try #require(ref.cases.first { $0.name == "spike where the window opens" })
        let growth = try #require(Self.metrics(c.times, c.depths).queueGrowth(at: ref.end).perHour)
        #expect(growth > -50 && growth < -30, "\(growth)")
    }

    @Test func beforeAnHourOfSamplesThereIsNoGrowthAndNoDraining() throws {
        let times = stride(from: Int64(60), through: 1800, by: 60).map { $0 }
        let m = Self.metrics(times, times.map { 1000 - Double($0) / 10 })
        let g = m.queueGrowth(at: 1800)
        #expect(g.perHour == nil && g.draining == nil)
        #expect(g.spanSeconds == 1740 && g.windowSeconds == 3600)
        // With a limit already passed, the queue overflows now, fit or not.
        #expect(m.hoursToOverflow(at: 1800, limit: 800) == 0)
        #expect(m.hoursToOverflow(at: 1800, limit: 2000) == nil)
        // An hour later the fit exists and the queue is draining.
        let longer = stride(from: Int64(60), through: 5400, by: 60).map { $0 }
        let drained = Self.metrics(longer, longer.map { 1000 - Double($0) / 10 }).queueGrowth(at: 5400)
        #expect(drained.draining == true && abs((drained.perHour ?? 0) + 360) < 1e-6)
    }

    @Test func aForecastSaysWhatTheFitWaitsFor() {
        var q = QueueForecast(depth: 400, growthPerHour: nil, capacityPerHour: 100, limit: 2000, hoursToOverflow: nil)
        q.growthSpanSeconds = 23 * 60
        #expect(q.draining == nil)
        #expect(q.growthWaitText == "1h of depth (23m so far)")
    }
}
