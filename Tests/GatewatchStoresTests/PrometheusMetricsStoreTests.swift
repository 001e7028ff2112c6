import Foundation
import Testing
import GatewatchCore
@testable import GatewatchHTTP
@testable import GatewatchOpenMetrics
@testable import GatewatchSQLite
@testable import GatewatchPrometheus
@testable import GatewatchScenario
import GatewatchTestSupport

/// `PrometheusMetricsStore` against a real Prometheus 2.42 on 127.0.0.1 (see `PrometheusServer`): backfilled data read
/// back, incremental polls, counter resets, NaN/Inf, error envelopes, refused and silent servers, request counts.
@Suite struct PrometheusMetricsStoreTests {
    /// A scenario simulated into the embedded store, and the same data as OpenMetrics.
    struct ScenarioFixture: Sendable {
        var release: String
        var clock: Timestamp
        var start: Timestamp
        var embedded: [SeriesKey: [Sample]]
        /// Halfway, deliberately not on the step grid.
        var middle: Timestamp { start + 3600 + 30 }
        var embeddedFirstHalf: [SeriesKey: [Sample]]
        var embeddedSecondHalf: [SeriesKey: [Sample]]
    }

    /// The healthy canary scenario run for 2 hours of simulated time. Its samples are one per minute at whole
    /// minutes (the scenario's `step: 1m` from a start at 09:00:00Z), so with a 60 s query step every evaluation time
    /// is exactly a sample time and Prometheus' 5-minute lookback picks that very sample: the values come back
    /// unchanged. Every series is written at every step up to the clock, and the read ends at the clock, so the
    /// lookback never adds points after a series' last sample either.
    static let scenario: Result<ScenarioFixture, any Error> = Result {
        let scenario = try TestSupport.healthyScenario()
        let store = try SQLiteStore()
        let driver = try DemoDriver(scenario: scenario, store: store)
        try driver.advance(to: scenario.simulation.start + 2 * 3600)
        let slug = scenario.release.slug
        let start = scenario.simulation.start
        let middle = start + 3600 + 30
        return ScenarioFixture(release: slug, clock: driver.clock, start: start,
                               embedded: try store.samples(release: slug, after: nil, through: driver.clock),
                               embeddedFirstHalf: try store.samples(release: slug, after: nil, through: middle),
                               embeddedSecondHalf: try store.samples(release: slug, after: middle, through: driver.clock))
    }

    static func options(_ url: URL, timeout: Double = 5, queries: [String: String] = [:]) throws -> PrometheusOptions {
        try PrometheusOptions(url: url, timeout: timeout, step: 60, history: 14 * 86_400, queries: queries)
    }

    /// Keys whose samples differ, with both sides, for a readable failure.
    static func differences(_ a: [SeriesKey: [Sample]], _ b: [SeriesKey: [Sample]]) -> String {
        let keys = Set(a.keys).union(b.keys).sorted()
        let lines = keys.filter { a[$0] != b[$0] }.prefix(5).map { key -> String in
            let left = a[key].map { "\($0.count) samples from \($0.first!.time)" } ?? "nothing"
            let right = b[key].map { "\($0.count) samples from \($0.first!.time)" } ?? "nothing"
            let firstDiff = zip(a[key] ?? [], b[key] ?? []).first { $0 != $1 }.map { " first difference \($0) vs \($1)" } ?? ""
            return "\(key.family.rawValue) \(key.arm?.rawValue ?? "-") \(key.segment ?? "-") \(key.extra ?? "-"): \(left) vs \(right)\(firstDiff)"
        }
        return lines.joined(separator: "\n")
    }

    // MARK: (a), (b), (g): a simulated scenario read back

    @Test(.enabled(if: PrometheusServer.enabled, PrometheusServer.skipReason))
    func readsBackfilledScenarioExactlyAsTheEmbeddedStoreHoldsIt() throws {
        let fixture = try Self.scenario.get()
        // Releases with 1 and 40 segments in the same server, to show that requests do not grow with segments.
        let narrow = Self.wideRelease(segments: 1, from: fixture.start)
        let wide = Self.wideRelease(segments: 40, from: fixture.start)
        let text = OpenMetricsWriter.write(releases: [fixture.release: fixture.embedded, "narrow-release": narrow, "wide-release": wide])
        let server = try PrometheusServer.start(openMetrics: text)
        defer { server.stop() }

        let store = try PrometheusMetricsStore(options: Self.options(server.url))
        let full = try store.samples(release: fixture.release, after: nil, through: fixture.clock)
        #expect(full.count == fixture.embedded.count)
        #expect(full == fixture.embedded, "\(Self.differences(full, fixture.embedded))")
        #expect(fixture.embedded.values.reduce(0) { $0 + $1.count } > 50_000)
        // 14 days at 60 s is 20,161 points per series: two chunks of at most 11,000, for each of the 7 families.
        let poll = try #require(store.lastPoll)
        #expect(poll.requests == 14)
        #expect(poll.first == fixture.clock - 14 * 86_400 && poll.last == fixture.clock)
        #expect(poll.skipped.isEmpty)
        #expect(store.requestCount == 14)

        // (g) 1, 6 or 40 segments: the same 14 requests. (Read up to the last sample of these short series: Prometheus'
        // lookback would repeat it for 5 more minutes.)
        let end = fixture.start + 180
        let narrowRead = try store.samples(release: "narrow-release", after: nil, through: end)
        let narrowPoll = try #require(store.lastPoll)
        let wideRead = try store.samples(release: "wide-release", after: nil, through: end)
        let widePoll = try #require(store.lastPoll)
        #expect(narrowRead == narrow, "\(Self.differences(narrowRead, narrow))")
        #expect(wideRead == wide, "\(Self.differences(wideRead, wide))")
        #expect(Set(wideRead.keys.compactMap(\.segment)).count == 40)
        #expect(narrowPoll.series == 1 * 6 + 1 && widePoll.series == 40 * 6 + 1)
        #expect(narrowPoll.requests == 14 && widePoll.requests == 14)
    }

