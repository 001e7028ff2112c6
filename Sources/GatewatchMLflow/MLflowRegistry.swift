import Foundation
import NIOConcurrencyHelpers
import GatewatchCore
import GatewatchHTTP
import GatewatchAudit

/// A `Registry` kept in an MLflow Model Registry (tested against MLflow 3.17.2), so that every operator pointing at
/// the same server sees the same releases, rollout state and audit trail.
///
/// ## How a release maps onto MLflow
///
/// - **Model and versions.** A release lives on the registered model named by `release.model`. Its champion and
///   challenger are that model's versions `release.championVersion` and `release.challengerVersion` (MLflow numbers
///   versions 1, 2, 3…, so both must be whole numbers). Creating a release creates the registered model if it is
///   missing, and registers placeholder versions (source `gatewatch://placeholder/<model>/<slug>`, no artifacts)
///   until both versions exist — at most up to version 100; MLflow never reuses the number of a deleted version.
/// - **Aliases.** The model's `champion` alias points at the version serving as champion
///   (`RolloutState.servingChampion`, else `release.championVersion`) and `challenger` at the challenger. The
///   promotion to the last stage, which makes the challenger the serving champion, moves `champion` to it; a
///   rollback moves it back to `rollbackTarget` (normally the release's champion). Deployment tooling that loads
///   `models:/<model>@champion` therefore follows the rollout. Aliases are per model: with several releases on one
///   model, the most recent champion change wins.
/// - **Release index.** The registered model carries `gatewatch.managed = true` and one tag
///   `gatewatch.release.<slug> = <challenger version>` per release. `releaseSlugs()` is one search for models tagged
///   `gatewatch.managed`; finding a release is one search for its index tag. One model holds any number of releases
///   over time (v7→v8, then v8→v9, …), each under its own slug.
/// - **Spec, state and audit trail** are tags on the challenger's model version, all keys starting with
///   `gatewatch.<slug>.` (so one version can even take part in two releases):
///   - `spec.chunks` and `spec.000`, `spec.001`, … — the release spec as JSON in pieces of at most 5,000 characters
///     (3.17.2 accepts 100,000 characters per value through its API, but declares registered-model tag values as
///     VARCHAR(5000), which MySQL and PostgreSQL enforce; 5,000 holds everywhere);
///   - `state.<version>.<token>` — the rollout state at each state version (8 digits), as
///     `{"state": …, "written_at": …}`; a new version is a new tag, so the tags are also the state history;
///   - `audit.<sequence>.<token>` — one audit event per tag, JSON with its hash-chain fields (`position`,
///     `prev_hash`, `hash`, see `AuditChain`); the 8-digit sequence number is the event's id (ids count up from 1
///     within each release). An event is never rewritten (except once, to chain events written before the chain);
///     a reason longer than fits in one tag is shortened, ending in "…", before it is hashed;
///   - `audit.head` — the chain's head `{"count", "hash", "sequence"}`, moved after each event.
///   The index tag is written last, so a release becomes visible only once its spec, state, start event and
///   aliases are in place.
/// - **Slugs** are ASCII letters, digits, `-`, `_` and `.` (at most 200), so that every key parses back.
///
/// ## Concurrent writers
///
/// MLflow has no compare-and-swap: a tag write always succeeds and the last write wins. Two operators writing the
/// same key would silently overwrite each other, so no shared key is ever written twice: each writer puts a fresh
/// random token in the key it writes and then re-reads.
///
/// `transition` reads the state and refuses (`.conflict`) unless its version is `expectedVersion`; it then writes
/// `state.<expected+1>.<own token>` and re-reads the version's tags. If any other state tag at that version or later
/// exists, the writer withdraws its own tag (deletes it), waits a random moment and looks again: when the rival's tag
/// is still there the rival won and the answer is `.conflict`; when the rival withdrew too, it tries again (up to
/// 8 times, then `.conflict`). Only a writer that saw no rival after its own write goes on to write the audit event
/// and move the alias. At most one writer can win a version: if A and B both kept their tags, the later of the two
/// re-reads happened after both writes and saw the other tag, so that writer would have withdrawn. This relies only
/// on MLflow returning a tag written before a read began, which one server with one database does. `append`
/// claims the next sequence number the same way, with one more rule for the hash chain: it waits while an event
/// is after the head (another append between its two writes), so an event only ever points at a settled
/// predecessor; it then writes its event at the head's sequence + 1, re-reads, withdraws and retries on a rival,
/// and otherwise moves the head. So two writers never share an id, neither loses its event, and the chain has one
/// link per event. An event left after the head for 10 s (its writer stopped between event and head) is adopted by
/// the next writer when it continues the chain, else removed (nobody was told it was written).
///
/// What remains:
/// - A reader can, for the few milliseconds between a colliding write and its withdrawal, see the loser's state or
///   event (readers pick the smallest token when two states share a version, so they all agree, and the next poll
///   shows the settled result).
/// - The state, the audit event and the alias are three writes, not one transaction. A writer that dies after
///   winning the state leaves the state without its event (and, for a champion change, without the alias move);
///   If the event write fails, the state tag is withdrawn again (nothing changed, `.unavailable`); only if that
///   fails too, or the alias cannot be moved, `transition` throws `.partial`, saying what did change.
/// - If every attempt collides (8 rounds of random back-off), all contenders get `.conflict` and nothing changes.
/// - `create` claims the initial state the same way; two operators creating the same slug at the same moment can
///   both be told `.alreadyExists` (then neither created it). Tags of a create interrupted more than two minutes ago
///   are cleared by the next `create` of that slug.
/// - Anyone with edit rights can change or delete these tags with other MLflow clients; MLflow keeps no history of
///   tag writes, so the audit trail is append-only by convention, not enforced by the server as in the SQLite store.
///   The hash chain makes such a change visible to `gatewatch audit verify`, unless the chain and head are rewritten
///   consistently.
/// - A writer stalled for more than 10 s between its event and the head can find its event adopted or removed by
///   another; a slow writer moving the head after a newer one did can leave the head one event behind until the next
///   append settles it.
public final class MLflowRegistry: Registry, AuditTrailReading, Sendable {
    /// The options the registry was built from.
    public let options: MLflowOptions
    let rest: MLflowREST
    /// Release slug → where its tags live; a release never moves, so entries stay valid until it is recreated.
    private let locations = NIOLockedValueBox<[String: Location]>([:])
    /// Rounds of write, re-read and back-off before a contended write gives up.
    static let maxAttempts = 8
    /// The same for an audit append, which must not be lost to a busy moment: several operators (and the guard)
    /// appending at once on a loaded machine took all 8 rounds; 32 rounds of randomised back-off last at most ~6 s.
    static let maxAppendAttempts = 32
    /// A half-created release (tags but no index) older than this is a leftover of an interrupted `create`, which a
    /// new `create` may clear; a younger one is someone else's `create` in progress.
    static let abandonedCreateSeconds: Int64 = 120
    /// An event after the audit head for this long is taken as left by a writer that stopped (see `appendEvent`);
    /// tests shorten it.
    var abandonedAppendSeconds: TimeInterval {
        get { abandonedAppend.withLockedValue { $0 } }
        set { abandonedAppend.withLockedValue { $0 = newValue } }
    }
    private let abandonedAppend = NIOLockedValueBox<TimeInterval>(10)
    /// How long an append waits for other writers' events before giving up.
    static let appendWaitSeconds: TimeInterval = 30
    /// Highest version `create` registers placeholders up to.
    static let placeholderLimit = 100

