import Foundation
import GuardlineCore
import SQLKit

/// Decides, for the contacts a campaign targets, whether each may be contacted and if
/// not why. The order of the reasons is written once, in `ExclusionReason.first(of:)`;
/// this gathers the facts it turns on.
///
/// A list build reads each fact as a whole set, in one pass of its index, all in one
/// snapshot, and classifies the targeted contacts against the sets in memory. Asking
/// SQL instead (a CASE over subqueries per contact) costs a B-tree descent on a
/// 36-character key per contact per fact: 18 s for a million contacts on SQLite,
/// against well under one for the sets. One contact, at offer time, is asked in SQL.
struct Classification {
    let store: SQLStore
    let campaign: Campaign
    var consentBasis: Bool { campaign.lawfulBasis == .consent }

    /// The targeted contacts not already on the list: those that may be contacted, in id
    /// order, and how many each reason leaves off.
    struct Outcome: Sendable {
        var included: [ContactID] = []
        var excluded: [ExclusionReason: Int] = [:]
    }

    func all() async throws -> Outcome {
        let scans = self.scans
        if let embedded = store.embedded {
            let consentBasis = self.consentBasis
            return try await embedded.offload {
                try embedded.snapshot { handle in
                    var sets = FactSets(consentBasis: consentBasis)
                    for scan in scans {
                        let (sql, binds) = try embedded.statement(scan.query)
                        try handle.run(sql, binds) { cursor in
                            try scan.add(&sets, ScanRow(cursor: cursor))
                            return true
                        }
                    }
                    return sets.outcome
                }
            }
        }
        // PostgreSQL: the same scans, one repeatable-read transaction, rows through SQLKit.
        let box = FactBox(FactSets(consentBasis: consentBasis))
        return try await store.transaction { db in
            try await db.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run()
            for scan in scans {
                try await db.execute(sql: scan.query) { row in box.add(scan, ScanRow(row: row, columns: scan.columns)) }
                if let failure = box.failure { throw failure }
            }
            return box.sets.outcome
        }
    }

    /// One contact's facts, asked through its own index entries (a few lookups, not a pass
    /// over the list); nil if the contact is not there or not targeted.
    func one(_ contact: ContactID) async throws -> ListFacts? {
        let purpose = campaign.purpose, kind = self.kind
        guard let row = try await store.reads.raw("""
            SELECT CASE WHEN c.erased_at IS NULL THEN 0 ELSE 1 END AS erased,
                CASE WHEN c.restricted_at IS NULL THEN 0 ELSE 1 END AS restricted,
                CASE WHEN EXISTS (SELECT 1 FROM objection o WHERE o.org_id = c.org_id AND o.purpose = \(bind: purpose) AND o.contact_id = c.id)
                    THEN 1 ELSE 0 END AS objected,
                (SELECT decision FROM consent_event e WHERE e.org_id = c.org_id AND e.purpose = \(bind: purpose)
                    AND e.channel = \(bind: campaign.channel.rawValue) AND e.contact_id = c.id ORDER BY e.id DESC LIMIT 1) AS latest,
                CASE WHEN EXISTS (SELECT 1 FROM contact_index r WHERE r.contact_id = c.id AND r.kind = \(bind: kind)) THEN 1 ELSE 0 END AS reachable,
                CASE WHEN EXISTS (
                    SELECT 1 FROM contact_index i JOIN suppression s ON s.org_id = i.org_id AND s.kind = i.kind AND s.hash = i.hash
                    WHERE i.contact_id = c.id AND i.kind = \(bind: kind)) THEN 1 ELSE 0 END AS suppressed
            FROM contact c WHERE c.org_id = \(bind: campaign.orgID.description) AND c.id = \(bind: contact.description)\(stages)
            """).first() else { return nil }
        return ListFacts(
            erased: try row.bool("erased"), restricted: try row.bool("restricted"), objected: try row.bool("objected"),
            latest: try row.optionalString("latest").flatMap(Self.decision), reachable: try row.bool("reachable"),
            suppressed: try row.bool("suppressed"))
    }

    // MARK: The scans of a build

    /// What one pass reads and what each of its rows adds. The targeted contacts come
    /// last: every set they are classified against is complete by then.
    struct Scan: Sendable {
        let query: SQLQueryString
        let columns: [String]
        let add: @Sendable (inout FactSets, ScanRow) throws -> Void
    }

