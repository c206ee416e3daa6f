import Foundation
import GuardlineCore
import SQLKit

/// Decides, for the contacts a campaign targets, whether each may be contacted and if
/// not why. The order of the reasons is written once, in `ExclusionReason.first(of:)`;
/// this gathers the facts it turns on.
///
/// A list build reads each fact whole, in one pass of its index, all in one snapshot,
/// into arrays sorted by contact id; then it reads the targeted contacts in id order and
/// walks the arrays beside them, so each fact costs a step through memory read in order.
/// Asking SQL instead (a CASE over subqueries per contact) costs a B-tree descent on a
/// 36-character key per contact per fact: 18 s for a million contacts on SQLite. Hashing
/// the ids into sets cost 2.8 s, most of it hashing and cache misses. One contact, at
/// offer time, is asked in SQL.
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
        let facts = [
            // Entries already attempted outlive a rebuild, so their contacts are not classified again. One offered
            // but not yet attempted is classified: its offer may end before the build writes (the insert then skips
            // it if it is still held).
            Scan(query: """
                SELECT contact_id FROM campaign_entry WHERE org_id = \(bind: org) AND campaign_id = \(bind: campaign.id.description) AND attempts > 0
                """, columns: ["contact_id"]) { sets, row in sets.listed.append(try row.key(0)) },
            Scan(query: "SELECT contact_id FROM objection WHERE org_id = \(bind: org) AND purpose = \(bind: campaign.purpose) ORDER BY contact_id",
                 columns: ["contact_id"]) { sets, row in sets.objected.append(try row.key(0)) },
            // In id order within each contact, so the last row of a contact is its latest decision. Event ids
            // are time-ordered (v7, from the event's own time), the order `ConsentLedger` folds them in.
            Scan(query: """
                SELECT contact_id, decision FROM consent_event
                WHERE org_id = \(bind: org) AND purpose = \(bind: campaign.purpose) AND channel = \(bind: campaign.channel.rawValue)
                ORDER BY contact_id, id
                """, columns: ["contact_id", "decision"]) { sets, row in sets.decision(try row.key(0), Self.decision(try row.text(1))) },
            Scan(query: "SELECT contact_id FROM contact_index WHERE org_id = \(bind: org) AND kind = \(bind: kind)",
                 columns: ["contact_id"]) { sets, row in sets.reachable.append(try row.key(0)) },
            Scan(query: """
                SELECT i.contact_id FROM suppression s JOIN contact_index i ON i.org_id = s.org_id AND i.kind = s.kind AND i.hash = s.hash
                WHERE s.org_id = \(bind: org) AND s.kind = \(bind: kind)
                """, columns: ["contact_id"]) { sets, row in sets.suppressed.append(try row.key(0)) },
        ]
        // The targeted contacts last, every set complete by then: stage by stage, each in id order (a covering index on SQLite).
        var stages: [String] = []
        for stage in campaign.stages where !stages.contains(stage) { stages.append(stage) }
        let targets: [SQLQueryString] = stages.isEmpty ? [""] : stages.map { " AND stage = \(bind: $0)" }
        return facts + targets.map { stage in
            Scan(query: """
                SELECT id, CASE WHEN erased_at IS NULL THEN 0 ELSE 1 END AS erased, CASE WHEN restricted_at IS NULL THEN 0 ELSE 1 END AS restricted
                FROM contact WHERE org_id = \(bind: org)\(stage) ORDER BY id
                """, columns: ["id", "erased", "restricted"]) { sets, row in
                sets.classify(try row.key(0), erased: try row.flag(1), restricted: try row.flag(2))
            }
        }
    }

    private var kind: String { campaign.channel == .email ? "email" : "phone" }

    private var stages: SQLQueryString {
        campaign.stages.isEmpty ? "" : " AND c.stage IN (\(SQLList(campaign.stages.map { SQLBind($0) })))"
    }

    /// A stored decision the ledger does not know is read as no decision: never as a grant.
    static func decision(_ text: String) -> ConsentDecision? { ConsentDecision(rawValue: text) }
}