    struct Location: Hashable, Sendable {
        var model: String
        var version: String
        var place: String { "model '\(model)' version \(version)" }
    }

    /// Connects to the MLflow server of `options`, reading credentials from `environment`. Throws
    /// `MLflowConfigurationError` when a needed variable is unset or the URL or CA file is unusable; no request is
    /// sent until the first call.
    public init(options: MLflowOptions, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.options = options
        let credentials = try options.credentials(environment: environment)
        let connection: HTTPConnection
        do {
            connection = try HTTPConnection(baseURL: options.url, credentials: credentials, timeout: options.timeout, tls: options.tls,
                                            headers: try options.headerFields(environment: environment))
        } catch let error as HTTPError {
            throw MLflowConfigurationError(error.description)
        }
        rest = MLflowREST(connection: connection,
                          errors: MLflowErrorMapper(server: options.displayURL, credentials: credentials,
                                                    variables: options.credentialVariables(for: credentials),
                                                    secrets: connection.secretForms))
    }

    // MARK: Reading

    public func releaseSlugs() throws -> [String] {
        let models = try rest.searchRegisteredModels(filter: "tags.`\(MLflowTagLayout.managedKey)` = 'true'",
                                                     doing: "listing the models that hold releases")
        var found: [String: Location] = [:]
        for model in models.sorted(by: { $0.name < $1.name }) {
            for tag in model.tags ?? [] where tag.key.hasPrefix(MLflowTagLayout.indexPrefix) && !tag.value.isEmpty {
                let slug = String(tag.key.dropFirst(MLflowTagLayout.indexPrefix.count))
                guard MLflowTagLayout.slugProblem(slug) == nil, found[slug] == nil else { continue }
                found[slug] = Location(model: model.name, version: tag.value)
            }
        }
        locations.withLockedValue { $0.merge(found) { $1 } }
        return found.keys.sorted()
    }

