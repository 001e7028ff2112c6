import Foundation
import Testing
import GatewatchCore
@testable import GatewatchOpenMetrics
@testable import GatewatchScenario

/// The hand-written OpenMetrics parser and the writer: round trips, special values, and error positions.
@Suite struct OpenMetricsParserTests {
    static let parser = OpenMetricsParser()

    /// Equality that treats NaN as equal to NaN.
    static func same(_ a: [SeriesKey: [Sample]], _ b: [SeriesKey: [Sample]]) -> Bool {
        guard Set(a.keys) == Set(b.keys) else { return false }
        for (key, list) in a {
            let other = b[key]!
            guard list.count == other.count else { return false }
            for (x, y) in zip(list, other) {
                guard x.time == y.time, x.value == y.value || (x.value.isNaN && y.value.isNaN) else { return false }
                if x.value == 0 && y.value == 0 { continue }
            }
        }
        return true
    }

    static func awkwardSeries() -> [String: [SeriesKey: [Sample]]] {
        let t: Timestamp = 1_762_074_000
        let odd = "market=\"BR\",note=back\\slash\nnew line,ünï"
        return [
            "fraud-v2": [
                SeriesKey(.decisions, arm: .challenger, segment: odd, extra: "allow"):
                    [Sample(time: t + 120, value: 7), Sample(time: t, value: 1), Sample(time: t + 60, value: 4)],
                SeriesKey(.errors, arm: .champion): [Sample(time: t, value: 0.1), Sample(time: t + 60, value: 1e-5)],
                SeriesKey(.latencyBucket, arm: .champion, segment: "a", extra: "0.005"): [Sample(time: t, value: 3), Sample(time: t + 60, value: 1.5e20)],
                SeriesKey(.latencyBucket, arm: .champion, segment: "a", extra: "+Inf"): [Sample(time: t, value: 9), Sample(time: t + 60, value: .infinity)],
                SeriesKey(.scoreBucket, arm: .challenger, segment: "a", extra: "0.05"): [Sample(time: t, value: -.infinity)],
                SeriesKey(.labels, arm: .challenger, segment: "a", extra: "fn"): [Sample(time: t - 3600, value: 123_456_789.25)],
                SeriesKey(.reviewQueueDepth): [Sample(time: t, value: .nan), Sample(time: t + 60, value: 42)],
                SeriesKey(.reviewCapacityPerHour): [Sample(time: t, value: 600)],
            ],
            "other \"release\"": [
                SeriesKey(.reviewQueueDepth): [Sample(time: t, value: 1)],
                SeriesKey(.decisions, arm: .champion, segment: "b", extra: "block"): [Sample(time: t, value: 2)],
            ],
        ]
    }

    @Test func writerThenParserGivesTheInputBack() throws {
        let input = Self.awkwardSeries()
        let text = OpenMetricsWriter.write(releases: input)
        let parsed = try Self.parser.parse(text, file: "round-trip.om")
        #expect(parsed.sawEOF)
        #expect(parsed.skipped.isEmpty)
        #expect(Set(parsed.releases.keys) == Set(input.keys))
        for (release, series) in input {
            let sorted = series.mapValues { $0.sorted { $0.time < $1.time } }
            #expect(Self.same(parsed.releases[release]!, sorted), "\(release)")
        }
        // single-release form, too
        let one = try Self.parser.parse(OpenMetricsWriter.write(release: "fraud-v2", samples: input["fraud-v2"]!), file: "one.om")
        #expect(Array(one.releases.keys) == ["fraud-v2"])
    }

