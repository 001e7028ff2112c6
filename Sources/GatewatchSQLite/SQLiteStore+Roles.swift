import Foundation
import GRDB
import GatewatchCore
import GatewatchAudit

/// Roles of an embedded store, bound to operating-system users: the user who owns the store file when roles first
/// exist in it (its creator) is its owner; owners grant and revoke the others' roles. Every change is an event of
/// the store's own log, `role_event` (kinds `grant`/`revoke`, release `AuditEvent.storeLog`), hash-chained like a
/// release's audit log with its head in `role_head`; `role_grant` is what those events leave, and `verifyRoles`
/// checks the chain, replays it and names any row that disagrees.
///
/// What a local file can guarantee: the user is the kernel's (not `$USER`), so a process cannot act under another
/// user's name through Gatewatch. It cannot stop someone who may write the file from editing it with sqlite3; the
/// hash chain and `gatewatch audit verify` make such an edit evident, not impossible.
extension SQLiteStore {
    /// One user's role.
    public struct RoleGrant: Equatable, Sendable {
        public var user: String
        public var role: Role
    }

    /// The identity of this process's user on the store.
    public func identity(release: String?) throws -> Identity {
        let role = try writer.read { db in
            try String.fetchOne(db, sql: "SELECT role FROM role_grant WHERE user = ?", arguments: [processUser]).flatMap(Role.init(rawValue:))
        }
        return Identity(name: processUser, role: role, source: role == nil ? "no grant on this store" : "store grant", verified: true,
                        note: role == nil ? "ask an owner: gatewatch roles grant \(processUser) oncall" : nil)
    }

