import Foundation
import NIOConcurrencyHelpers
import GatewatchCore
import GatewatchHTTP

/// Reads the contract series (DESIGN.md §4) from a Prometheus-compatible server through `/api/v1/query_range`.
/// Read-only.
///
/// Shape of the answer: the same `SeriesKey`s as `SQLiteStore` — labels `arm`, `segment` and the family's `action`,
/// `le` or `outcome` (`le` normalised as the OpenMetrics importer does: `+Inf`/`Inf` → `+Inf`, numbers as written),
/// gauges without arm or segment — with one sample per series per `step`, at times that are multiples of the step.
/// Prometheus evaluates each time with its 5-minute lookback, so a series scraped at the step interval reads back
/// exactly as stored, and a series that stops is repeated for up to 5 minutes after its last sample.
///
/// Requests: one `POST /api/v1/query_range` (form body, so long queries work) per metric family and per range chunk,
/// never per segment; a chunk holds at most `maxPointsPerSeries` points per series (Prometheus refuses more than
/// 11,000). A transport or server error ends the poll at once with a `PrometheusError`, so a dead server costs one
/// timeout, not one per family.
///
/// Range of a call: `after < time ≤ through`, with `through` clamped to the current time and rounded down to the
/// step; `after == nil` (and an `after` older than that) starts `history` before `through`. The store remembers per
/// release the newest time fetched and the counter state (see `PrometheusSeriesMerger`): a call that continues where
/// the previous one ended keeps counters monotonic across a reset; a call that starts again (`after == nil`, or an
/// `after` before the newest time already fetched) starts the counter state afresh.
///
/// Polls of one release are expected one at a time (as the poller makes them); different releases may be polled
/// from different threads.
public final class PrometheusMetricsStore: MetricsStore, Sendable {
    /// Points per series in one request (Prometheus refuses ranges of more than 11,000 steps).
    public static let maxPointsPerSeries: Int64 = 11_000

    public let options: PrometheusOptions
    private let connection: HTTPConnection
    private let now: @Sendable () -> Timestamp
    /// What the polling thread and the screen's thread both read: per release state, request count, last poll.
    private struct Guarded {
        var releases: [String: ReleaseState] = [:]
        var requestTotal = 0
        var last: PrometheusPollReport?
    }
    private let guarded = NIOLockedValueBox(Guarded())

    struct ReleaseState: Sendable {
        var fetchedThrough: Timestamp
        var merger = PrometheusSeriesMerger()
        /// Points of the last call dated after the range asked for (a server or proxy answering past `end`):
        /// dropped, and reported through `futureSamples`.
        var refused: FutureSamples?
    }

    /// A store for the server in `options`; credentials are read from `environment` now, so a missing variable is
    /// reported when the source is set up. `now` is the current time (the end of every range); tests may replace it.
    public init(options: PrometheusOptions, environment: [String: String] = ProcessInfo.processInfo.environment,
                now: @escaping @Sendable () -> Timestamp = { Timestamp(Date().timeIntervalSince1970) }) throws {
        self.options = options
        self.now = now
        do {
            if let (key, message) = options.tls.fileProblem { throw PrometheusError.configuration(key: key, message: message) }
            connection = try HTTPConnection(baseURL: options.url, credentials: try options.credentials(environment: environment),
                                            timeout: options.timeout, tls: options.tls,
                                            headers: try options.headerFields(environment: environment))
        } catch let error as HTTPError {
            let key = error.description.contains("CA file") ? "tls.ca_file"
                : error.description.contains("client certificate") ? "tls.client_cert"
                : error.description.contains("client key") || error.description.contains("private key") ? "tls.client_key" : "url"
            throw PrometheusError.configuration(key: key, message: error.description)
        }
    }

    /// Requests sent since the store was made (successful or not).
    public var requestCount: Int {
        guarded.withLockedValue { $0.requestTotal }
    }

    /// What the last successful call did.
    public var lastPoll: PrometheusPollReport? {
        guarded.withLockedValue { $0.last }
    }

    /// The newest step time fetched for `release`, if any.
    public func fetchedThrough(release: String) -> Timestamp? {
        guarded.withLockedValue { $0.releases[release]?.fetchedThrough }
    }