    @Test func writerFollowsOpenMetricsLayout() {
        let text = OpenMetricsWriter.write(releases: Self.awkwardSeries())
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.suffix(2) == ["# EOF", ""])
        #expect(lines.contains("# TYPE gatewatch_decisions counter"))
        #expect(lines.contains("# TYPE gatewatch_latency_seconds histogram"))
        #expect(lines.contains("# UNIT gatewatch_latency_seconds seconds"))
        #expect(lines.contains("# TYPE gatewatch_review_queue_depth gauge"))
        // each family's metadata appears once, before its samples
        #expect(lines.filter { $0.hasPrefix("# TYPE gatewatch_review_queue_depth ") }.count == 1)
        #expect(lines.contains(#"gatewatch_review_queue_depth{release="fraud-v2"} NaN 1762074000"#))
        #expect(lines.contains(#"gatewatch_latency_seconds_bucket{release="fraud-v2",arm="champion",segment="a",le="+Inf"} +Inf 1762074060"#))
        #expect(lines.contains(#"gatewatch_scoreBucket"#) == false)
        #expect(text.contains(#"segment="market=\"BR\",note=back\\slash\nnew line,ünï""#))
        // samples of a series in time order
        let decisions = lines.filter { $0.hasPrefix("gatewatch_decisions_total{release=\"fraud-v2\"") }
        #expect(decisions.map { $0.split(separator: " ").last! } == ["1762074000", "1762074060", "1762074120"])
        // histogram points: by time, then by bound
        let buckets = lines.filter { $0.hasPrefix("gatewatch_latency_seconds_bucket") }
        #expect(buckets.map { $0.split(separator: " ").last! } == ["1762074000", "1762074000", "1762074060", "1762074060"])
        #expect(buckets[0].contains(#"le="0.005""#) && buckets[1].contains(#"le="+Inf""#))
    }

    @Test func theSimulatedHistoryRoundTrips() throws {
        let history = try OpenMetricsExport.scenarioHistory(try TestSupport.healthyScenario(), after: 3600)
        #expect(history.samples.count > 100)
        let text = OpenMetricsWriter.write(release: history.release, samples: history.samples)
        let parsed = try Self.parser.parse(text, file: "history.om")
        #expect(parsed.releases[history.release] == history.samples)
    }

    @Test func specialValuesAndTimestamps() throws {
        let text = """
            # HELP gatewatch_review_queue_depth Queue. With \\\\ and \\n escapes.
            # TYPE gatewatch_review_queue_depth gauge
            gatewatch_review_queue_depth{release="r"} NaN 100
            gatewatch_review_queue_depth{release="r"} +Inf 160.999
            gatewatch_review_queue_depth{release="r"} -Inf 220.5
            gatewatch_review_queue_depth{release="r"} inf 280
            gatewatch_review_queue_depth{release="r"} 1.5e3 340
            gatewatch_review_queue_depth{release="r"} -0.25 4e2
            gatewatch_review_capacity_per_hour{release="r",} 600 100 # {trace_id="x"} 1 100
            # EOF

            """
        let parsed = try Self.parser.parse(text, file: "special.om")
        let queue = try #require(parsed.releases["r"]?[SeriesKey(.reviewQueueDepth)])
        #expect(queue.map(\.time) == [100, 160, 220, 280, 340, 400])
        #expect(queue[0].value.isNaN)
        #expect(queue[1].value == .infinity)
        #expect(queue[2].value == -.infinity)
        #expect(queue[3].value == .infinity)
        #expect(queue[4].value == 1500)
        #expect(queue[5].value == -0.25)
        #expect(parsed.releases["r"]?[SeriesKey(.reviewCapacityPerHour)] == [Sample(time: 100, value: 600)])
        #expect(parsed.sawEOF)
    }

    @Test func seriesOutsideTheContractAreCountedAndSkipped() throws {
        let text = """
            # TYPE process_cpu_seconds counter
            process_cpu_seconds_total 12.5 100
            up{job="x"} 1 100
            up{job="y"} 1 100
            gatewatch_errors_total{release="r",arm="champion",segment="s",job="ignored"} 3 100

            """
        let parsed = try Self.parser.parse(text, file: "mixed.om")
        #expect(parsed.skipped == ["process_cpu_seconds_total": 1, "up": 2])
        #expect(parsed.releases["r"]?[SeriesKey(.errors, arm: .champion, segment: "s")] == [Sample(time: 100, value: 3)])
        #expect(parsed.sawEOF == false)
    }

    @Test func samplesWithoutTimestampAreAnErrorForImportOnly() throws {
        let text = "gatewatch_review_queue_depth{release=\"r\"} 5\n"
        let error = try #require(throws: InputError.self) { try Self.parser.parse(text, file: "f.om") }
        #expect(error.line == 1 && error.column == 44)
        #expect(error.message.contains("no timestamp"))
        let raw = try OpenMetricsParser(requireTimestamps: false).rawSamples(text, file: "f.om")
        #expect(raw.count == 1 && raw[0].timestamp == nil && raw[0].value == 5)
    }

    /// (text, line, column, part of the message)
    static let malformed: [(String, Int, Int, String)] = [
        // missing value: the column just past the label set
        ("# TYPE gatewatch_errors counter\ngatewatch_errors_total{release=\"r\",arm=\"champion\"} 1 100\ngatewatch_errors_total{release=\"r\",arm=\"champion\"}\n",
         3, 51, "no value"),
        ("gatewatch_errors_total{release=\"r\",arm=\"champion\"}   \n", 1, 54, "no value"),
        // bad label quoting
        ("gatewatch_errors_total{release=r} 1 100\n", 1, 32, "double quotes"),
        ("gatewatch_errors_total{release=\"r} 1 100\n", 1, 32, "not closed"),
        ("gatewatch_errors_total{release=\"r\" arm=\"champion\"} 1 100\n", 1, 36, "\",\" or \"}\""),
        ("gatewatch_errors_total{release=\"r\",arm=\"champion\" 1 100\n", 1, 51, "\",\" or \"}\""),
        // bad timestamp
        ("\n\ngatewatch_review_queue_depth{release=\"r\"} 5 12:00\n", 3, 45, "invalid timestamp"),
        ("gatewatch_review_queue_depth{release=\"r\"} 5 1762074000000\n", 1, 45, "milliseconds"),
        ("gatewatch_review_queue_depth{release=\"r\"} 5 NaN\n", 1, 45, "invalid timestamp"),
        // unknown escape: the column of the backslash
        ("gatewatch_errors_total{release=\"r\",arm=\"champion\",segment=\"a\\tb\"} 1 100\n", 1, 61, "unknown escape \"\\t\""),
        // other problems
        ("gatewatch_review_queue_depth{release=\"r\"} five 100\n", 1, 43, "invalid sample value"),
        ("gatewatch_review_queue_depth{release=\"r\"} 5 100 extra\n", 1, 49, "unexpected text"),
        ("gatewatch_review_queue_depth{release=\"r\",release=\"s\"} 5 100\n", 1, 42, "appears twice"),
        ("gatewatch_review_queue_depth 5 100\n", 1, 1, "no release label"),
        ("gatewatch_errors_total{release=\"r\",arm=\"canary\"} 1 100\n", 1, 40, "unknown arm"),
        ("gatewatch_decisions_total{release=\"r\",arm=\"champion\",action=\"deny\"} 1 100\n", 1, 61, "unknown action"),
        ("gatewatch_score_bucket{release=\"r\",arm=\"champion\",le=\"high\"} 1 100\n", 1, 54, "not a number"),
        ("# TYPE gatewatch_score histogramm\n", 1, 24, "unknown metric type"),
        ("{release=\"r\"} 5 100\n", 1, 1, "expected a metric name"),
        ("gatewatch_review_queue_depth{release=\"r\"} 5 100\n# EOF\ngatewatch_review_queue_depth{release=\"r\"} 6 160\n", 3, 1, "after # EOF"),
        ("gatewatch_review_queue_depth{release=\"r\"} 5 100\ngatewatch_review_queue_depth{release=\"r\",job=\"x\"} 6 100.5\n", 2, 1, "second sample"),
    ]

    @Test(arguments: 0..<malformed.count)
    func malformedInputIsReportedAtItsPosition(_ index: Int) throws {
        let (text, line, column, message) = Self.malformed[index]
        let error = try #require(throws: InputError.self) { try Self.parser.parse(text, file: "bad.om") }
        #expect(error.file == "bad.om")
        #expect(error.line == line, "\(error)")
        #expect(error.column == column, "\(error)")
        #expect(error.message.contains(message), "\(error)")
        #expect(error.description.hasPrefix("bad.om:\(line):\(column): "))
    }

    @Test func crlfLineEndingsAndCommentsAreAccepted() throws {
        let text = "# a plain comment\r\ngatewatch_review_queue_depth{release=\"r\"} 5 100\r\n# EOF\r\n"
        let parsed = try Self.parser.parse(text, file: "crlf.om")
        #expect(parsed.releases["r"]?[SeriesKey(.reviewQueueDepth)] == [Sample(time: 100, value: 5)])
    }
}
