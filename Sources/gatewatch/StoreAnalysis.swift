import ArgumentParser
import Foundation
import GatewatchApp
import GatewatchCore
import GatewatchSQLite
import GatewatchUI

/// Opens the sources of a headless command — the ones a config file names, else an embedded store file — and
/// analyses one release the way the dashboard does (for `check`, the action commands and the guard): through a
/// `LiveSource`, on the release's clock, with the config's freshness bound, so the three judge alike.
enum StoreAnalysis {
    /// The sources of a command.
    struct Sources {
        var registry: any Registry
        var metrics: any MetricsStore
        var label: String
        var config: LoadedConfig
    }

    /// Sources from the config at `configPath` (when it names any), else the embedded store at `path`. A command that
    /// writes (`access: .write`) stops here when the registry was opened read-only; one that reads is told why.
    static func open(configPath: String?, storePath: String, access: SQLiteStore.Access = .read) throws -> Sources {
        let config: LoadedConfig
        do { config = try LoadedConfig.load(path: configPath) } catch { throw ValidationError(error.description) }
        let sources: Sources
        do {
            if let opened = try SourceOpener.open(registry: config.registry, metrics: config.metrics, access: access) {
                sources = Sources(registry: opened.registry, metrics: opened.metrics, label: opened.description, config: config)
            } else {
                guard FileManager.default.fileExists(atPath: storePath) else { throw ValidationError("no store at \(storePath)") }
                let sqlite = try StoreFile.open(storePath, access: access)
                sources = Sources(registry: sqlite, metrics: sqlite, label: storePath, config: config)
            }
        } catch let error as SourceConfigError {
            throw ValidationError(error.description)
        } catch let error as SQLiteStoreError {
            throw ValidationError(error.description)
        }
        if let why = sources.registry.readOnlyReason {
            if access == .write { throw ValidationError("\(why); nothing was changed") }
            Console.err("gatewatch: \(why)\n")
        }
        return sources
    }

    /// The release to act on: `release`, or the only one the registry holds.
    static func slug(_ release: String?, in sources: Sources) throws -> String {
        let slugs: [String]
        do { slugs = try sources.registry.releaseSlugs() } catch { throw ValidationError("cannot list the releases of \(sources.label): \(error)") }
        if let release {
            guard slugs.contains(release) else {
                throw ValidationError("no release '\(release)' in \(sources.label) (it has: \(slugs.isEmpty ? "none" : slugs.map { TextSanitizer.clean($0) }.joined(separator: ", ")))")
            }
            return release
        }
        guard slugs.count == 1 else {
            throw ValidationError(slugs.isEmpty ? "\(sources.label) holds no release; import a release spec first"
                                                : "\(sources.label) holds several releases; pick one with --release (\(slugs.map { TextSanitizer.clean($0) }.joined(separator: ", ")))")
        }
        return slugs[0]
    }

    /// The clock of a release: the wall clock, or the demo's simulated clock for a release the demo drives in its
    /// own store (the only case where time is not the wall's). Never the data's newest sample.
    static func clock(_ slug: String, in sources: Sources) -> @Sendable () -> Timestamp {
        RunCommand.clock(of: slug, in: sources.registry)
    }

    /// A live source of one release on the command's sources; `at` (a past time) replaces the clock.
    static func source(configPath: String?, path: String, release: String?, at: String?,
                       access: SQLiteStore.Access = .read) throws -> (source: LiveSource, sources: Sources) {
        let sources = try open(configPath: configPath, storePath: path, access: access)
        let slug = try slug(release, in: sources)
        var now = clock(slug, in: sources)
        if let at {
            let stored: RolloutState?
            do { stored = try sources.registry.state(slug) } catch { throw ValidationError("cannot read \(slug) from \(sources.label): \(error)") }
            guard let state = stored else { throw ValidationError("release '\(slug)' is incomplete in \(sources.label)") }
            let fixed = try TimeOptions.time(at, option: "--at", start: state.startedAt, latest: TimeOptions.latest(clock: now()))
            now = { fixed }
        }
        let source = LiveSource(slug: slug, registry: sources.registry, metricsStore: sources.metrics, description: sources.label,
                                freshness: sources.config.freshnessPolicy(), now: now)
        return (source, sources)
    }

    /// Analyses the release now (or at `at`). A registry that cannot be read is an error; metrics that cannot be read
    /// are not (the analysis says so: rules held, `metrics_fresh` failing), unless `requireMetrics`.
    static func analyze(configPath: String? = nil, path: String, release: String?, at: String?,
                        requireMetrics: Bool = true) throws -> (analysis: ReleaseAnalysis, registry: any Registry, metricsProblem: String?) {
        let (source, sources) = try source(configPath: configPath, path: path, release: release, at: at)
        let result: (analysis: ReleaseAnalysis, problem: String?)
        do { result = try source.refresh(at: source.clock) } catch { throw ValidationError("cannot read \(source.slug) from \(sources.label): \(error)") }
        if requireMetrics, let problem = result.problem {
            throw ValidationError("cannot read the metrics of \(source.slug) from \(sources.label): \(problem)")
        }
        return (result.analysis, sources.registry, result.problem)
    }
}
