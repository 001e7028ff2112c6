import Foundation
import GatewatchCore
import GatewatchSQLite

/// The `scale` scenario: many releases with many segments, every contract series of both arms in every segment at
/// one-minute steps, generated in closed form (no simulation) and written into the embedded store. The same
/// parameters always give the same data, relative to the end time.
public struct ScaleScenario: Sendable {
    public var segments: Int
    public var releases: Int
    /// Seconds of history, ending at `end`.
    public var history: Int64
    /// The last sample's time (a whole minute).
    public var end: Timestamp
    public static let step: Int64 = 60

    /// Series per segment: both arms × (3 decision actions, errors, 4 label outcomes, 6 latency and 10 score buckets).
    public static let seriesPerSegment = 2 * (3 + 1 + 4 + 6 + 10)
    /// The most samples one run writes (about 1.5 GB in the store); more is refused with the arithmetic.
    public static let sampleLimit = 60_000_000

    public init(segments: Int, releases: Int, history: Int64, end: Timestamp) {
        self.segments = segments
        self.releases = releases
        self.history = history
        self.end = end - end % Self.step
    }

    public var steps: Int { Int(history / Self.step) }
    public var seriesCount: Int { releases * (segments * Self.seriesPerSegment + 1) }
    public var sampleCount: Int { seriesCount * steps }

    /// Why these parameters cannot be generated, if they cannot.
    public var problem: String? {
        if segments < 1 || releases < 1 { return "--segments and --releases must be at least 1" }
        if steps < 2 { return "--history must be at least 2 minutes" }
        if sampleCount > Self.sampleLimit {
            return "\(segments) segments × \(releases) releases × \(steps) minutes is \(seriesCount) series × \(steps) samples = "
                + "\(sampleCount) samples (about \(sampleCount / 45_000_000) GB in the store, at the 22 bytes a sample it takes); this command writes at most "
                + "\(Self.sampleLimit). Use fewer releases or a shorter --history"
        }
        return nil
    }

    static let markets = ["AR", "AT", "AU", "BE", "BR", "CA", "CH", "CL", "CN", "CO", "CZ", "DE", "DK", "EG", "ES", "FI", "FR",
                          "GB", "GR", "HK", "HU", "ID", "IE", "IL", "IN", "IT", "JP", "KE", "KR", "MA", "MX", "MY", "NG", "NL",
                          "NO", "NZ", "PE", "PH", "PK", "PL", "PT", "RO", "SA", "SE", "SG", "TH", "TR", "US", "VN", "ZA"]
    static let risks = ["low", "mid", "high", "vip", "new"]

    /// Segment keys: market × surface × risk tier, unique for any count.
    public func segmentKeys() -> [String] {
        (0..<segments).map { s in
            let m = s / 10
            let market = m < Self.markets.count ? Self.markets[m] : "M\(m)"
            return "market=\(market),surface=\(s / 5 % 2 == 0 ? "app" : "web"),risk=\(Self.risks[s % 5])"
        }
    }

    /// Release number `r` (0-based): its spec and rollout state. Releases sit at different stages.
    public func release(_ r: Int) -> (Release, RolloutState) {
        let start = end - history
        let stages = [Stage(name: "shadow", kind: .shadow, trafficPercent: 0, bakeSeconds: 1800),
                      Stage(name: "canary-1", kind: .canary, trafficPercent: 1, bakeSeconds: 3600),
                      Stage(name: "canary-5", kind: .canary, trafficPercent: 5, bakeSeconds: 3600, requiresApproval: true),
                      Stage(name: "canary-25", kind: .canary, trafficPercent: 25, bakeSeconds: 7200),
                      Stage(name: "ab-50", kind: .ab, trafficPercent: 50, bakeSeconds: 14_400, requiresApproval: true),
                      Stage(name: "full", kind: .full, trafficPercent: 100, bakeSeconds: 0)]
        var release = Release(
            slug: String(format: "scale-%02d", r + 1), title: "Scale release \(r + 1)", model: "fraud-scorer-\(r + 1)",
            championVersion: "\(10 + r)", challengerVersion: "\(11 + r)", owner: "platform",
            changes: [ChangeObject(kind: .model, from: "\(10 + r)", to: "\(11 + r)")], stages: stages,
            rules: [StopRule(name: "error-rate", metric: .errorRate, comparator: .greaterThan, threshold: 0.02, forSeconds: 300, severity: .rollback),
                    StopRule(name: "latency-p99", metric: .latencyP99, comparator: .greaterThan, threshold: 0.3, forSeconds: 600, severity: .rollback),
                    StopRule(name: "segment-precision", metric: .precision, relativeToChampion: true, comparator: .lessThan, threshold: -0.1,
                             windowSeconds: 3600, forSeconds: 900, scope: .eachSegment, severity: .block, minimumEvents: 20)],
            segments: segmentKeys().map(Segment.init))
        release.guardrails = [Guardrail(metric: .falsePositiveRate, maxWorsening: 0.01)]
        let stage = 1 + r % 4
        let state = RolloutState(stageIndex: stage, stageEnteredAt: start + history / 2, startedAt: start, status: .running)
        return (release, state)
    }