    public func release(_ slug: String) throws -> Release? {
        guard let (location, tags) = try load(slug) else { return nil }
        guard let release = try tags.release() else {
            throw RegistryError.unavailable("release '\(slug)' is listed on model '\(location.model)' but its spec tags "
                                            + "(\(MLflowTagLayout.specCountKey(slug)), …) are missing from \(location.place)")
        }
        return release
    }

    public func state(_ slug: String) throws -> RolloutState? {
        guard let (location, tags) = try load(slug) else { return nil }
        return try Self.currentState(tags, slug: slug, location: location)
    }

    public func auditEvents(release: String?) throws -> [AuditEvent] {
        if let slug = release {
            guard let (_, tags) = try load(slug) else { return [] }
            return tags.events()
        }
        var all: [AuditEvent] = []
        for slug in try releaseSlugs() {
            guard let (_, tags) = try load(slug) else { continue }
            all += tags.events()
        }
        return all.sorted { ($0.time, $0.release, $0.id ?? 0) < ($1.time, $1.release, $1.id ?? 0) }
    }

    // MARK: Audit chain

    public func auditedReleases() throws -> [String] { try releaseSlugs() }

    public func auditTrail(release: String) throws -> AuditTrail {
        guard let (_, tags) = try load(release) else { throw RegistryError.unknownRelease(release) }
        return tags.auditTrail()
    }

    // MARK: Writing

