import Crypto
import Foundation
import GatewatchCore

/// The hash chain over a release's audit events: each event stores its position in the release's log (1, 2, 3…),
/// the hash of the event before it (`genesis` for the first) and its own hash, SHA-256 over `encoding(_:)`.
/// Changing, removing or reordering a stored event therefore breaks the chain at that point, and the head
/// (count and newest hash, kept beside the events) shows when the newest events were removed.
public enum AuditChain {
    /// The previous hash of a release's first event: 64 zeros.
    public static let genesis = String(repeating: "0", count: 64)

    /// Names the encoding, so that a future change of fields cannot produce the hash of an older encoding.
    static let domain = "gatewatch.audit.v1"
    /// The encoding of an event with a display name (`AuditEvent.actorDisplay`): v1's fields with the display name
    /// after the actor. Events without one keep v1, so logs written before display names verify unchanged.
    static let displayDomain = "gatewatch.audit.v2"

    /// The bytes that are hashed: the domain, then release, time, actor, role, kind, reason, from-state, to-state,
    /// position and previous hash, each as its UTF-8 bytes (numbers in decimal, role and kind as stored) preceded by
    /// their count as an 8-byte big-endian integer. Every field is length-prefixed, so no two different events
    /// encode the same. The event's id is not part of it (it is where the store keeps the event, not what happened).
    public static func encoding(_ event: AuditEvent, position: Int64, previousHash: String) -> [UInt8] {
        var fields = [domain, event.release, String(event.time), event.actor, event.role.rawValue, event.kind.rawValue,
                      event.reason, event.fromState, event.toState, String(position), previousHash]
        if let display = event.actorDisplay {
            fields[0] = displayDomain
            fields.insert(display, at: 4)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(fields.reduce(0) { $0 + 8 + $1.utf8.count })
        for field in fields {
            let count = UInt64(field.utf8.count)
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: count >> UInt64(shift))) }
            bytes.append(contentsOf: field.utf8)
        }
        return bytes
    }

    /// The event's hash: SHA-256 of `encoding(_:)`, as 64 lowercase hex digits.
    public static func hash(_ event: AuditEvent, position: Int64, previousHash: String) -> String {
        let digest = SHA256.hash(data: encoding(event, position: position, previousHash: previousHash))
        return digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// The link for `event` appended after `head` (nil: the release has no event yet).
    public static func link(_ event: AuditEvent, after head: AuditHead?) -> AuditLink {
        let position = (head?.count ?? 0) + 1
        let previous = head?.hash ?? genesis
        return AuditLink(position: position, previousHash: previous, hash: hash(event, position: position, previousHash: previous))
    }

    /// Links for events already stored in order (an upgrade of a log written before the chain), and the head after them.
    public static func links(_ events: [AuditEvent]) -> (links: [AuditLink], head: AuditHead?) {
        var head: AuditHead? = nil
        var links: [AuditLink] = []
        for event in events {
            let link = link(event, after: head)
            links.append(link)
            head = AuditHead(count: link.position, hash: link.hash)
        }
        return (links, head)
    }
}