    @Test(.enabled(if: PrometheusServer.enabled, PrometheusServer.skipReason))
    func incrementalPollsReturnOnlyNewerSamplesAndAddUpToTheFullRead() throws {
        let fixture = try Self.scenario.get()
        let server = try PrometheusServer.start(openMetrics: OpenMetricsWriter.write(release: fixture.release, samples: fixture.embedded))
        defer { server.stop() }
        let store = try PrometheusMetricsStore(options: Self.options(server.url))

        let first = try store.samples(release: fixture.release, after: nil, through: fixture.middle)
        #expect(store.fetchedThrough(release: fixture.release) == fixture.middle - 30)
        let second = try store.samples(release: fixture.release, after: fixture.middle, through: fixture.clock)
        #expect(store.lastPoll?.requests == 7, "one request per family for a range under 11,000 steps")
        #expect(first == fixture.embeddedFirstHalf, "\(Self.differences(first, fixture.embeddedFirstHalf))")
        #expect(second == fixture.embeddedSecondHalf, "\(Self.differences(second, fixture.embeddedSecondHalf))")
        #expect(second.values.allSatisfy { $0.allSatisfy { $0.time > fixture.middle } })
        #expect(first.values.allSatisfy { $0.allSatisfy { $0.time <= fixture.middle } })
        var union = first
        for (key, list) in second { union[key, default: []] += list }
        #expect(union == fixture.embedded, "\(Self.differences(union, fixture.embedded))")

        // Nothing new: no grid time in the range, no query — only one cheap probe, so a dead server still shows.
        let before = store.requestCount
        #expect(try store.samples(release: fixture.release, after: fixture.clock, through: fixture.clock + 59).isEmpty)
        #expect(store.requestCount == before + 1)

        // `through: .max` is clamped to the current time (here a clock set to the end of the data).
        let clamped = try PrometheusMetricsStore(options: Self.options(server.url), now: { fixture.clock + 59 })
        let all = try clamped.samples(release: fixture.release, after: nil, through: .max)
        #expect(all == fixture.embedded, "\(Self.differences(all, fixture.embedded))")
        #expect(clamped.lastPoll?.last == fixture.clock)
    }

    /// Decisions of `segments` segments for both arms, three samples a minute apart.
    static func wideRelease(segments: Int, from start: Timestamp) -> [SeriesKey: [Sample]] {
        var out: [SeriesKey: [Sample]] = [:]
        for s in 0..<segments {
            for arm in Arm.allCases {
                for action in DecisionAction.allCases {
                    out[SeriesKey(.decisions, arm: arm, segment: "shop=\(s)", extra: action.rawValue)] =
                        (1...3).map { Sample(time: start + 60 * Timestamp($0), value: Double(s * $0)) }
                }
            }
        }
        out[SeriesKey(.reviewQueueDepth)] = (1...3).map { Sample(time: start + 60 * Timestamp($0), value: 4) }
        return out
    }

    // MARK: (f) counter resets, merged series, NaN and Inf

    /// Whole minutes, far enough in the past for any clock.
    static let t0: Timestamp = 1_764_000_000
    static func t(_ i: Int) -> Timestamp { t0 + 60 * Timestamp(i) }

    /// A file crafted for the corner cases; every series has a sample at each of T0…T11 unless noted.
    static var craftedFile: String {
        func series(_ name: String, _ labels: String, _ values: [String]) -> String {
            values.enumerated().map { "\(name){release=\"crafted\",\(labels)} \($1) \(t($0))\n" }.joined()
        }
        let twelve = (1...12).map { String($0) }
        return "# TYPE gatewatch_decisions counter\n"
            // A reset after 30.
            + series("gatewatch_decisions_total", "arm=\"champion\",segment=\"s1\",action=\"allow\"",
                     ["10", "20", "30", "5", "15", "25", "35", "45", "55", "65", "75", "85"])
            // Not a contract arm: skipped.
            + series("gatewatch_decisions_total", "arm=\"canary\",segment=\"s1\",action=\"allow\"", twelve)
            + "# TYPE gatewatch_errors counter\n"
            // Two instances of one contract series; b resets after 11 and disappears after T3.
            + series("gatewatch_errors_total", "arm=\"champion\",segment=\"s1\",instance=\"a\"", twelve)
            + series("gatewatch_errors_total", "arm=\"champion\",segment=\"s1\",instance=\"b\"", ["10", "11", "1", "2"])
            + "# TYPE gatewatch_labels counter\n"
            // +Inf and NaN are not counts.
            + series("gatewatch_labels_total", "arm=\"challenger\",segment=\"s1\",outcome=\"tp\"",
                     ["1", "2", "+Inf", "3", "NaN", "4", "5", "6", "7", "8", "9", "10"])
            + "# TYPE gatewatch_review_queue_depth gauge\n"
            + series("gatewatch_review_queue_depth", "instance=\"a\"", ["5", "NaN", "+Inf", "-Inf", "7", "8", "9", "10", "11", "12", "13", "14"])
            + "# TYPE gatewatch_review_capacity_per_hour gauge\n"
            + series("gatewatch_review_capacity_per_hour", "instance=\"a\"", Array(repeating: "900", count: 12))
            + series("gatewatch_review_capacity_per_hour", "instance=\"b\"", Array(repeating: "950", count: 12))
            // Buckets without metadata, so the bounds can be spelled as a client might; written largest first.
            + series("gatewatch_score_bucket", "arm=\"champion\",segment=\"s1\",le=\"Inf\"", Array(repeating: "6", count: 12))
            + series("gatewatch_score_bucket", "arm=\"champion\",segment=\"s1\",le=\"1\"", Array(repeating: "5", count: 12))
            + series("gatewatch_score_bucket", "arm=\"champion\",segment=\"s1\",le=\"0.5\"", Array(repeating: "3", count: 12))
            + series("gatewatch_score_bucket", "arm=\"champion\",segment=\"s1\",le=\"wide\"", Array(repeating: "6", count: 12))
            + "# EOF\n"
    }