    public func create(_ release: Release, state: RolloutState, event: AuditEvent) throws {
        let slug = release.slug
        if let problem = MLflowTagLayout.slugProblem(slug) {
            throw RegistryError.unavailable("release '\(slug)' cannot be stored in MLflow: \(problem)")
        }
        guard let champion = Self.mlflowVersion(release.championVersion),
              let challenger = Self.mlflowVersion(release.challengerVersion),
              let serving = Self.mlflowVersion(state.champion(of: release)) else {
            throw RegistryError.unavailable("release '\(slug)' names champion '\(release.championVersion)' and challenger "
                                            + "'\(release.challengerVersion)', but MLflow model versions are whole numbers (1, 2, 3…)")
        }
        guard state.version >= 0 else {
            throw RegistryError.unavailable("release '\(slug)' cannot start at state version \(state.version) (versions count up from 0)")
        }
        if try locate(slug, fresh: true) != nil { throw RegistryError.alreadyExists(slug) }
        let specPieces = MLflowTagLayout.chunks(try MLflowTagLayout.json(release))

        _ = try rest.createRegisteredModel(release.model, description: "Model of Gatewatch release \(slug).")
        try ensureVersions(release.model, [champion, challenger, serving], slug: slug)
        let location = Location(model: release.model, version: challenger)

        // Tags of this slug without an index: someone else's create in progress, or the leftover of an interrupted one.
        var tags = try readTags(slug, location)
        if !tags.isEmpty {
            let newest = tags.states.compactMap { try? MLflowReleaseTags.decodeState($0, place: location.place, slug: slug).writtenAt }.max() ?? 0
            if Self.now() - newest < Self.abandonedCreateSeconds { throw RegistryError.alreadyExists(slug) }
            for key in tags.keys { try rest.deleteModelVersionTag(location.model, location.version, key: key) }
        }

        // Claim the initial state; a rival create that claimed it too means the release is being created elsewhere.
        let token = MLflowTagLayout.newToken()
        let stateKey = MLflowTagLayout.stateKey(slug, version: state.version, token: token)
        try rest.setModelVersionTag(location.model, location.version, key: stateKey,
                                    value: try MLflowTagLayout.json(MLflowTagLayout.StoredState(state: state, writtenAt: Self.now())))
        tags = try readTags(slug, location)
        if !tags.stateRivals(version: .min, token: token).isEmpty {
            try? rest.deleteModelVersionTag(location.model, location.version, key: stateKey)
            throw RegistryError.alreadyExists(slug)
        }

        for (index, piece) in specPieces.enumerated() {
            try rest.setModelVersionTag(location.model, location.version, key: MLflowTagLayout.specKey(slug, index), value: piece)
        }
        try rest.setModelVersionTag(location.model, location.version, key: MLflowTagLayout.specCountKey(slug),
                                    value: String(specPieces.count))
        var start = event
        start.release = slug
        _ = try appendEvent(start, slug: slug, location: location, tags: tags)
        try rest.setAlias(release.model, alias: MLflowTagLayout.championAlias, version: serving)
        try rest.setAlias(release.model, alias: MLflowTagLayout.challengerAlias, version: challenger)
        try rest.setRegisteredModelTag(release.model, key: MLflowTagLayout.managedKey, value: "true")
        try rest.setRegisteredModelTag(release.model, key: MLflowTagLayout.indexKey(slug), value: challenger)
        locations.withLockedValue { $0[slug] = location }
    }

    public func transition(_ slug: String, expectedVersion: Int64, to newState: RolloutState, event: AuditEvent) throws {
        guard let (location, firstRead) = try load(slug) else { throw RegistryError.unknownRelease(slug) }
        var tags = firstRead
        var next = newState
        next.version = expectedVersion + 1
        let token = MLflowTagLayout.newToken()
        let key = MLflowTagLayout.stateKey(slug, version: next.version, token: token)
        let value = try MLflowTagLayout.json(MLflowTagLayout.StoredState(state: next, writtenAt: Self.now()))

        var previous: RolloutState? = nil
        for attempt in 0..<Self.maxAttempts {
            var current = try Self.currentState(tags, slug: slug, location: location)
            if current.version != expectedVersion && attempt > 0 {
                // After a withdrawal the rival seen may be withdrawing too: look once more before calling it a win.
                Self.pause(attempt)
                tags = try readTags(slug, location)
                current = try Self.currentState(tags, slug: slug, location: location)
            }
            guard current.version == expectedVersion else {
                throw RegistryError.conflict(release: slug, expected: expectedVersion, found: current.version)
            }
            try rest.setModelVersionTag(location.model, location.version, key: key, value: value)
            tags = try readTags(slug, location)
            if tags.stateRivals(version: next.version, token: token).isEmpty {
                previous = current
                break
            }
            do {
                try rest.deleteModelVersionTag(location.model, location.version, key: key)
            } catch {
                throw RegistryError.partial("another writer changed '\(slug)' at the same moment, and withdrawing this "
                                            + "writer's state tag \(key) failed, so the release may now be in the new state "
                                            + "without an audit event: \(Self.reason(error))")
            }
            Self.pause(attempt)
            tags = try readTags(slug, location)
        }
        guard let previous else {
            let found = (try? Self.currentState(tags, slug: slug, location: location).version) ?? expectedVersion
            throw RegistryError.conflict(release: slug, expected: expectedVersion, found: found)
        }

        // Won: the event, then the alias when the serving champion changed.
        try appendOrWithdraw(event, stateKey: key, version: next.version, slug: slug, location: location, tags: tags)
        if next.servingChampion != previous.servingChampion {
            try moveChampionAlias(to: next, slug: slug, location: location, tags: tags)
        }
    }

