import Foundation
import GatewatchCore
import GatewatchStores

/// A release spec as `gatewatch import --release-spec` and `ScenarioLoader` read it: decoded from YAML and checked
/// (`validationProblems`); a spec that passes is analysed once on empty data in its first stage, as the dashboard
/// would right after the import. The same text is also tried as `simulation.yaml` and `fleet.yaml`.
enum SpecFuzz {
    /// The as-of time of the analyses (2026-11-02T11:00:00Z, two hours into the sample scenarios).
    static let asOf: Timestamp = 1_762_081_200

    static func run(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        if let release = try? YAMLFile.decode(Release.self, yaml: text, file: "release.yaml"), release.validationProblems().isEmpty {
            let state = RolloutState(stageIndex: 0, stageEnteredAt: asOf - 3600, startedAt: asOf - 7200, status: .running)
            let analysis = ReleaseAnalyzer().analyze(release: release, state: state, metrics: MetricSeriesSet(), asOf: asOf)
            _ = (analysis.stage.name, analysis.nextStage?.name, analysis.worstRuleStatus, release.changesSeveralObjects)
        }
        _ = try? YAMLFile.decode(SimulationModel.self, yaml: text, file: "simulation.yaml")
        _ = try? YAMLFile.decode(FleetSpec.self, yaml: text, file: "fleet.yaml")
    }
}