    static func samples(_ pairs: [(Int, Double)]) -> [Sample] { pairs.map { Sample(time: t($0.0), value: $0.1) } }

    static let allowKey = SeriesKey(.decisions, arm: .champion, segment: "s1", extra: "allow")
    static let errorKey = SeriesKey(.errors, arm: .champion, segment: "s1")

    /// The defect: with templates that aggregate (`sum by`, as the README's example), Prometheus drops `__name__`, the
    /// latency and the score buckets came back with the same label sets (`le="+Inf"`), and one family's counter state
    /// was taken for the other's: score counts jumped by the latency counts (an offset for a "reset"), and PSI, KS,
    /// JS, the mean score and calibration were wrong with no warning. Aggregating templates must read what the
    /// standard ones read.
    @Test(.enabled(if: PrometheusServer.enabled, PrometheusServer.skipReason))
    func aggregatingTemplatesNeverMixOneFamilysSeriesWithAnothers() throws {
        let fixture = try Self.scenario.get()
        let server = try PrometheusServer.start(openMetrics: OpenMetricsWriter.write(releases: [fixture.release: fixture.embedded]))
        defer { server.stop() }
        var queries: [String: String] = [:]
        for family in [MetricFamily.latencyBucket, .scoreBucket] {
            queries[family.rawValue] = "sum by (arm, segment, le) (\(family.rawValue){release=\"{{release}}\"})"
        }
        let store = try PrometheusMetricsStore(options: Self.options(server.url, queries: queries))
        let read = try store.samples(release: fixture.release, after: nil, through: fixture.clock)
        #expect(read == fixture.embedded, "\(Self.differences(read, fixture.embedded))")
        // And across polls (a member's state carried to the next poll stays its own family's).
        let split = try PrometheusMetricsStore(options: Self.options(server.url, queries: queries))
        let early = try split.samples(release: fixture.release, after: nil, through: fixture.middle)
        let late = try split.samples(release: fixture.release, after: fixture.middle, through: fixture.clock)
        #expect(early == fixture.embeddedFirstHalf, "\(Self.differences(early, fixture.embeddedFirstHalf))")
        #expect(late == fixture.embeddedSecondHalf, "\(Self.differences(late, fixture.embeddedSecondHalf))")
    }