    /// Writes a sound state over a damaged one (`RegistryError.damagedState`), at a version above every state tag of
    /// the release so that every reader takes it, then its event and the champion alias the new state serves. A
    /// rival state tag written at the same moment wins (this one is withdrawn, `conflict`); a readable state is left
    /// alone.
    public func replaceDamagedState(_ slug: String, with newState: RolloutState, event: AuditEvent) throws {
        guard let (location, firstRead) = try load(slug) else { throw RegistryError.unknownRelease(slug) }
        do {
            _ = try Self.currentState(firstRead, slug: slug, location: location)
            throw RegistryError.unavailable("the rollout state of '\(slug)' is not damaged; it changes only by a checked transition")
        } catch RegistryError.damagedState {
            let top = firstRead.states.last?.version ?? 0
            var next = newState
            next.version = top + 1
            let token = MLflowTagLayout.newToken()
            let key = MLflowTagLayout.stateKey(slug, version: next.version, token: token)
            try rest.setModelVersionTag(location.model, location.version, key: key,
                                        value: try MLflowTagLayout.json(MLflowTagLayout.StoredState(state: next, writtenAt: Self.now())))
            let tags = try readTags(slug, location)
            if let rival = tags.stateRivals(version: next.version, token: token).first {
                try? rest.deleteModelVersionTag(location.model, location.version, key: key)
                throw RegistryError.conflict(release: slug, expected: top, found: rival.version)
            }
            try appendOrWithdraw(event, stateKey: key, version: next.version, slug: slug, location: location, tags: tags)
            try moveChampionAlias(to: next, slug: slug, location: location, tags: tags)
        }
    }

    /// Appends `event` for a state just written under `stateKey`; when the event cannot be written the state is
    /// withdrawn (a state without its audit event would be a change nobody can account for), and the error says
    /// which of the two happened.
    private func appendOrWithdraw(_ event: AuditEvent, stateKey key: String, version: Int64, slug: String, location: Location,
                                  tags: MLflowReleaseTags) throws {
        var record = event
        record.release = slug
        do {
            _ = try appendEvent(record, slug: slug, location: location, tags: tags)
        } catch RegistryError.partial(let what) {
            // The event is stored but unconfirmed and will be adopted: keep the state it records.
            throw RegistryError.partial("the state of '\(slug)' changed to version \(version); \(what)")
        } catch {
            let eventError = Self.reason(error)
            do {
                try rest.deleteModelVersionTag(location.model, location.version, key: key)
            } catch {
                throw RegistryError.partial("the state of '\(slug)' changed to version \(version), but its audit event could "
                                            + "not be written (\(eventError)) and withdrawing the state failed too (\(Self.reason(error))); "
                                            + "look at the release before acting again")
            }
            throw RegistryError.unavailable("the state change was withdrawn because its audit event could not be written: "
                                            + eventError)
        }
    }

    /// Points the champion alias at the version `state` serves (after its state and event are stored).
    private func moveChampionAlias(to state: RolloutState, slug: String, location: Location, tags: MLflowReleaseTags) throws {
        do {
            guard let spec = try tags.release() else {
                throw RegistryError.unavailable("the spec tags of '\(slug)' are missing from \(location.place)")
            }
            let target = state.champion(of: spec)
            guard let version = Self.mlflowVersion(target) else {
                throw RegistryError.unavailable("champion '\(target)' is not an MLflow version number")
            }
            try rest.setAlias(location.model, alias: MLflowTagLayout.championAlias, version: version)
        } catch {
            throw RegistryError.partial("the state of '\(slug)' changed to version \(state.version) and was audited, "
                                        + "but the '\(MLflowTagLayout.championAlias)' alias of model '\(location.model)' "
                                        + "could not be moved: \(Self.reason(error)); move it by hand or act again")
        }
    }

    public func append(_ event: AuditEvent) throws {
        guard let (location, tags) = try load(event.release) else { throw RegistryError.unknownRelease(event.release) }
        _ = try appendEvent(event, slug: event.release, location: location, tags: tags)
    }