    /// The evaluation times of a call: the first and last multiple of the step in the range, or nil when the range
    /// holds none.
    public func grid(after: Timestamp?, through: Timestamp) -> (first: Timestamp, last: Timestamp)? {
        let step = options.step
        let end = min(through, now())
        let last = Self.floor(end, step)
        let earliest = end.subtractingClamped(options.history)
        let startAfter = max(after ?? earliest.subtractingClamped(1), earliest.subtractingClamped(1))
        let first = Self.floor(startAfter, step).addingClamped(step)
        return first <= last ? (first, last) : nil
    }

    /// Samples of `release` at the step times in the range (see the type's notes); throws `PrometheusError`. A failed
    /// call changes nothing, so the caller can retry with the same `after`.
    public func samples(release: String, after: Timestamp?, through: Timestamp) throws -> [SeriesKey: [Sample]] {
        guard let range = grid(after: after, through: through) else {
            // Nothing new is due yet (polls come faster than the step); still make sure the server answers, so a
            // stopped Prometheus shows as stale within a poll, not a step later.
            try probe()
            return [:]
        }
        let previous = guarded.withLockedValue { $0.releases[release] }
        // Continuing where the last call ended keeps the counter state; anything else starts it again.
        var state = ReleaseState(fetchedThrough: range.last)
        if after != nil, let previous, range.first > previous.fetchedThrough { state.merger = previous.merger }

        var report = PrometheusPollReport(release: release, first: range.first, last: range.last)
        var result: [SeriesKey: [Sample]] = [:]
        let started = Date()
        for family in MetricFamily.allCases {
            let query = options.query(family).render(release: release, step: options.step)
            var inputs: [PrometheusSeriesMerger.Input] = []
            for chunk in Self.chunks(range.first, range.last, step: options.step) {
                let answer = try fetch(query, chunk.start, chunk.end)
                report.requests += 1
                report.warnings += answer.warnings
                for series in answer.series {
                    report.points += series.points.count
                    switch try Self.key(of: series, family: family, release: release, query: query, mapping: options.mapping) {
                    case .key(let key):
                        // Never a point dated after the range's end: it would pose as the newest data.
                        let kept = series.points.filter { $0.time <= chunk.end }
                        if kept.count < series.points.count, let first = series.points.first(where: { $0.time > chunk.end }) {
                            let late = series.points.count - kept.count
                            let earliest = min(state.refused?.first ?? first.time, first.time)
                            state.refused = FutureSamples(count: (state.refused?.count ?? 0) + late, first: earliest,
                                                          family: state.refused?.family ?? family)
                        }
                        inputs.append(.init(id: series.text, key: key, points: kept))
                    case .skip(let reason): report.skipped.append("\(series.text): \(reason)")
                    }
                }
            }
            report.series += Set(inputs.map(\.id)).count
            for (key, list) in state.merger.merge(family, inputs) { result[key] = list }
        }
        report.seconds = Date().timeIntervalSince(started)
        guarded.withLockedValue { g in
            g.releases[release] = state
            g.last = report
        }
        return result
    }

    /// Points the last call of `release` dropped for being dated after the range's end (the server answered past
    /// the time asked for); `time` is not needed: nothing past the end is ever kept.
    public func futureSamples(release: String, after time: Timestamp) throws -> FutureSamples? {
        guarded.withLockedValue { $0.releases[release]?.refused }
    }

    // MARK: Requests

    /// A cheap instant query (`vector(1)`) that fails the way a real query would when the server is down or refuses.
    func probe() throws {
        guarded.withLockedValue { $0.requestTotal += 1 }
        let response: HTTPResponse
        do {
            response = try connection.get("/api/v1/query", query: [URLQueryItem(name: "query", value: "vector(1)")])
        } catch let error as HTTPError {
            throw PrometheusError.transport(error.description)
        }
        try refuseAuthenticationFailure(response)
        guard response.status == 200 else {
            _ = try redactingSecrets { try PrometheusResponse.decode(response, query: "vector(1)") }
            throw PrometheusError.transport("\(connection.baseURL.absoluteString) answered \(response.status) to a health query")
        }
    }