    /// The label mapping: the scenario's series renamed as another exporter writes them (`ExporterRenaming`: other
    /// metric names, `model_release="prod/<slug>"`, `variant=stable|canary`, the segment in `country` and `surface`,
    /// the action in `decision`) and split over two pods read back exactly as the embedded store holds them, in one
    /// poll and in two. The built queries name the exporter's metrics and release value.
    @Test(.enabled(if: PrometheusServer.enabled, PrometheusServer.skipReason))
    func aLabelMappingReadsAnotherExportersSeriesAsTheContracts() throws {
        let fixture = try Self.scenario.get()
        let renamed = ExporterRenaming.rename(OpenMetricsWriter.write(releases: [fixture.release: fixture.embedded]), pods: true)
        #expect(!renamed.contains("gatewatch_") && !renamed.contains("arm=") && renamed.contains("pod=\"b\""))
        let server = try PrometheusServer.start(openMetrics: renamed)
        defer { server.stop() }
        let options = try PrometheusOptionsTests.decode("url: \(server.url.absoluteString)\nstep: 60s\n" + ExporterRenaming.mappingYAML)
        #expect(options.query(.scoreBucket).render(release: fixture.release, step: 60) == "my_risk_score_bucket{model_release=\"prod/\(fixture.release)\"}")
        let store = try PrometheusMetricsStore(options: options)
        let read = try store.samples(release: fixture.release, after: nil, through: fixture.clock)
        #expect(read == fixture.embedded, "\(Self.differences(read, fixture.embedded))")
        #expect(store.lastPoll?.skipped == [])
        #expect(store.lastPoll?.series == 2 * Set(fixture.embedded.keys).count, "two pods per contract series")
        let split = try PrometheusMetricsStore(options: options)
        let early = try split.samples(release: fixture.release, after: nil, through: fixture.middle)
        let late = try split.samples(release: fixture.release, after: fixture.middle, through: fixture.clock)
        #expect(early == fixture.embeddedFirstHalf, "\(Self.differences(early, fixture.embeddedFirstHalf))")
        #expect(late == fixture.embeddedSecondHalf, "\(Self.differences(late, fixture.embeddedSecondHalf))")

        // The contract's names find nothing of this exporter: no data, never a silent misreading.
        let unmapped = try PrometheusMetricsStore(options: Self.options(server.url))
        #expect(try unmapped.samples(release: fixture.release, after: nil, through: fixture.clock).isEmpty)
        // A mapping that misses a segment label fails the poll, naming the label and the series.
        let wrong = try PrometheusOptionsTests.decode("url: \(server.url.absoluteString)\n"
            + ExporterRenaming.mappingYAML.replacingOccurrences(of: "[{ market: country }, surface]", with: "[market, surface]"))
        let error = try #require(throws: PrometheusError.self) {
            try PrometheusMetricsStore(options: wrong).samples(release: fixture.release, after: nil, through: fixture.clock)
        }
        #expect(error.description.contains("the query for my_decisions_total returned a series without the label market"), "\(error)")
    }

    @Test(.enabled(if: PrometheusServer.enabled, PrometheusServer.skipReason))
    func countersStayMonotonicAcrossResetsAndPollsAndSpecialValuesAreHandled() throws {
        let server = try PrometheusServer.start(openMetrics: Self.craftedFile)
        defer { server.stop() }
        let store = try PrometheusMetricsStore(options: Self.options(server.url))
        let read = try store.samples(release: "crafted", after: nil, through: Self.t(11))

        // The reset after 30 is carried as an offset: 35 = 30 + 5.
        let allow = [10.0, 20, 30, 35, 45, 55, 65, 75, 85, 95, 105, 115]
        #expect(read[Self.allowKey] == Self.samples(allow.enumerated().map { ($0, $1) }))
        // The analysis counts the same increase as on the raw series with its reset.
        let raw = MetricSeriesSet([Self.allowKey: Self.samples([10.0, 20, 30, 5, 15, 25, 35, 45, 55, 65, 75, 85].enumerated().map { ($0, $1) })])
        #expect(MetricSeriesSet(read).increase(Self.allowKey, from: Self.t(0), to: Self.t(11)) == 105)
        #expect(raw.increase(Self.allowKey, from: Self.t(0), to: Self.t(11)) == 105)

        // Two instances summed after each is made monotonic; b keeps counting its last value (13) once it is gone.
        let errors = (0..<12).map { i in Double(i + 1) + [10.0, 11, 12, 13][min(i, 3)] }
        #expect(read[Self.errorKey] == Self.samples(errors.enumerated().map { ($0, $1) }))

        // +Inf and NaN dropped from a counter.
        #expect(read[SeriesKey(.labels, arm: .challenger, segment: "s1", extra: "tp")]
            == Self.samples([(0, 1), (1, 2), (3, 3), (5, 4), (6, 5), (7, 6), (8, 7), (9, 8), (10, 9), (11, 10)]))
        // A gauge keeps ±Inf and drops NaN; two series of one gauge give their maximum.
        #expect(read[SeriesKey(.reviewQueueDepth)]
            == Self.samples([(0, 5), (2, .infinity), (3, -.infinity)] + (4...11).map { ($0, Double($0 + 3)) }))
        #expect(read[SeriesKey(.reviewCapacityPerHour)] == Self.samples((0...11).map { ($0, 950) }))
        // Buckets: bounds as the importer writes them; a bound that is not a number is skipped.
        let buckets = read.keys.filter { $0.family == .scoreBucket }.compactMap(\.extra).sorted()
        #expect(buckets == ["+Inf", "0.5", "1"])
        #expect(read[SeriesKey(.scoreBucket, arm: .champion, segment: "s1", extra: "+Inf")]?.count == 12)
        let skipped = try #require(store.lastPoll?.skipped)
        #expect(skipped.count == 2)
        #expect(skipped.contains { $0.contains("arm=\"canary\"") && $0.contains("arm \"canary\" is neither champion nor challenger") })
        #expect(skipped.contains { $0.contains("le=\"wide\"") })
        #expect(read.count == 8)

        // The same data in two polls split just after the reset: the offset is carried to the second poll.
        let split = try PrometheusMetricsStore(options: Self.options(server.url))
        let early = try split.samples(release: "crafted", after: nil, through: Self.t(3))
        let late = try split.samples(release: "crafted", after: Self.t(3), through: Self.t(11))
        #expect(early[Self.allowKey] == Self.samples([(0, 10), (1, 20), (2, 30), (3, 35)]))
        #expect(late[Self.allowKey] == Self.samples(allow.enumerated().dropFirst(4).map { ($0, $1) }))
        #expect(early[Self.errorKey].map { $0 + (late[Self.errorKey] ?? []) } == read[Self.errorKey])
        // Starting again (after == nil) starts the offsets again and gives the full read once more.
        #expect(try split.samples(release: "crafted", after: nil, through: Self.t(11)) == read)
    }

    /// A point dated after the range asked for (here: a year after each series' last, added by a proxy) is never
    /// read as data: it is dropped and reported, so it can neither pose as the newest sample nor move any time.
    @Test(.enabled(if: PrometheusServer.enabled, PrometheusServer.skipReason))
    func pointsDatedAfterTheRangeAreDroppedAndReported() throws {
        let server = try PrometheusServer.start(openMetrics: Self.craftedFile)
        defer { server.stop() }
        let proxy = try FaultProxy(upstream: server.url)
        defer { proxy.stop() }
        let honest = try PrometheusMetricsStore(options: Self.options(server.url)).samples(release: "crafted", after: nil, through: Self.t(11))
        proxy.fault = .futureDatedPoints
        let store = try PrometheusMetricsStore(options: Self.options(proxy.url))
        let read = try store.samples(release: "crafted", after: nil, through: Self.t(11))
        #expect(proxy.count(.futureDatedPoints) > 0, "the fault was not applied")
        #expect(read == honest, "a future-dated point was read as data")
        let refused = try #require(try store.futureSamples(release: "crafted", after: Self.t(11)))
        #expect(refused.count >= read.count)
        #expect(refused.first > Self.t(11) + 300 * 86_400)
    }

    // MARK: (c) and other server errors

    @Test(.enabled(if: PrometheusServer.enabled, PrometheusServer.skipReason))
    func serverErrorsAreReportedWithTheirTypeAndMessage() throws {
        let server = try PrometheusServer.start(openMetrics: Self.craftedFile)
        defer { server.stop() }

        // A template that is not PromQL: 400 bad_data, quoted with the query.
        let bad = try PrometheusMetricsStore(options: Self.options(server.url, queries: [
            "gatewatch_errors_total": "gatewatch_errors_total{release=\"{{release}}\"",
        ]))
        let e1 = try #require(throws: PrometheusError.self) { try bad.samples(release: "crafted", after: nil, through: Self.t(11)) }
        guard case .server(let status, let type, _, _) = e1 else { Issue.record("got \(e1)"); return }
        #expect(status == 400 && type == "bad_data")
        #expect(e1.description.contains("bad_data") && e1.description.contains("parse error"), "\(e1)")
        #expect(e1.description.contains("gatewatch_errors_total{release=\"crafted\""), "\(e1)")

        // Valid PromQL that fails while running: 422 execution (two series with one label set).
        let failing = try PrometheusMetricsStore(options: Self.options(server.url, queries: [
            "gatewatch_errors_total": "label_replace(gatewatch_errors_total{release=\"{{release}}\"}, \"instance\", \"x\", \"\", \"\")",
        ]))
        let e2 = try #require(throws: PrometheusError.self) { try failing.samples(release: "crafted", after: nil, through: Self.t(11)) }
        #expect(e2.description.contains("HTTP 422, execution"), "\(e2)")
        #expect(e2.description.contains("same labelset"), "\(e2)")

        // A custom query replaces the default; one that aggregates contract labels away says which are missing.
        let doubled = try PrometheusMetricsStore(options: Self.options(server.url, queries: [
            "gatewatch_decisions_total": "2 * gatewatch_decisions_total{release=\"{{release}}\", arm=\"champion\"}",
        ]))
        let read = try doubled.samples(release: "crafted", after: nil, through: Self.t(2))
        #expect(read[Self.allowKey] == Self.samples([(0, 20), (1, 40), (2, 60)]))
        let summed = try PrometheusMetricsStore(options: Self.options(server.url, queries: [
            "gatewatch_decisions_total": "sum by (arm, action) (gatewatch_decisions_total{release=\"{{release}}\"})",
        ]))
        let e3 = try #require(throws: PrometheusError.self) { try summed.samples(release: "crafted", after: nil, through: Self.t(11)) }
        guard case .missingLabels(_, let labels, _, _) = e3 else { Issue.record("got \(e3)"); return }
        #expect(labels == ["segment"])
        #expect(e3.description.contains("without the label segment"), "\(e3)")

        // A query with characters a form body must escape (`;`, `&`, `+`, `%`) reaches the server intact.
        let escaped = try PrometheusMetricsStore(options: Self.options(server.url, queries: [
            "gatewatch_review_queue_depth": "gatewatch_review_queue_depth{release=\"{{release}}\", instance!=\";&+% \"} + 0",
        ]))
        let queue = try escaped.samples(release: "crafted", after: nil, through: Self.t(4))
        #expect(queue[SeriesKey(.reviewQueueDepth)] == Self.samples([(0, 5), (2, .infinity), (3, -.infinity), (4, 7)]))

        // Not the API at all: Prometheus' plain-text 404 for an unknown path.
        let wrongPath = try PrometheusMetricsStore(options: Self.options(server.url.appendingPathComponent("not-prometheus")))
        let e4 = try #require(throws: PrometheusError.self) { try wrongPath.samples(release: "crafted", after: nil, through: Self.t(11)) }
        #expect(e4.description.contains("HTTP 404") && e4.description.contains("page not found"), "\(e4)")
        #expect(wrongPath.requestCount == 1, "the first failure ends the poll")
    }

    // MARK: (d), (e) transport failures

    @Test(.enabled(if: PrometheusServer.enabled, PrometheusServer.skipReason))
    func aStoppedServerIsConnectionRefusedWithinTheTimeout() throws {
        let server = try PrometheusServer.start(openMetrics: nil)
        let store = try PrometheusMetricsStore(options: Self.options(server.url, timeout: 2))
        #expect(try store.samples(release: "any", after: nil, through: Self.t(11)).isEmpty)
        server.stop()
        let started = Date()
        let error = try #require(throws: PrometheusError.self) { try store.samples(release: "any", after: nil, through: Self.t(11)) }
        let elapsed = Date().timeIntervalSince(started)
        #expect(error.description.contains("connection refused"), "\(error)")
        #expect(error.description.contains("127.0.0.1:\(server.port)"), "\(error)")
        #expect(elapsed < 3, "took \(elapsed) s")
        #expect(store.fetchedThrough(release: "any") != nil, "the successful poll is remembered, the failed one is not")
        // A poll with nothing new due also notices the server is gone (the probe).
        let idle = try #require(throws: PrometheusError.self) { try store.samples(release: "any", after: Self.t(11), through: Self.t(11)) }
        #expect(idle.description.contains("connection refused"), "\(idle)")
    }

    @Test func aServerThatNeverAnswersTimesOut() throws {
        let listener = try SilentListener()
        defer { listener.close() }
        let store = try PrometheusMetricsStore(options: Self.options(URL(string: "http://127.0.0.1:\(listener.port)")!, timeout: 1))
        let started = Date()
        let error = try #require(throws: PrometheusError.self) { try store.samples(release: "any", after: nil, through: Self.t(11)) }
        let elapsed = Date().timeIntervalSince(started)
        #expect(error.description.contains("did not answer within 1s"), "\(error)")
        #expect(elapsed >= 0.9 && elapsed < 2.5, "took \(elapsed) s")
        #expect(store.requestCount == 1, "one timeout per poll, not one per family")
        #expect(store.fetchedThrough(release: "any") == nil)
    }
}