    /// The check runs inside the append's own loop, on the events the chain head confirms, each time the append
    /// (re)starts: a rival that wins the same sequence number makes this writer withdraw and look again, and then
    /// it finds the rival's event.
    public func append(_ event: AuditEvent, unlessCoveredBy prior: @Sendable ([AuditEvent]) -> AuditEvent?) throws -> AuditEvent? {
        guard let (location, tags) = try load(event.release) else { throw RegistryError.unknownRelease(event.release) }
        do {
            _ = try withoutActuallyEscaping(prior) { check in
                try appendEvent(event, slug: event.release, location: location, tags: tags, unlessCoveredBy: check)
            }
            return nil
        } catch let covered as Covered {
            return covered.event
        }
    }

    /// Thrown inside `appendEvent` when `unlessCoveredBy` finds the event already covered.
    private struct Covered: Error { var event: AuditEvent }

    // MARK: Helpers

    /// Writes `event` as the next link of the release's audit chain and returns its sequence number (the event's id).
    ///
    /// The chain needs each event to point at a settled predecessor, so an append waits while another writer's
    /// event is after the head (written but not yet confirmed by moving the head). Then: write the event at the
    /// head's sequence + 1 pointing at the head's hash, re-read, and, with no rival at that number and the head
    /// unchanged, move the head to it; on a rival, withdraw and retry as before. An event left after the head for
    /// `abandonedAppendSeconds` (its writer stopped between the two writes) is adopted when it continues the chain,
    /// else removed (it was never confirmed to anyone).
    private func appendEvent(_ event: AuditEvent, slug: String, location: Location, tags start: MLflowReleaseTags,
                             unlessCoveredBy prior: (@Sendable ([AuditEvent]) -> AuditEvent?)? = nil) throws -> Int64 {
        let token = MLflowTagLayout.newToken()
        var tags = start
        var collisions = 0
        var waiting: (keys: [String], since: Date)? = nil
        let deadline = Date().addingTimeInterval(Self.appendWaitSeconds)
        while true {
            if tags.needsChainUpgrade {
                try chainLegacyEvents(slug, location, tags)
                tags = try readTags(slug, location)
                continue
            }
            let head = try tags.chainHead()
            let pending = tags.audits.filter { $0.sequence > head.sequence }
            if !pending.isEmpty {
                let keys = pending.map(\.key)
                if waiting?.keys != keys {
                    waiting = (keys, Date())
                } else if let since = waiting?.since, Date().timeIntervalSince(since) >= abandonedAppendSeconds {
                    try settleAbandoned(pending, after: head, slug: slug, location: location)
                    waiting = nil
                }
                guard Date() < deadline else {
                    throw RegistryError.unavailable("could not append an audit event to '\(slug)' on \(location.place): another writer's "
                                                    + "event (\(keys.joined(separator: ", "))) stayed unconfirmed for \(Int(Self.appendWaitSeconds)) s; try again")
                }
                Thread.sleep(forTimeInterval: 0.01)
                tags = try readTags(slug, location)
                continue
            }
            waiting = nil
            // Every event is confirmed by the head here: the check sees all that any writer has appended.
            if let prior, let covering = prior(tags.events()) { throw Covered(event: covering) }
            let sequence = head.sequence + 1
            let (value, link) = try MLflowTagLayout.auditValue(event, after: head)
            let key = MLflowTagLayout.auditKey(slug, sequence: sequence, token: token)
            try rest.setModelVersionTag(location.model, location.version, key: key, value: value)
            tags = try readTags(slug, location)
            if tags.auditRivals(sequence: sequence, token: token).isEmpty, (try? tags.chainHead()) == head {
                let moved = MLflowTagLayout.StoredHead(count: link.position, hash: link.hash, sequence: sequence)
                do {
                    try rest.setModelVersionTag(location.model, location.version, key: MLflowTagLayout.auditHeadKey(slug),
                                                value: try MLflowTagLayout.json(moved))
                } catch {
                    // An event the head does not confirm would be adopted later, although the caller is told the
                    // append failed (and a transition undoes its state): withdraw it.
                    let headError = Self.reason(error)
                    do {
                        try rest.deleteModelVersionTag(location.model, location.version, key: key)
                    } catch {
                        throw RegistryError.partial("the audit event \(key) was written but the chain head could not be moved "
                                                    + "(\(headError)) nor the event withdrawn (\(Self.reason(error))); the next "
                                                    + "append adopts it")
                    }
                    throw RegistryError.unavailable("the chain head could not be moved, so the audit event was withdrawn: \(headError)")
                }
                return sequence
            }
            try rest.deleteModelVersionTag(location.model, location.version, key: key)
            collisions += 1
            guard collisions < Self.maxAppendAttempts else {
                throw RegistryError.unavailable("could not append an audit event to '\(slug)' on \(location.place): other writers "
                                                + "took every sequence number tried (\(Self.maxAppendAttempts) attempts); try again")
            }
            Self.pause(collisions - 1)
            tags = try readTags(slug, location)
        }
    }

