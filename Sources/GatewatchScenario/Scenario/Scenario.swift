import GatewatchCore

/// A sample-data scenario: a release spec plus the simulation that brings it to life.
public struct Scenario: Sendable {
    public var name: String
    /// Folder the scenario was read from.
    public var directory: String
    public var release: Release
    public var simulation: SimulationModel
    /// The fleet this scenario was loaded as a member of (nil for an ordinary scenario).
    public var fleet: String?
    /// Key of the simulated clock in the store (`simulation_clock` table). The scenario name for an ordinary
    /// scenario; `<fleet>/<release slug>` for a fleet member, so members sharing one store never share a clock.
    public var clockKey: String
    /// A finished story: the demo opens on the review of this release, with every member simulated up to
    /// `opensAt` first (set by a fleet's `opens_review`).
    public var opensReview: String?
    public var opensAt: Timestamp?
    /// Problems in the scenario's files that did not stop it from loading (unknown keys), with their positions.
    public var warnings: [InputError] = []

    public init(name: String, directory: String, release: Release, simulation: SimulationModel) {
        self.name = name
        self.directory = directory
        self.release = release
        self.simulation = simulation
        self.fleet = nil
        self.clockKey = name
    }
}

/// `sample-data/<fleet>/fleet.yaml`: several releases that run together in one store, each at its own stage.
///
/// ```yaml
/// description: Four releases at once …
/// start: 2026-11-02T09:00:00Z     # optional: the fleet's reference time (default: each member's own start)
/// members:
///   - { scenario: fraud-canary-healthy, start_offset: 1h }
///   - { scenario: eu-segment-regression, start_offset: 0 }
///   - { scenario: fraud-canary-healthy, start_offset: 3h, slug: fraud-scoring-v8-mx, seed: 7 }
/// ```
/// A member's simulation starts `start_offset` before the reference time, so at any wall time it is that much
/// further along. `slug:` renames the member's release (needed when a folder is used twice), `seed:` changes its
/// traffic.
public struct FleetSpec: Decodable, Sendable {
    public struct Member: Decodable, Sendable {
        public var scenario: String
        /// Seconds by which this member's simulation starts before the fleet's reference time.
        public var startOffset: Int64
        public var slug: String?
        public var seed: UInt64?

        enum CodingKeys: String, CodingKey {
            case scenario, slug, seed
            case startOffset = "start_offset"
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            scenario = try c.decode(String.self, forKey: .scenario)
            startOffset = try c.decodeIfPresent(FlexibleDuration.self, forKey: .startOffset)?.seconds ?? 0
            slug = try c.decodeIfPresent(String.self, forKey: .slug)
            seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
            guard startOffset >= 0 else {
                throw DecodingError.dataCorruptedError(forKey: .startOffset, in: c, debugDescription: "start_offset cannot be negative")
            }
        }
    }

    public var description: String
    /// The fleet's reference time; nil: each member's own `start`.
    public var start: Timestamp?
    public var members: [Member]
    /// The release whose review the demo opens on, after simulating every member up to `start`.
    public var opensReview: String?

    enum CodingKeys: String, CodingKey {
        case description, start, members
        case opensReview = "opens_review"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        description = try c.decodeIfPresent(String.self, forKey: .description) ?? ""
        opensReview = try c.decodeIfPresent(String.self, forKey: .opensReview)
        if let text = try c.decodeIfPresent(String.self, forKey: .start) {
            guard let t = ISO8601.parse(text) else {
                throw DecodingError.dataCorruptedError(forKey: .start, in: c, debugDescription: "'\(text)' is not a UTC time like 2026-11-02T09:00:00Z")
            }
            start = t
        } else {
            start = nil
        }
        members = try c.decode([Member].self, forKey: .members)
    }
}

extension Scenario {
    /// The last simulated time the scenario may be run to: its start plus its horizon.
    public var horizonEnd: Timestamp { simulation.start + simulation.horizon }
}