/// Options: keys, durations, credentials by environment variable, templates.
@Suite struct PrometheusOptionsTests {
    static func decode(_ yaml: String) throws -> PrometheusOptions {
        try YAMLFile.decode(PrometheusOptions.self, yaml: yaml, file: "config.yaml")
    }

    static func message(_ yaml: String) -> String {
        do {
            _ = try decode(yaml)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func decodesEveryKey() throws {
        let o = try Self.decode("""
            kind: prometheus
            url: https://prom.example.com/prefix
            basic_auth: { username_env: PROM_USER, password_env: PROM_PASSWORD }
            tls: { verify: false, ca_file: /etc/ca.pem, client_cert: /etc/gw/client.pem, client_key: /etc/gw/client.key }
            headers: { X-Scope-OrgID: team-risk }
            timeout: 3s
            step: 30s
            history: 2d
            queries:
              gatewatch_score_bucket: 'sum without (pod) (gatewatch_score_bucket{release="{{ release }}"})'
            """)
        #expect(o.url.absoluteString == "https://prom.example.com/prefix")
        #expect(o.basicAuth == .init(usernameEnv: "PROM_USER", passwordEnv: "PROM_PASSWORD"))
        #expect(o.tls == TLSOptions(verify: false, caFile: "/etc/ca.pem", clientCert: "/etc/gw/client.pem", clientKey: "/etc/gw/client.key"))
        #expect(try o.headerFields(environment: [:]) == [HTTPHeaderField(name: "X-Scope-OrgID", value: "team-risk")])
        #expect(o.timeout == 3 && o.step == 30 && o.history == 2 * 86_400)
        #expect(o.query(.scoreBucket).render(release: "a\"b", step: 30) == "sum without (pod) (gatewatch_score_bucket{release=\"a\\\"b\"})")
        #expect(o.query(.decisions).render(release: "v8", step: 30) == "gatewatch_decisions_total{release=\"v8\"}")
        #expect(try o.credentials(environment: ["PROM_USER": "ada", "PROM_PASSWORD": "pw"]) == .basic(user: "ada", password: "pw"))

        let defaults = try Self.decode("url: http://127.0.0.1:9090")
        #expect(defaults.timeout == 10 && defaults.step == 60 && defaults.history == 14 * 86_400 && defaults.tls.verify)
        #expect(try defaults.credentials(environment: [:]) == .none)
    }

    @Test func credentialsComeOnlyFromNamedVariables() throws {
        let o = try Self.decode("url: http://127.0.0.1:9090\nbearer_token_env: GATEWATCH_PROM_TOKEN")
        #expect(try o.credentials(environment: ["GATEWATCH_PROM_TOKEN": "t0k"]) == .bearer(token: "t0k"))
        let missing = try #require(throws: PrometheusError.self) { try o.credentials(environment: [:]) }
        #expect(missing.description.contains("environment variable GATEWATCH_PROM_TOKEN is not set"), "\(missing)")
        // The store reports it when it is made.
        #expect(throws: PrometheusError.missingEnvironmentVariable(name: "GATEWATCH_PROM_TOKEN", purpose: "bearer token for http://127.0.0.1:9090")) {
            try PrometheusMetricsStore(options: o, environment: [:])
        }
        #expect(Self.message("url: http://x\nbearer_token: abc").contains("secrets are read from environment variables"))
        #expect(Self.message("url: http://x\nbearer_token_env: 'eyJhbGciOiJIUzI1NiJ9.e30.abc'").contains("must name an environment variable"))
        #expect(Self.message("url: http://x\nbearer_token_env: A\nbasic_auth: {username_env: U, password_env: P}").contains("not both"))
    }

    @Test func badValuesAreClearErrors() throws {
        #expect(Self.message("url: http://x\nqueries: {gatewatch_score: 'x{release=\"{{release}}\"}'}")
            .contains("unknown metric `gatewatch_score` (did you mean `gatewatch_score_bucket`?)"))
        #expect(Self.message("url: http://x\nqueries: {gatewatch_errors_total: 'x{release=\"{{release}}\",arm=\"{{arm}}\"}'}")
            .contains("unknown placeholder {{arm}} (known: {{release}}, {{step}})"))
        #expect(Self.message("url: http://x\nqueries: {gatewatch_errors_total: 'gatewatch_errors_total'}").contains("does not use {{release}}"))
        #expect(Self.message("url: http://x\nqueries: {gatewatch_errors_total: 'x{release=\"{{release\"}'}").contains("not closed"))
        // Decoding errors carry the key's path, so the config loader points at its line.
        #expect(Self.message("url: http://x\nstep: fast").hasPrefix("config.yaml:2:7: step: 'fast' is not a duration"))
        #expect(Self.message("url: http://x\nstep: 0s").contains("step: must be at least 1s"))
        #expect(Self.message("url: http://x\nstep: 1s\nhistory: 14d").contains("history: 14d at a 1s step is 1209600 points per series"))
        #expect(Self.message("url: ftp://x").contains("http:// or https://"))
        #expect(Self.message("kind: sqlite\nurl: http://x").contains("kind: `sqlite`, but these are the options of kind `prometheus`"))
        #expect(Self.message("url: http://x\ntimeout_seconds: 3").hasPrefix("config.yaml:2:18: timeout_seconds: unknown key (known: kind, url,"))
        #expect(Self.message("step: 1m").contains("url is required"))
        #expect(Self.message("url: http://x\ntls: {verify: no, cafile: x}").contains("tls.cafile: unknown key"))
        #expect(Self.message("url: http://x\ntls: {client_cert: /x.pem}").contains("tls.client_cert: needs client_key"))
        #expect(Self.message("url: http://x\nheaders: {Authorization: 'Bearer abc'}").contains("headers.Authorization: is set from the section's credential keys"))
        #expect(!Self.message("url: http://x\nheaders: {Authorization: 'Bearer abc'}").contains("Bearer abc"))
        // A client key others may read is refused when the store is made, naming the key.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gw-prom-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = dir.appendingPathComponent("client.key").path
        try "-----BEGIN PRIVATE KEY-----\n".write(toFile: key, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: key)
        let open = try Self.decode("url: https://x\ntls: {client_cert: /etc/hostname, client_key: \(key)}")
        let refused = try #require(throws: PrometheusError.self) { try PrometheusMetricsStore(options: open, environment: [:]) }
        #expect(refused.description.contains("tls.client_key: \(key) holds the private key of the TLS client certificate but other users may access it"),
                "\(refused)")
        // The memberwise initialiser throws PrometheusError with the key.
        let e = try #require(throws: PrometheusError.self) { try PrometheusOptions(url: URL(string: "http://x")!, step: 0) }
        #expect(e.description == "metrics (prometheus): step: must be at least 1s")
    }

    @Test func aLabelMappingIsDecodedAndBuildsTheQueries() throws {
        let o = try Self.decode("""
            url: http://x
            mapping:
              release: { label: model_release, value: "fraud/{{ release }}@prod" }
              arm: { label: variant, champion: [stable, baseline], challenger: canary }
              segment: [{ market: country }, surface]
              action: decision
              outcome: verdict
              names: { gatewatch_decisions_total: 'svc:decisions_total', gatewatch_score_bucket: risk_bucket }
            queries:
              gatewatch_review_queue_depth: 'max(queue_depth{team="risk", model_release="fraud/{{release}}@prod"})'
            """)
        let m = o.mapping
        #expect(m.releaseLabel == "model_release" && m.releaseValue("v8") == "fraud/v8@prod")
        #expect(m.armLabel == "variant" && m.championValues == ["stable", "baseline"] && m.challengerValues == ["canary"])
        #expect(m.segment == .labels([.init(name: "market", label: "country"), .init(name: "surface", label: "surface")]))
        #expect(o.query(.decisions).render(release: "a\"b", step: 60) == "svc:decisions_total{model_release=\"fraud/a\\\"b@prod\"}")
        #expect(o.query(.errors).render(release: "v8", step: 60) == "gatewatch_errors_total{model_release=\"fraud/v8@prod\"}")
        #expect(o.query(.reviewQueueDepth).text.hasPrefix("max(queue_depth"))
        let read = { (labels: [String: String], family: MetricFamily) in m.read(labels, family: family, release: "v8") }
        let base = ["model_release": "fraud/v8@prod", "country": "EU", "surface": "web", "pod": "p-1"]
        #expect(read(base.merging(["variant": "baseline", "decision": "block"]) { $1 }, .decisions)
            == .key(SeriesKey(.decisions, arm: .champion, segment: "market=EU,surface=web", extra: "block")))
        #expect(read(base.merging(["variant": "canary", "verdict": "fp"]) { $1 }, .labels)
            == .key(SeriesKey(.labels, arm: .challenger, segment: "market=EU,surface=web", extra: "fp")))
        #expect(read(base.merging(["variant": "shadow", "decision": "block"]) { $1 }, .decisions)
            == .skip("variant \"shadow\" is neither champion nor challenger (\"stable\", \"baseline\", \"canary\")"))
        #expect(read(base.merging(["model_release": "fraud/v9@prod", "variant": "canary"]) { $1 }, .errors)
            == .skip("model_release \"fraud/v9@prod\" is not \"fraud/v8@prod\""))
        #expect(read(["model_release": "fraud/v8@prod", "variant": "canary", "country": "EU"], .errors) == .missing(["surface"]))
        #expect(read(["model_release": "fraud/v8@prod"], .reviewQueueDepth) == .key(SeriesKey(.reviewQueueDepth)))
        // One label holding the flattened segment.
        let flat = try Self.decode("url: http://x\nmapping: { segment: seg, arm: variant }").mapping
        #expect(flat.read(["release": "v8", "variant": "challenger", "seg": "market=BR"], family: .errors, release: "v8")
            == .key(SeriesKey(.errors, arm: .challenger, segment: "market=BR")))
        // Without a mapping: the contract's names and the queries as before.
        #expect(try Self.decode("url: http://x").mapping == .contract)
        #expect(try Self.decode("url: http://x").query(.labels).render(release: "v8", step: 60) == "gatewatch_labels_total{release=\"v8\"}")
    }

    @Test func aBadLabelMappingIsAClearError() {
        let cases: [(String, String)] = [
            ("mapping: { releases: x }", "config.yaml:2:22: mapping.releases: unknown key (known: release, arm, segment, action, outcome, names)"),
            ("mapping: { release: { label: r, value: 'v-{{release}}-{{release}}' } }", "mapping.release.value: `v-{{release}}-{{release}}` must hold {{release}} exactly once"),
            ("mapping: { release: { label: r, value: fixed } }", "must hold {{release}} exactly once"),
            ("mapping: { release: 'model-release' }", "mapping.release: `model-release` is not a label name"),
            ("mapping: { release: __name__ }", "is not a label name (letters, digits and _, not starting with a digit or __)"),
            ("mapping: { arm: { label: variant, champion: canary, challenger: canary } }", "mapping.arm: \"canary\" is both a champion and a challenger value"),
            ("mapping: { arm: { label: variant, champion: [] } }", "mapping.arm.champion: needs a label value that is not empty"),
            ("mapping: { arm: { label: v, stable: x } }", "mapping.arm.stable: unknown key (arm has label, champion and challenger"),
            ("mapping: { arm: [a, b] }", "mapping.arm: must be a label name or { label, champion, challenger }, not a list"),
            ("mapping: { segment: [] }", "mapping.segment: lists no label"),
            ("mapping: { segment: [market, market] }", "mapping.segment.1: `market` (label market) is listed twice"),
            ("mapping: { segment: [{ 'mar=ket': country }] }", "cannot name a part of a segment"),
            ("mapping: { segment: [market, variant], arm: variant }", "mapping.segment: the label `variant` is already read as arm"),
            ("mapping: { segment: [le] }", "mapping.segment: the label `le` is already read as the histograms' bucket bound"),
            ("mapping: { action: release }", "mapping.action: the label `release` is already read as release"),
            ("mapping: { names: { gatewatch_decisions: x_total } }", "mapping.names.gatewatch_decisions: unknown metric `gatewatch_decisions`; metrics: gatewatch_decisions_total"),
            ("mapping: { names: { gatewatch_score_bucket: risk_score } }", "mapping.names.gatewatch_score_bucket: `risk_score` must name the histogram's bucket series (`risk_score_bucket`)"),
            ("mapping: { names: { gatewatch_errors_total: '1bad' } }", "`1bad` is not a metric name"),
            ("mapping: { names: { gatewatch_errors_total: x_total, gatewatch_labels_total: x_total } }", "mapping.names: `x_total` is the name of gatewatch_errors_total and gatewatch_labels_total"),
            ("mapping: [release]", "mapping: must be a map of release, arm, segment, action, outcome, names"),
        ]
        for (yaml, expected) in cases {
            let message = Self.message("url: http://x\n" + yaml)
            #expect(message.contains(expected), "\(yaml): \(message)")
        }
    }

    @Test func rangesAreAlignedAndSplitAtElevenThousandPoints() throws {
        let o = try PrometheusOptions(url: URL(string: "http://127.0.0.1:1")!, step: 60, history: 14 * 86_400)
        let store = try PrometheusMetricsStore(options: o, now: { 1_000_000_030 })
        let grid = try #require(store.grid(after: nil, through: .max))
        #expect(grid.last == 1_000_000_020 && grid.first == 1_000_000_080 - 14 * 86_400)
        #expect(store.grid(after: 1_000_000_000, through: 1_000_000_019) == nil)
        #expect(store.grid(after: 999_999_960, through: 1_000_000_020)! == (1_000_000_020, 1_000_000_020))
        #expect(store.grid(after: .min, through: .min) == nil)
        let chunks = PrometheusMetricsStore.chunks(grid.first, grid.last, step: 60)
        #expect(chunks.count == 2)
        #expect(chunks.allSatisfy { ($0.end - $0.start) / 60 + 1 <= 11_000 })
        #expect(chunks[0].start == grid.first && chunks[1].end == grid.last && chunks[1].start == chunks[0].end + 60)
    }
}