    /// Confirms or removes events left after the head by writers that stopped between the event and the head: the
    /// run of single events that continue the chain is adopted (the head moves to its end), other events Gatewatch
    /// wrote are removed, and tags it cannot read (which it never writes) are kept for `audit verify` to report and
    /// stepped over.
    private func settleAbandoned(_ pending: [MLflowReleaseTags.AuditEntry], after start: MLflowTagLayout.StoredHead,
                                 slug: String, location: Location) throws {
        var head = start
        var continuing = true
        for sequence in Set(pending.map(\.sequence)).sorted() {
            let group = pending.filter { $0.sequence == sequence }
            if continuing, group.count == 1, let stored = MLflowReleaseTags.storedEvent(group[0]), let link = stored.link,
               link.position == head.count + 1, link.previousHash == head.hash,
               AuditChain.hash(stored.event, position: link.position, previousHash: link.previousHash) == link.hash {
                head = MLflowTagLayout.StoredHead(count: link.position, hash: link.hash, sequence: sequence)
                continue
            }
            continuing = false
            for entry in group {
                if MLflowReleaseTags.storedEvent(entry) == nil {
                    head.sequence = max(head.sequence, entry.sequence)
                } else {
                    try rest.deleteModelVersionTag(location.model, location.version, key: entry.key)
                }
            }
        }
        if head != start {
            try rest.setModelVersionTag(location.model, location.version, key: MLflowTagLayout.auditHeadKey(slug), value: try MLflowTagLayout.json(head))
        }
    }

    /// Chains the events of a release written before the hash chain, in sequence order: each tag is rewritten with its
    /// chain fields (the same values whoever does it, so two writers doing it at once agree), then the head is written.
    private func chainLegacyEvents(_ slug: String, _ location: Location, _ tags: MLflowReleaseTags) throws {
        var head = MLflowTagLayout.StoredHead.empty
        for entry in tags.audits {
            guard let stored = MLflowReleaseTags.storedEvent(entry) else { continue }
            let (value, link) = try MLflowTagLayout.auditValue(stored.event, after: head)
            try rest.setModelVersionTag(location.model, location.version, key: entry.key, value: value)
            head = MLflowTagLayout.StoredHead(count: link.position, hash: link.hash, sequence: entry.sequence)
        }
        // Unreadable tags stay (verify reports them); appends go after them.
        head.sequence = max(head.sequence, tags.lastSequence)
        try rest.setModelVersionTag(location.model, location.version, key: MLflowTagLayout.auditHeadKey(slug), value: try MLflowTagLayout.json(head))
    }

    /// Where release `slug` lives: from the cache unless `fresh`, else by searching for its index tag.
    func locate(_ slug: String, fresh: Bool = false) throws -> Location? {
        guard MLflowTagLayout.slugProblem(slug) == nil else { return nil }
        if !fresh, let cached = locations.withLockedValue({ $0[slug] }) { return cached }
        let key = MLflowTagLayout.indexKey(slug)
        let models = try rest.searchRegisteredModels(filter: "tags.`\(key)` != ''", doing: "looking up release '\(slug)'")
        let hits = models.compactMap { model -> Location? in
            guard let version = model.tag(key), !version.isEmpty else { return nil }
            return Location(model: model.name, version: version)
        }.sorted { $0.model < $1.model }
        locations.withLockedValue { $0[slug] = hits.first }
        return hits.first
    }