    /// The per-minute rate of each series of one segment and arm; one release in five makes a few segments' false
    /// positives rise by half for the challenger (a hidden regression to find).
    func rates(release r: Int, segment s: Int, named segment: String, arm: Arm) -> [(SeriesKey, Double)] {
        // The challenger gets its stage's share of the traffic.
        let share = [0.01, 0.05, 0.25, 0.5][r % 4]  // the traffic of stage 1 + r % 4 (see `release`)
        let volume = 100 * (arm == .champion ? 1 - share : share) * (1 + Double(s % 7) / 3)
        let regressing = arm == .challenger && r % 5 == 0 && s % 97 == 3
        var list: [(SeriesKey, Double)] = []
        for (action, share) in [("allow", 0.9), ("review", 0.07), ("block", 0.03)] {
            list.append((SeriesKey(.decisions, arm: arm, segment: segment, extra: action), volume * share))
        }
        list.append((SeriesKey(.errors, arm: arm, segment: segment), volume * 0.002))
        let fp = regressing ? 0.015 : 0.01
        for (outcome, share) in [("tp", 0.02), ("fp", fp), ("tn", 0.96 - fp), ("fn", 0.02)] {
            list.append((SeriesKey(.labels, arm: arm, segment: segment, extra: outcome), volume * share))
        }
        // Healthy latency: p99 near 0.2 s.
        for (le, cumulative) in zip(["0.05", "0.1", "0.25", "0.5", "1", "+Inf"], [0.6, 0.9, 0.993, 0.998, 0.9995, 1]) {
            list.append((SeriesKey(.latencyBucket, arm: arm, segment: segment, extra: le), volume * cumulative))
        }
        for i in 1...10 {
            let le = i == 10 ? "+Inf" : String(Double(i) / 10)
            let shift = arm == .challenger ? 0.02 * Double(r % 3) : 0
            list.append((SeriesKey(.scoreBucket, arm: arm, segment: segment, extra: le), volume * min(1, Double(i) / 10 + shift)))
        }
        return list
    }

    /// Writes every release and its samples, an hour at a time; `progress` gets the samples written so far.
    public func write(into store: SQLiteStore, progress: (Int) -> Void = { _ in }) throws {
        let start = end - history
        let names = segmentKeys()
        var written = 0
        for r in 0..<releases {
            let (release, state) = self.release(r)
            if try store.release(release.slug) == nil {
                try store.create(release, state: state, event: AuditEvent(release: release.slug, time: start, actor: "scale", role: .owner,
                                                                         kind: .start, reason: "scale scenario", fromState: "",
                                                                         toState: release.stages[state.stageIndex].name))
            }
            var series: [(SeriesKey, Double, Double)] = []  // key, rate per minute, wobble phase
            for (s, name) in names.enumerated() {
                for arm in Arm.allCases {
                    for (key, rate) in rates(release: r, segment: s, named: name, arm: arm) { series.append((key, rate, Double(s % 11) + Double(r))) }
                }
            }
            series.append((SeriesKey(.reviewQueueDepth), 0, 0))
            var totals = [Double](repeating: 0, count: series.count)
            var k = 0
            while k < steps {
                let chunk = min(60, steps - k)
                var batch: [SeriesKey: [Sample]] = [:]
                batch.reserveCapacity(series.count)
                for (i, (key, rate, phase)) in series.enumerated() {
                    var list: [Sample] = []
                    list.reserveCapacity(chunk)
                    for j in 0..<chunk {
                        let minute = k + j + 1
                        let time = start + Int64(minute) * Self.step
                        if key.family == .reviewQueueDepth {
                            list.append(Sample(time: time, value: 800 + 200 * sin(Double(minute) / 90 + Double(r))))
                        } else {
                            // Traffic wobbles ±10% over the day; counters only grow.
                            totals[i] += rate * (1 + 0.1 * sin(Double(minute) * 0.0044 + phase))
                            list.append(Sample(time: time, value: totals[i].rounded(.down)))
                        }
                    }
                    batch[key] = list
                }
                try store.append(release: release.slug, samples: batch)
                k += chunk
                written += series.count * chunk
                progress(written)
            }
        }
    }
}