/// The facts of a build as arrays of contact keys, filled one scan at a time, and the
/// targeted contacts classified against them as they stream past in id order.
struct FactSets {
    let consentBasis: Bool
    var listed: [ContactKey] = []
    var objected: [ContactKey] = []
    var reachable: [ContactKey] = []
    var suppressed: [ContactKey] = []
    /// Each decided contact once, with its latest decision (nil: one the ledger does not know).
    private var decided: [ContactKey] = []
    private var decisions: [ConsentDecision?] = []
    private var walk = Walk()
    private var previous: ContactKey?
    private var sorted = false
    private var included: [ContactKey] = []
    private var excluded: [ExclusionReason: Int] = [:]

    init(consentBasis: Bool) { self.consentBasis = consentBasis }

    /// A decision, in the ledger's order within each contact: a later one replaces an earlier.
    mutating func decision(_ contact: ContactKey, _ decision: ConsentDecision?) {
        if decided.last == contact {
            decisions[decisions.count - 1] = decision
        } else {
            decided.append(contact)
            decisions.append(decision)
        }
    }

    mutating func classify(_ contact: ContactKey, erased: Bool, restricted: Bool) {
        if !sorted { sortFacts() }
        // Each stage's contacts come in id order; a step back (the next stage) starts the walk again from there.
        if let previous, contact < previous { walk = Walk(at: contact, in: self) }
        previous = contact
        guard !walk.listed.holds(contact, in: listed) else { return }
        let latest = walk.decided.holds(contact, in: decided) ? decisions[walk.decided.position] : nil
        let facts = ListFacts(
            erased: erased, restricted: restricted, objected: walk.objected.holds(contact, in: objected), latest: latest,
            reachable: walk.reachable.holds(contact, in: reachable), suppressed: walk.suppressed.holds(contact, in: suppressed))
        if let reason = ExclusionReason.first(of: facts, consentBasis: consentBasis) {
            excluded[reason, default: 0] += 1
        } else {
            included.append(contact)
        }
    }

    /// The outcome, the included contacts in id order (oldest first) whatever order the stages came in.
    var outcome: Classification.Outcome {
        var keys = included
        if !keys.isSorted { keys.sort() }
        return Classification.Outcome(included: keys.map(\.id), excluded: excluded)
    }

    /// Sorts what came unsorted (index order by hash; another engine's collation). The
    /// decisions keep their ledger order within each contact (the sort is stable), then
    /// each contact keeps its last.
    private mutating func sortFacts() {
        sorted = true
        for keyPath in [\FactSets.listed, \.objected, \.reachable, \.suppressed] where !self[keyPath: keyPath].isSorted {
            self[keyPath: keyPath].sort()
        }
        guard !decided.isSorted else { return }
        let pairs = zip(decided, decisions).sorted { $0.0 < $1.0 }
        decided = []
        decisions = []
        for (contact, decision) in pairs { self.decision(contact, decision) }
    }

    /// Where the walk stands in each array: every key before `position` is smaller than the contact at hand.
    private struct Walk {
        struct Cursor {
            var position = 0

            /// Steps forward to `contact` and says whether the array holds it.
            mutating func holds(_ contact: ContactKey, in keys: [ContactKey]) -> Bool {
                while position < keys.count, keys[position] < contact { position += 1 }
                return position < keys.count && keys[position] == contact
            }

            /// The first position not below `contact`.
            init(at contact: ContactKey, in keys: [ContactKey]) {
                var low = 0, high = keys.count
                while low < high {
                    let middle = (low + high) / 2
                    if keys[middle] < contact { low = middle + 1 } else { high = middle }
                }
                position = low
            }

            init() {}
        }

        var listed = Cursor(), objected = Cursor(), decided = Cursor(), reachable = Cursor(), suppressed = Cursor()

        init() {}

        init(at contact: ContactKey, in sets: FactSets) {
            listed = Cursor(at: contact, in: sets.listed)
            objected = Cursor(at: contact, in: sets.objected)
            decided = Cursor(at: contact, in: sets.decided)
            reachable = Cursor(at: contact, in: sets.reachable)
            suppressed = Cursor(at: contact, in: sets.suppressed)
        }
    }
}

extension Array where Element: Comparable {
    var isSorted: Bool { zip(self, dropFirst()).allSatisfy { $0 <= $1 } }
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