    /// The location and tags of release `slug`, or nil when no model lists it.
    private func load(_ slug: String) throws -> (Location, MLflowReleaseTags)? {
        for fresh in [false, true] {
            guard let location = try locate(slug, fresh: fresh) else { return nil }
            if let version = try rest.modelVersion(location.model, location.version) {
                return (location, MLflowReleaseTags(slug: slug, place: location.place, tags: version.tags ?? []))
            }
            locations.withLockedValue { _ = $0.removeValue(forKey: slug) }
            if fresh {
                throw RegistryError.unavailable("release '\(slug)' is listed on model '\(location.model)' (tag "
                                                + "\(MLflowTagLayout.indexKey(slug))), but \(location.place) no longer exists")
            }
        }
        return nil
    }

    private func readTags(_ slug: String, _ location: Location) throws -> MLflowReleaseTags {
        guard let version = try rest.modelVersion(location.model, location.version) else {
            throw RegistryError.unavailable("\(location.place), which holds release '\(slug)', no longer exists")
        }
        return MLflowReleaseTags(slug: slug, place: location.place, tags: version.tags ?? [])
    }

    private static func currentState(_ tags: MLflowReleaseTags, slug: String, location: Location) throws -> RolloutState {
        guard let state = try tags.state() else {
            throw RegistryError.unavailable("release '\(slug)' has no state tag (\(MLflowTagLayout.prefix(slug))state.…) on \(location.place)")
        }
        return state
    }

    /// Makes versions `needed` of `model` exist, registering placeholders up to the highest one.
    private func ensureVersions(_ model: String, _ needed: [String], slug: String) throws {
        var missing = Set(try Set(needed).filter { try rest.modelVersion(model, $0) == nil }.compactMap { Int($0) })
        guard let highest = missing.max() else { return }
        guard highest <= Self.placeholderLimit else {
            throw RegistryError.unavailable("model '\(model)' has no version \(highest): register it in MLflow first "
                                            + "(Gatewatch registers placeholder versions only up to \(Self.placeholderLimit))")
        }
        let encoded = [model, slug].map { $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "model" }
        let source = "gatewatch://placeholder/\(encoded[0])/\(encoded[1])"
        for _ in 0..<Self.placeholderLimit {
            let created: MLflowREST.ModelVersion
            do {
                created = try rest.createModelVersion(model, source: source,
                                                      description: "Placeholder registered by Gatewatch for release \(slug); no artifacts.")
            } catch {
                throw RegistryError.unavailable("model '\(model)' lacks version(s) \(missing.sorted().map(String.init).joined(separator: ", ")) "
                                                + "and registering a placeholder failed: \(Self.reason(error)); register the versions in MLflow first")
            }
            guard let number = Int(created.version) else {
                throw RegistryError.unavailable("MLflow numbered a new version of '\(model)' '\(created.version)', not a whole number")
            }
            missing.remove(number)
            if missing.isEmpty { return }
            // Versions come in increasing order: a missing number below this one will never be created.
            if number >= highest || missing.contains(where: { $0 < number }) { break }
        }
        throw RegistryError.unavailable("model '\(model)' has no version(s) \(missing.sorted().map(String.init).joined(separator: ", ")), "
                                        + "and MLflow cannot create them: it numbers versions itself and never reuses a deleted one")
    }

    /// `text` as MLflow spells a version number ("8"), or nil when it is not a positive whole number.
    static func mlflowVersion(_ text: String) -> String? {
        guard let n = Int(text.trimmingCharacters(in: .whitespaces)), n > 0 else { return nil }
        return String(n)
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    /// A random back-off that grows with the attempt: 15–45 ms, then 30–90 ms, …
    static func pause(_ attempt: Int) {
        let scale = Double(min(attempt, 5) + 1)
        Thread.sleep(forTimeInterval: Double.random(in: 0.015...0.045) * scale)
    }

    static func reason(_ error: Error) -> String {
        if case RegistryError.unavailable(let why) = error { return why }
        return "\(error)"
    }
}
