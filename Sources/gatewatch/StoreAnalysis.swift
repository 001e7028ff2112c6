import ArgumentParser
import Foundation
import GatewatchApp
import GatewatchCore
import GatewatchStores

/// Opens the sources of a headless command — the ones a config file names, else an embedded store file — and
/// analyses one release (for `check`, the action commands and the guard).
enum StoreAnalysis {
    /// Sources from the config at `configPath` (when it names any), else the embedded store at `path`.
    static func open(configPath: String?, storePath: String) throws -> (registry: any Registry, metrics: any MetricsStore, label: String, real: Bool) {
        let config: LoadedConfig
        do { config = try LoadedConfig.load(path: configPath) } catch { throw ValidationError(error.description) }
        do {
            if let opened = try SourceOpener.open(registry: config.registry, metrics: config.metrics) {
                return (opened.registry, opened.metrics, opened.description, true)
            }
        } catch let error as SourceConfigError {
            throw ValidationError(error.description)
        }
        guard FileManager.default.fileExists(atPath: storePath) else { throw ValidationError("no store at \(storePath)") }
        let sqlite = try SQLiteStore(path: storePath)
        return (sqlite, sqlite, storePath, false)
    }

    static func analyze(configPath: String? = nil, path: String, release: String?, at: String?) throws -> (analysis: ReleaseAnalysis, registry: any Registry) {
        let (registry, metrics, label, real) = try open(configPath: configPath, storePath: path)
        let slugs: [String]
        do { slugs = try registry.releaseSlugs() } catch { throw ValidationError("cannot list the releases of \(label): \(error)") }
        let slug: String
        if let release {
            guard slugs.contains(release) else {
                throw ValidationError("no release '\(release)' in \(label) (it has: \(slugs.isEmpty ? "none" : slugs.joined(separator: ", ")))")
            }
            slug = release
        } else {
            guard slugs.count == 1 else {
                throw ValidationError(slugs.isEmpty ? "\(label) holds no release; import a release spec first"
                                                    : "\(label) holds several releases; pick one with --release (\(slugs.joined(separator: ", ")))")
            }
            slug = slugs[0]
        }
        guard let spec = try registry.release(slug), let state = try registry.state(slug) else { throw ValidationError("release '\(slug)' is incomplete in \(label)") }
        let events = try registry.auditEvents(release: slug)
        var asOf: Timestamp?
        if let at {
            if let seconds = DurationText.parse(at) { asOf = state.startedAt + seconds }
            else if let time = ISO8601.parse(at) { asOf = time }
            else { throw ValidationError("--at '\(at)' is neither a duration (2h, 90m) nor a UTC time (2026-11-02T11:00:00Z)") }
        }
        // A real metrics store is read up to now (or --at); an embedded store up to its newest sample.
        let through = asOf ?? (real ? Timestamp(Date().timeIntervalSince1970) : .max)
        let data: MetricSeriesSet
        do { data = MetricSeriesSet(try metrics.samples(release: slug, after: nil, through: through)) }
        catch { throw ValidationError("cannot read the metrics of \(slug) from \(label): \(error)") }
        let newest = max(data.newestTime ?? state.startedAt, events.last?.time ?? state.startedAt)
        let time = asOf ?? (real ? through : newest)
        let analysis = ReleaseAnalyzer().analyze(release: spec, state: state, metrics: data.truncated(to: time), asOf: time, approvals: events)
        return (analysis, registry)
    }
}