/// Decoding answers, good and bad, without a server.
@Suite struct PrometheusResponseTests {
    static func response(_ status: Int, _ body: String, _ type: String = "application/json") -> HTTPResponse {
        HTTPResponse(status: status, body: Data(body.utf8), contentType: type)
    }

    static func failure(_ status: Int, _ body: String, _ type: String = "application/json") -> String {
        do {
            _ = try PrometheusResponse.decode(response(status, body, type), query: "q")
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func decodesAMatrixWithSpecialValues() throws {
        let r = try PrometheusResponse.decode(Self.response(200, """
            {"status":"success","data":{"resultType":"matrix","result":[
              {"metric":{"__name__":"m","le":"+Inf"},"values":[[1762074000,"1"],[1762074060.0,"NaN"],[1762074120,"+Inf"],[1762074180,"-Inf"],[1762074240,"1e+06"]]}
            ]},"warnings":["w"]}
            """), query: "q")
        #expect(r.series.count == 1 && r.warnings == ["w"])
        let values = r.series[0].points.map(\.value)
        #expect(values[0] == 1 && values[1].isNaN && values[2] == .infinity && values[3] == -.infinity && values[4] == 1e6)
        #expect(r.series[0].points.map(\.time) == [1_762_074_000, 1_762_074_060, 1_762_074_120, 1_762_074_180, 1_762_074_240])
    }

    @Test func badAnswersAreErrorsNotCrashes() {
        #expect(Self.failure(400, #"{"status":"error","errorType":"bad_data","error":"parse error"}"#)
            .contains("HTTP 400, bad_data): parse error"))
        #expect(Self.failure(502, "<html><head><title>502 Bad Gateway</title></head></html>", "text/html")
            .contains("HTTP 502 with an HTML page (\"502 Bad Gateway\")"))
        #expect(Self.failure(401, "Unauthorized\n", "text/plain").contains("HTTP 401 with text instead of Prometheus JSON: \"Unauthorized\""))
        #expect(Self.failure(200, "").contains("an empty body"))
        #expect(Self.failure(200, #"{"status":"success","data":{"resultType":"vector","result":[]}}"#).contains("resultType is \"vector\""))
        #expect(Self.failure(200, #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1e300,"1"]]}]}}"#)
            .contains("is not a time"))
        #expect(Self.failure(200, #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"0x1p3"]]}]}}"#)
            .contains("is not a number"))
        #expect(Self.failure(200, #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1]]}]}}"#)
            .contains("cannot be read"))
        #expect(Self.failure(200, #"{"data":1}"#).contains("cannot be read"))
    }
}
