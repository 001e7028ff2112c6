import Foundation
import GatewatchCore
import GatewatchScenario

/// A release spec as `gatewatch import --release-spec` and `ScenarioLoader` read it: decoded from YAML with its
/// unknown keys found, checked for meaning (`problems()`) and each problem placed at its node; a spec that passes is analysed once on empty data in its first stage, as the dashboard
/// would right after the import. The same text is also tried as `simulation.yaml` and `fleet.yaml`.
enum SpecFuzz {
    /// The as-of time of the analyses (2026-11-02T11:00:00Z, two hours into the sample scenarios).
    static let asOf: Timestamp = 1_762_081_200

    static func run(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        if let document = try? YAMLDocument<Release>.load(yaml: text, file: "release.yaml"),
           document.errors(document.value.problems()).isEmpty {
            let release = document.value
            let state = RolloutState(stageIndex: 0, stageEnteredAt: asOf - 3600, startedAt: asOf - 7200, status: .running)
            let analysis = ReleaseAnalyzer().analyze(release: release, state: state, metrics: MetricSeriesSet(), asOf: asOf)
            _ = (analysis.stage.name, analysis.nextStage?.name, analysis.worstRuleStatus, release.changesSeveralObjects)
        }
        _ = try? YAMLDocument<SimulationModel>.load(yaml: text, file: "simulation.yaml")
        _ = try? YAMLDocument<FleetSpec>.load(yaml: text, file: "fleet.yaml")
    }
}
