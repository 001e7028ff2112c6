import Foundation
import Testing
import GatewatchCore
@testable import GatewatchOpenMetrics
@testable import GatewatchPrometheus
import GatewatchTestSupport

/// `PrometheusMetricsStore` against a real VictoriaMetrics 1.79 (Debian's `victoria-metrics`, `VictoriaMetricsServer`),
/// which serves the same `query_range` API: the scenario imported through its import API reads back exactly as the
/// embedded store holds it, in one poll and in two, in the contract's names and through a label mapping.
@Suite struct VictoriaMetricsStoreTests {
    @Test func aScenarioImportedIntoVictoriaMetricsReadsBackAsTheEmbeddedStoreHoldsIt() throws {
        let fixture = try PrometheusMetricsStoreTests.scenario.get()
        let document = OpenMetricsWriter.write(releases: [fixture.release: fixture.embedded])
        let server = try VictoriaMetricsServer.start(importing: [document, ExporterRenaming.rename(document, pods: true)])
        defer { server.stop() }
        let store = try PrometheusMetricsStore(options: PrometheusMetricsStoreTests.options(server.url))
        let full = try store.samples(release: fixture.release, after: nil, through: fixture.clock)
        #expect(full == fixture.embedded, "\(PrometheusMetricsStoreTests.differences(full, fixture.embedded))")
        #expect(store.lastPoll?.skipped == [])

        let split = try PrometheusMetricsStore(options: PrometheusMetricsStoreTests.options(server.url))
        let early = try split.samples(release: fixture.release, after: nil, through: fixture.middle)
        let late = try split.samples(release: fixture.release, after: fixture.middle, through: fixture.clock)
        #expect(early == fixture.embeddedFirstHalf, "\(PrometheusMetricsStoreTests.differences(early, fixture.embeddedFirstHalf))")
        #expect(late == fixture.embeddedSecondHalf, "\(PrometheusMetricsStoreTests.differences(late, fixture.embeddedSecondHalf))")

        let mapped = try PrometheusMetricsStore(options: PrometheusOptionsTests.decode(
            "url: \(server.url.absoluteString)\nstep: 60s\n" + ExporterRenaming.mappingYAML))
        let renamed = try mapped.samples(release: fixture.release, after: nil, through: fixture.clock)
        #expect(renamed == fixture.embedded, "\(PrometheusMetricsStoreTests.differences(renamed, fixture.embedded))")
    }
}