    /// Every grant, owners first.
    public func roleGrants() throws -> [RoleGrant] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT user, role FROM role_grant").compactMap { row in
                Role(rawValue: row["role"]).map { RoleGrant(user: row["user"], role: $0) }
            }
        }.sorted { ($0.role.rank, $1.user) > ($1.role.rank, $0.user) }
    }

    /// Gives `user` `role` (replacing the one they had); the caller must be an owner. Throws `RegistryError.forbidden`
    /// when not, and when it would leave the store without an owner.
    public func grant(_ user: String, role: Role?, reason: String, at time: Timestamp) throws {
        guard role != .controller else { throw RegistryError.forbidden("the controller role is the rollout's own; it cannot be granted") }
        let who = processUser
        try writeRoles { db in
            let current = try Self.grants(db)
            guard current[who] == .owner else {
                throw RegistryError.forbidden("only an owner of the store may change roles; \(who) is \(current[who]?.rawValue ?? "a viewer (no grant)")")
            }
            let before = current[user]
            if before == role { return }
            if before == .owner, role != .owner, current.values.filter({ $0 == .owner }).count == 1 {
                throw RegistryError.forbidden("\(user) is the store's last owner; grant another owner first")
            }
            try Self.record(user: user, from: before, to: role, by: who, reason: reason, at: time, db)
        }
    }

    /// Takes `user`'s role away (they become a viewer).
    public func revoke(_ user: String, reason: String, at time: Timestamp) throws {
        try grant(user, role: nil, reason: reason, at: time)
    }

    /// Roles appear the first time a writer opens a store that has none: the owner of the file (its creator, for a
    /// new store) becomes its owner, recorded as the store log's first event.
    func seedFirstOwner() throws {
        guard readOnlyReason == nil else { return }
        let owner = storePath.flatMap(SystemUser.owner(of:)) ?? processUser
        try writeRoles { db in
            let seeded = try Bool.fetchOne(db, sql: "SELECT 1 FROM role_head") ?? false
            guard !seeded else { return }
            try Self.record(user: owner, from: nil, to: .owner, by: owner, reason: "owner of the store file, the store's first owner",
                            at: Timestamp(Date().timeIntervalSince1970), db)
        }
    }

    /// Checks the role log's chain, replays its grant and revoke events and compares them with `role_grant`; the
    /// problem is nil when all agree, else the first disagreement.
    public func verifyRoles() throws -> (events: Int, problem: String?) {
        try writer.read { db in
            let trail = try Self.roleTrail(db)
            if case .broken(let why) = AuditVerifier.verify(trail).outcome { return (trail.records.count, "the role log is broken: \(why)") }
            var replay: [String: Role] = [:]
            for (i, record) in trail.records.enumerated() {
                guard let e = record.event, e.kind == .grant || e.kind == .revoke, let (user, role) = Self.parse(e.toState) else {
                    return (trail.records.count, "role event \(i + 1) cannot be read")
                }
                replay[user] = role
            }
            let table = try Self.grants(db)
            for user in Set(replay.keys).union(table.keys).sorted() where replay[user] != table[user] {
                return (trail.records.count, "role_grant says \(user) is \(table[user]?.rawValue ?? "nobody"), the role events say \(replay[user]?.rawValue ?? "nobody"): the table was edited outside Gatewatch")
            }
            return (trail.records.count, nil)
        }
    }

    /// The role log with its chain fields and head, as `AuditVerifier` reads a release's.
    static func roleTrail(_ db: Database) throws -> AuditTrail {
        let records = try Row.fetchAll(db, sql: "SELECT * FROM role_event ORDER BY id").map { row -> AuditRecord in
            let readable = Role(rawValue: row["role"]) != nil && AuditKind(rawValue: row["kind"]) != nil
            let event = AuditEvent(id: row["id"], release: AuditEvent.storeLog, time: row["time"], actor: row["actor"],
                                   role: Role(rawValue: row["role"]) ?? .reviewer, kind: AuditKind(rawValue: row["kind"]) ?? .note,
                                   reason: row["reason"], fromState: row["from_state"], toState: row["to_state"])
            let link = AuditLink(position: row["position"], previousHash: row["prev_hash"], hash: row["hash"])
            return AuditRecord(event: readable ? event : nil, link: link, location: "role_event id \(row["id"] as Int64)")
        }
        let head = try Row.fetchOne(db, sql: "SELECT count, hash FROM role_head").map { AuditHead(count: $0["count"], hash: $0["hash"]) }
        return AuditTrail(release: AuditEvent.storeLog, records: records, head: head, eventsAfterHeadMayBePending: false)
    }

    /// The role log's events, oldest first.
    public func roleEvents() throws -> [AuditEvent] {
        try writer.read { db in try Self.roleTrail(db).records.compactMap(\.event) }
    }

    private func writeRoles(_ body: (Database) throws -> Void) throws {
        if let readOnlyReason { throw RegistryError.readOnly(readOnlyReason) }
        try writer.write(body)
    }

    static func grants(_ db: Database) throws -> [String: Role] {
        var result: [String: Role] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT user, role FROM role_grant") {
            if let role = Role(rawValue: row["role"]) { result[row["user"]] = role }
        }
        return result
    }

    /// The state words of a role event: "ana=oncall", "ana=none".
    static func words(_ user: String, _ role: Role?) -> String { "\(user)=\(role?.rawValue ?? "none")" }

    static func parse(_ words: String) -> (String, Role?)? {
        guard let equals = words.lastIndex(of: "=") else { return nil }
        let user = String(words[..<equals]), role = String(words[words.index(after: equals)...])
        if role == "none" { return (user, nil) }
        return Role(rawValue: role).map { (user, $0) }
    }

    static func record(user: String, from before: Role?, to role: Role?, by actor: String, reason: String, at time: Timestamp, _ db: Database) throws {
        if let role {
            try db.execute(sql: "INSERT INTO role_grant(user, role) VALUES (?, ?) ON CONFLICT(user) DO UPDATE SET role = excluded.role",
                           arguments: [user, role.rawValue])
        } else {
            try db.execute(sql: "DELETE FROM role_grant WHERE user = ?", arguments: [user])
        }
        let e = AuditEvent(release: AuditEvent.storeLog, time: time, actor: actor, role: .owner, kind: role == nil ? .revoke : .grant,
                           reason: reason, fromState: words(user, before), toState: words(user, role))
        let head = try Row.fetchOne(db, sql: "SELECT count, hash FROM role_head").map { AuditHead(count: $0["count"], hash: $0["hash"]) }
        let link = AuditChain.link(e, after: head)
        try db.execute(sql: """
            INSERT INTO role_event(time, actor, role, kind, reason, from_state, to_state, position, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [e.time, e.actor, e.role.rawValue, e.kind.rawValue, e.reason, e.fromState, e.toState,
                             link.position, link.previousHash, link.hash])
        try db.execute(sql: """
            INSERT INTO role_head(one, count, hash) VALUES (1, ?, ?)
            ON CONFLICT(one) DO UPDATE SET count = excluded.count, hash = excluded.hash
            """, arguments: [link.position, link.hash])
    }
}