    private var scans: [Scan] {
        let org = campaign.orgID.description, kind = self.kind
        return [
            // Entries already attempted outlive a rebuild, so their contacts are not classified again. One offered
            // but not yet attempted is classified: its offer may end before the build writes (the insert then skips
            // it if it is still held).
            Scan(query: """
                SELECT contact_id FROM campaign_entry WHERE org_id = \(bind: org) AND campaign_id = \(bind: campaign.id.description) AND attempts > 0
                """, columns: ["contact_id"]) { sets, row in sets.listed.insert(try row.id(0)) },
            Scan(query: "SELECT contact_id FROM objection WHERE org_id = \(bind: org) AND purpose = \(bind: campaign.purpose)",
                 columns: ["contact_id"]) { sets, row in sets.objected.insert(try row.id(0)) },
            // In id order within each contact, so the last row of a contact is its latest decision. Event ids
            // are time-ordered (v7, from the event's own time), the order `ConsentLedger` folds them in.
            Scan(query: """
                SELECT contact_id, decision FROM consent_event
                WHERE org_id = \(bind: org) AND purpose = \(bind: campaign.purpose) AND channel = \(bind: campaign.channel.rawValue)
                ORDER BY contact_id, id
                """, columns: ["contact_id", "decision"]) { sets, row in sets.latest[try row.id(0)] = Self.decision(try row.text(1)) },
            Scan(query: "SELECT contact_id FROM contact_index WHERE org_id = \(bind: org) AND kind = \(bind: kind)",
                 columns: ["contact_id"]) { sets, row in sets.reachable.insert(try row.id(0)) },
            Scan(query: """
                SELECT i.contact_id FROM suppression s JOIN contact_index i ON i.org_id = s.org_id AND i.kind = s.kind AND i.hash = s.hash
                WHERE s.org_id = \(bind: org) AND s.kind = \(bind: kind)
                """, columns: ["contact_id"]) { sets, row in sets.suppressed.insert(try row.id(0)) },
            Scan(query: """
                SELECT id, CASE WHEN erased_at IS NULL THEN 0 ELSE 1 END AS erased, CASE WHEN restricted_at IS NULL THEN 0 ELSE 1 END AS restricted
                FROM contact c WHERE org_id = \(bind: org)\(stages)
                """, columns: ["id", "erased", "restricted"]) { sets, row in
                sets.classify(try row.id(0), erased: try row.flag(1), restricted: try row.flag(2))
            },
        ]
    }

    private var kind: String { campaign.channel == .email ? "email" : "phone" }

    private var stages: SQLQueryString {
        campaign.stages.isEmpty ? "" : " AND c.stage IN (\(SQLList(campaign.stages.map { SQLBind($0) })))"
    }

    /// A stored decision the ledger does not know is read as no decision: never as a grant.
    static func decision(_ text: String) -> ConsentDecision? { ConsentDecision(rawValue: text) }
}

/// The facts of a build as sets of contacts, filled one scan at a time, and the
/// targeted contacts classified against them as they stream past.
struct FactSets {
    let consentBasis: Bool
    var listed = Set<ContactID>()
    var objected = Set<ContactID>()
    var latest: [ContactID: ConsentDecision] = [:]
    var reachable = Set<ContactID>()
    var suppressed = Set<ContactID>()
    private var result = Classification.Outcome()

    init(consentBasis: Bool) { self.consentBasis = consentBasis }

    mutating func classify(_ contact: ContactID, erased: Bool, restricted: Bool) {
        guard !listed.contains(contact) else { return }
        let facts = ListFacts(
            erased: erased, restricted: restricted, objected: objected.contains(contact), latest: latest[contact],
            reachable: reachable.contains(contact), suppressed: suppressed.contains(contact))
        if let reason = ExclusionReason.first(of: facts, consentBasis: consentBasis) {
            result.excluded[reason, default: 0] += 1
        } else {
            result.included.append(contact)
        }
    }

    /// The outcome, the included contacts in id order (oldest first) whatever index they came by.
    var outcome: Classification.Outcome {
        var outcome = result
        outcome.included.sort()
        return outcome
    }
}

/// PostgreSQL hands rows to a callback one at a time on one connection; the box carries
/// the sets across it and keeps the first row that could not be read.
private final class FactBox: @unchecked Sendable {
    var sets: FactSets
    var failure: (any Error)?

    init(_ sets: FactSets) { self.sets = sets }

    func add(_ scan: Classification.Scan, _ row: ScanRow) {
        guard failure == nil else { return }
        do { try scan.add(&sets, row) } catch { failure = error }
    }
}
