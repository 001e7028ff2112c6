import Foundation
import GatewatchCore
@testable import GatewatchHTTP
@testable import GatewatchMLflow

/// An MLflow answer body, read the ways `MLflowREST` and `MLflowRegistry` read them:
/// - as an error answer (`MLflowErrorMapper` on a 403, a 404 and a 500 with this body);
/// - as `registered-models/search` and `registered-models/get` (models, tags, aliases; the release index tags);
/// - as `model-versions/get`: the version's tags read into a release's spec, state and audit events
///   (`MLflowReleaseTags`) for the slugs the tag keys name. When spec and state both read, the state is analysed
///   against the spec once on empty data, as the dashboard would on its first poll: what the registry hands over
///   must not crash its first reader.
enum MLflowFuzz {
    // The envelopes MLflowREST decodes (its own are private; these have the same fields).
    struct VersionEnvelope: Decodable { var model_version: MLflowREST.ModelVersion? }
    struct ModelEnvelope: Decodable { var registered_model: MLflowREST.RegisteredModel? }
    struct SearchEnvelope: Decodable {
        var registered_models: [MLflowREST.RegisteredModel]?
        var next_page_token: String?
    }

    static let mapper = MLflowErrorMapper(server: "http://127.0.0.1:5000", credentials: .none,
                                          variables: "MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD")

    static func run(_ data: Data) {
        for status in [403, 404, 500] {
            _ = mapper.response(HTTPResponse(status: status, body: data, contentType: "text/plain"),
                                endpoint: "http://127.0.0.1:5000/api/2.0/mlflow/model-versions/get", doing: "fuzzing")
        }
        let decoder = JSONDecoder()
        var models: [MLflowREST.RegisteredModel] = []
        do {
            models += try decoder.decode(SearchEnvelope.self, from: data).registered_models ?? []
        } catch {
            _ = mapper.undecodable(doing: "fuzzing", detail: MLflowREST.describe(error))
        }
        if let model = (try? decoder.decode(ModelEnvelope.self, from: data))?.registered_model { models.append(model) }
        for model in models {
            _ = (model.alias(MLflowTagLayout.championAlias), model.alias(MLflowTagLayout.challengerAlias), model.tag(MLflowTagLayout.managedKey))
            for tag in model.tags ?? [] where tag.key.hasPrefix(MLflowTagLayout.indexPrefix) {
                _ = MLflowTagLayout.slugProblem(String(tag.key.dropFirst(MLflowTagLayout.indexPrefix.count)))
                _ = MLflowRegistry.mlflowVersion(tag.value)
            }
        }
        guard let version = (try? decoder.decode(VersionEnvelope.self, from: data))?.model_version else { return }
        _ = MLflowRegistry.mlflowVersion(version.version)
        let tags = version.tags ?? []
        for slug in slugs(tags) {
            read(MLflowReleaseTags(slug: slug, place: "model '\(version.name)' version \(version.version)", tags: tags))
        }
    }

    /// The slugs the first tags name (`gatewatch.<slug>.spec.…`, `.state.…`, `.audit.…`), at most four.
    static func slugs(_ tags: [MLflowREST.Tag]) -> [String] {
        var found: [String] = []
        for tag in tags.prefix(64) where tag.key.hasPrefix("gatewatch.") {
            let rest = tag.key.dropFirst("gatewatch.".count)
            for marker in [".spec.", ".state.", ".audit."] {
                if let range = rest.range(of: marker) {
                    let slug = String(rest[..<range.lowerBound])
                    if !found.contains(slug) { found.append(slug) }
                }
            }
            if found.count >= 4 { break }
        }
        return found
    }

    static func read(_ tags: MLflowReleaseTags) {
        _ = (tags.isEmpty, tags.lastSequence, tags.keys.count)
        let events = tags.events()
        if let entry = tags.currentEntry {
            _ = tags.stateRivals(version: entry.version, token: entry.token)
        }
        _ = tags.auditRivals(sequence: tags.lastSequence, token: "000000000000")
        let release = try? tags.release()
        let state = try? tags.state()
        guard let release, let state, release.problems().isEmpty else { return }
        let analysis = ReleaseAnalyzer().analyze(release: release, state: state, metrics: MetricSeriesSet(),
                                                 asOf: SpecFuzz.asOf, approvals: events)
        _ = (analysis.stage.name, analysis.nextStage?.name, analysis.timeInStage, analysis.worstRuleStatus)
    }
}