    /// One `query_range` request; counts it and turns every failure into a `PrometheusError`.
    func fetch(_ query: String, _ start: Timestamp, _ end: Timestamp) throws -> PrometheusResponse {
        guarded.withLockedValue { $0.requestTotal += 1 }
        let form = [URLQueryItem(name: "query", value: query), URLQueryItem(name: "start", value: String(start)),
                    URLQueryItem(name: "end", value: String(end)), URLQueryItem(name: "step", value: String(options.step)),
                    URLQueryItem(name: "timeout", value: "\(max(1, Int(options.timeout.rounded(.up))))s")]
        let response: HTTPResponse
        do {
            response = try connection.post("/api/v1/query_range", form: form)
        } catch let error as HTTPError {
            throw PrometheusError.transport(error.description)
        }
        try refuseAuthenticationFailure(response)
        return try redactingSecrets { try PrometheusResponse.decode(response, query: query) }
    }

    /// A 401 or 403 says which credential to check, and never repeats the server's answer (a proxy may echo the
    /// request's headers in it).
    func refuseAuthenticationFailure(_ response: HTTPResponse) throws {
        guard response.status == 401 || response.status == 403 else { return }
        let server = "\(connection.baseURL.scheme ?? "http")://\(connection.baseURL.host ?? "")"
            + (connection.baseURL.port.map { ":\($0)" } ?? "")
        let credential: String
        if let name = options.bearerTokenEnv {
            credential = "check the bearer token in \(name)"
        } else if let path = options.bearerTokenFile {
            credential = "check the bearer token in \(path)"
        } else if let auth = options.basicAuth {
            credential = "check the user name in \(auth.usernameEnv) and the password in \(auth.passwordFile ?? auth.passwordEnv ?? "")"
        } else {
            credential = "the server wants credentials: set bearer_token_env, bearer_token_file or basic_auth under metrics"
        }
        let verb = response.status == 401 ? "refused the credentials" : "denied access"
        throw PrometheusError.transport("Prometheus \(verb) (HTTP \(response.status)): \(credential) (server \(server))")
    }

    /// Runs `body`; an error whose message holds a form of the credentials is reworded without it.
    func redactingSecrets<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PrometheusError {
            let text = error.description
            let clean = connection.redacting(text)
            if clean != text { throw PrometheusError.transport(clean) }
            throw error
        }
    }

    /// Sub-ranges of `first…last` (step multiples) of at most `maxPointsPerSeries` points each.
    static func chunks(_ first: Timestamp, _ last: Timestamp, step: Int64) -> [(start: Timestamp, end: Timestamp)] {
        var out: [(start: Timestamp, end: Timestamp)] = []
        var start = first
        let span = (maxPointsPerSeries - 1).multipliedReportingOverflow(by: step)
        while start <= last {
            let end = span.overflow ? last : min(last, start.addingClamped(span.partialValue))
            out.append((start, end))
            guard end < last else { break }
            start = end + step
        }
        return out
    }

    /// Largest multiple of `step` at or below `t`.
    static func floor(_ t: Timestamp, _ step: Int64) -> Timestamp {
        let r = t % step
        return r < 0 ? t.subtractingClamped(r).subtractingClamped(step) : t - r
    }

    // MARK: Labels

    enum Mapping: Equatable {
        case key(SeriesKey)
        case skip(String)
    }

    /// The contract series of a Prometheus series, read through `mapping`. Missing labels are an error (the query
    /// or the mapping is wrong for every series); a series of another release or with a value outside the contract is
    /// skipped with the reason.
    static func key(of series: PrometheusResponse.Series, family: MetricFamily, release: String, query: String,
                    mapping: PrometheusLabelMapping = .contract) throws -> Mapping {
        switch mapping.read(series.labels, family: family, release: release) {
        case .key(let key): return .key(key)
        case .skip(let reason): return .skip(reason)
        case .missing(let labels):
            throw PrometheusError.missingLabels(metric: mapping.metricName(family), labels: labels, series: series.text, query: query)
        }
    }
}

extension Int64 {
    func addingClamped(_ other: Int64) -> Int64 {
        let (v, o) = addingReportingOverflow(other)
        return o ? (other > 0 ? .max : .min) : v
    }

    func subtractingClamped(_ other: Int64) -> Int64 {
        let (v, o) = subtractingReportingOverflow(other)
        return o ? (other > 0 ? .min : .max) : v
    }
}
