/// Where releases, their rollout state and the audit log live (embedded SQLite or an MLflow Model Registry).
public protocol Registry: Sendable {
    /// Slugs of every known release.
    func releaseSlugs() throws -> [String]
    func release(_ slug: String) throws -> Release?
    func state(_ slug: String) throws -> RolloutState?
    /// Stores a new release with its initial state and a `start` audit event.
    func create(_ release: Release, state: RolloutState, event: AuditEvent) throws
    /// Moves a release to `newState` if its state version is still `expectedVersion`, appending `event` in the same
    /// transaction. Throws `RegistryError.conflict` when someone else changed the state first.
    func transition(_ slug: String, expectedVersion: Int64, to newState: RolloutState, event: AuditEvent) throws
    /// Appends an event that changes no state (note, acknowledgement, refusal).
    func append(_ event: AuditEvent) throws
    /// Appends `event` unless `prior`, given the release's stored events, names one that already covers it (a
    /// second acknowledgement of the same episode); returns that event, or nil when `event` was appended. The check
    /// and the append are one step: two writers racing append one event between them.
    func append(_ event: AuditEvent, unlessCoveredBy prior: @Sendable ([AuditEvent]) -> AuditEvent?) throws -> AuditEvent?
    /// Audit events in order, optionally for one release.
    func auditEvents(release: String?) throws -> [AuditEvent]
    /// Why nothing may be written, when the registry was opened read-only; nil when it can be written.
    var readOnlyReason: String? { get }
    /// Replaces a state `state` reports as damaged (`RegistryError.damagedState`) by `newState`, appending `event` in
    /// the same transaction; a readable state is left alone (`RegistryError.conflict`).
    func replaceDamagedState(_ slug: String, with newState: RolloutState, event: AuditEvent) throws
    /// Who this process is to the registry and which role it holds on `release` (nil: the registry's default).
    func identity(release: String?) throws -> Identity
}

extension Registry {
    public var readOnlyReason: String? { nil }

    /// For a registry that cannot do better: the check, then the append (two writers racing may both append).
    /// The embedded store and MLflow make it one step.
    public func append(_ event: AuditEvent, unlessCoveredBy prior: @Sendable ([AuditEvent]) -> AuditEvent?) throws -> AuditEvent? {
        if let covering = prior(try auditEvents(release: event.release)) { return covering }
        try append(event)
        return nil
    }

    /// A registry that keeps no roles proves nobody: a viewer.
    public func identity(release: String?) throws -> Identity {
        Identity(name: SystemUser.current, role: nil, source: "this registry keeps no roles", verified: false)
    }

    public func replaceDamagedState(_ slug: String, with newState: RolloutState, event: AuditEvent) throws {
        throw RegistryError.unavailable("this registry cannot replace the damaged state of '\(slug)'")
    }
}

/// Failures of a registry write or read, with messages fit for the status line.
public enum RegistryError: Error, CustomStringConvertible, Equatable {
    case unknownRelease(String)
    case alreadyExists(String)
    case conflict(release: String, expected: Int64, found: Int64)
    case unavailable(String)
    /// A write that could be made only in part and not undone (a registry without transactions); the words say
    /// what was changed and what was not.
    case partial(String)
    /// A stored state no writer produces (a stage outside the spec, a time or version out of range): `problem` names
    /// the field and its value.
    case damagedState(release: String, problem: String)
    /// The registry was opened read-only; the words say why.
    case readOnly(String)
    /// The user may not do this (a role change by a non-owner, a write the server refused as not permitted).
    case forbidden(String)

    public var description: String {
        switch self {
        case .unknownRelease(let s): return "unknown release '\(s)'"
        case .alreadyExists(let s): return "release '\(s)' already exists"
        case .conflict(let s, let e, let f): return "release '\(s)' was changed by someone else (state version \(f), expected \(e)); reload and try again"
        case .unavailable(let why): return "registry unavailable: \(why)"
        case .partial(let what): return "registry changed only in part: \(what)"
        case .damagedState(let s, let problem):
            return "the rollout state of release '\(s)' is damaged: \(problem); a rollback (gatewatch rollback) replaces it from the spec"
        case .readOnly(let why): return why
        case .forbidden(let why): return "not permitted: \(why)"
        }
    }
}
