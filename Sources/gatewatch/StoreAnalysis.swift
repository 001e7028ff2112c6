import ArgumentParser
import Foundation
import GatewatchCore
import GatewatchStores

/// Opens an embedded store and analyses one of its releases (for `check --store` and the action commands).
enum StoreAnalysis {
    static func analyze(path: String, release: String?, at: String?) throws -> (analysis: ReleaseAnalysis, store: SQLiteStore) {
        guard FileManager.default.fileExists(atPath: path) else { throw ValidationError("no store at \(path)") }
        let sqlite = try SQLiteStore(path: path)
        let slugs = try sqlite.releaseSlugs()
        let slug: String
        if let release {
            guard slugs.contains(release) else {
                throw ValidationError("no release '\(release)' in \(path) (it has: \(slugs.isEmpty ? "none" : slugs.joined(separator: ", ")))")
            }
            slug = release
        } else {
            guard slugs.count == 1 else {
                throw ValidationError(slugs.isEmpty ? "\(path) holds no release; import a release spec first"
                                                    : "\(path) holds several releases; pick one with --release (\(slugs.joined(separator: ", ")))")
            }
            slug = slugs[0]
        }
        guard let spec = try sqlite.release(slug), let state = try sqlite.state(slug) else { throw ValidationError("release '\(slug)' is incomplete in \(path)") }
        let data = MetricSeriesSet(try sqlite.samples(release: slug, after: nil, through: .max))
        let events = try sqlite.auditEvents(release: slug)
        let newest = max(data.newestTime ?? state.startedAt, events.last?.time ?? state.startedAt)
        let asOf: Timestamp
        if let at {
            if let seconds = DurationText.parse(at) { asOf = state.startedAt + seconds }
            else if let time = ISO8601.parse(at) { asOf = time }
            else { throw ValidationError("--at '\(at)' is neither a duration (2h, 90m) nor a UTC time (2026-11-02T11:00:00Z)") }
        } else {
            asOf = newest
        }
        let analysis = ReleaseAnalyzer().analyze(release: spec, state: state, metrics: data.truncated(to: asOf), asOf: asOf, approvals: events)
        return (analysis, sqlite)
    }
}
