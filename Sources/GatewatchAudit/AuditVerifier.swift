/// Checks a release's stored audit events against their hash chain and head, and names the first place where they
/// disagree: an edited event (its hash does not match its content), a missing one (the next event points to a
/// different previous hash), events out of order, or newest events removed (fewer events than the head says).
///
/// It cannot detect a rewrite of the whole chain and the head together by someone with write access to the store:
/// the chain is tamper-evident, not tamper-proof. Recording the head hash elsewhere (it is printed by
/// `gatewatch audit verify`) turns such a rewrite into a visible mismatch too.
public enum AuditVerifier {
    public static func verify(_ trail: AuditTrail) -> AuditVerification {
        let records = trail.records
        func result(_ outcome: AuditVerification.Outcome, pending: Int = 0) -> AuditVerification {
            AuditVerification(release: trail.release, checked: records.count, headHash: trail.head?.hash, pending: pending, outcome: outcome)
        }
        if trail.head == nil, !records.isEmpty, records.allSatisfy({ $0.link == nil }) {
            return result(.unchained("\(records.count) event\(records.count == 1 ? " was" : "s were") stored before the audit chain; the next action on the release chains them"))
        }
        var expectedPrevious = AuditChain.genesis
        var expectedPosition: Int64 = 1
        for (index, record) in records.enumerated() {
            guard let event = record.event else {
                return result(.broken("event \(expectedPosition) (\(record.location)) cannot be read"))
            }
            guard let link = record.link else {
                return result(.broken("event \(expectedPosition) (\(record.location)) has no hash: its chain fields were removed"))
            }
            if AuditChain.hash(event, position: link.position, previousHash: link.previousHash) != link.hash {
                return result(.broken("event \(link.position) was edited: its hash does not match its content (\(record.location))"))
            }
            if link.position != expectedPosition {
                let laterHasExpected = records[(index + 1)...].contains { $0.link?.position == expectedPosition }
                if link.position > expectedPosition && !laterHasExpected {
                    let missing = link.position - expectedPosition
                    let which = missing == 1 ? "event \(expectedPosition) is missing" : "events \(expectedPosition)–\(link.position - 1) are missing"
                    return result(.broken("\(which): event \(link.position) points to a different previous hash"))
                }
                return result(.broken("events are out of order: event \(link.position) is stored where event \(expectedPosition) belongs (\(record.location))"))
            }
            if link.previousHash != expectedPrevious {
                return result(.broken(expectedPosition == 1
                    ? "event 1 does not start the chain: its previous hash is not the genesis value"
                    : "event \(link.position) does not follow event \(expectedPosition - 1): its previous hash is not that event's hash (event \(expectedPosition - 1) was replaced, or an event was removed and the rest renumbered)"))
            }
            expectedPrevious = link.hash
            expectedPosition = link.position + 1
        }
        let found = expectedPosition - 1
        if let problem = trail.headProblem { return result(.broken(problem)) }
        let head: AuditHead
        if let stored = trail.head {
            head = stored
        } else if records.isEmpty {
            return result(.ok)
        } else if trail.eventsAfterHeadMayBePending && found == 1 {
            head = AuditHead(count: 0, hash: AuditChain.genesis)
        } else {
            return result(.broken("the head is missing: \(found) event\(found == 1 ? "" : "s") found but no head recorded"))
        }
        if head.count > found {
            let gone = head.count - found
            return result(.broken("the newest \(gone == 1 ? "event was" : "\(gone) events were") deleted: the head says \(head.count) event\(head.count == 1 ? "" : "s"), \(found) found"))
        }
        if head.count == found {
            if head.hash != expectedPrevious {
                return result(.broken("the head hash does not match event \(found): the newest event was replaced, or the head was edited"))
            }
            return result(.ok)
        }
        // More events than the head says.
        let atHead = head.count == 0 ? AuditChain.genesis : records.first { $0.link?.position == head.count }?.link?.hash
        guard trail.eventsAfterHeadMayBePending, found - head.count == 1, atHead == head.hash else {
            return result(.broken("\(found - head.count) event\(found - head.count == 1 ? "" : "s") after the head: the head says \(head.count) event\(head.count == 1 ? "" : "s"), \(found) found"))
        }
        return result(.ok, pending: Int(found - head.count))
    }
}
