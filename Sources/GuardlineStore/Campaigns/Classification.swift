import GuardlineCore
import SQLKit

/// The one statement that decides, for every contact a campaign targets, whether it
/// may be contacted and if not why: erased, restricted, objected, without consent
/// (for a consent purpose), without a number or address, or suppressed, the first
/// that applies. Each test is a set the engine builds once (`IN (subquery)`), so the
/// contacts are read in one pass of a covering index.
struct Classification {
    let store: SQLStore
    let campaign: Campaign
    let consentBasis: Bool

    /// Writes the targeted contacts not already on the list, after `base`.
    func insert(base: Int64) -> SQLQueryString {
        """
        INSERT INTO campaign_entry (org_id, campaign_id, position, contact_id, state, reason)
        SELECT \(bind: campaign.orgID.description), \(bind: campaign.id.description), \(bind: base) + ROW_NUMBER() OVER (ORDER BY t.id), t.id,
               CASE WHEN t.reason IS NULL THEN 'pending' ELSE 'excluded' END, t.reason
        FROM (\(all)) t
        """
    }

    /// One contact's reason (a row with a NULL reason if it may be contacted; no row if it is not
    /// targeted or not there). The same reasons as `all`, asked of this contact alone through
    /// its own index entries, so an offer costs a few lookups, not a pass over the whole list.
    func one(_ contact: ContactID) -> SQLQueryString {
        let purpose = campaign.purpose
        let latest: SQLQueryString = """
            (SELECT decision FROM consent_event e WHERE e.org_id = c.org_id AND e.purpose = \(bind: purpose)
             AND e.channel = \(bind: campaign.channel.rawValue) AND e.contact_id = c.id ORDER BY e.id DESC LIMIT 1)
            """
        let tests = Tests(
            objected: "EXISTS (SELECT 1 FROM objection o WHERE o.org_id = c.org_id AND o.purpose = \(bind: purpose) AND o.contact_id = c.id)",
            granted: "COALESCE(\(latest), '') = 'granted'",
            declined: "COALESCE(\(latest), 'granted') <> 'granted'",
            reachable: "EXISTS (SELECT 1 FROM contact_index r WHERE r.contact_id = c.id AND r.kind = \(bind: kind))",
            suppressed: """
                EXISTS (SELECT 1 FROM contact_index i JOIN suppression s ON s.org_id = i.org_id AND s.kind = i.kind AND s.hash = i.hash
                        WHERE i.contact_id = c.id AND i.kind = \(bind: kind))
                """)
        return """
            SELECT c.id, \(reason(tests)) AS reason
            FROM contact c WHERE c.org_id = \(bind: campaign.orgID.description) AND c.id = \(bind: contact.description)\(stages)
            """
    }

    /// Every targeted contact not already on the list, with its reason.
    private var all: SQLQueryString {
        let org = campaign.orgID.description
        let tests = Tests(
            objected: "c.id IN (SELECT contact_id FROM objection WHERE org_id = \(bind: org) AND purpose = \(bind: campaign.purpose))",
            granted: "c.id IN (\(latest(org: org, granted: true)))",
            declined: "c.id IN (\(latest(org: org, granted: false)))",
            reachable: "c.id IN (SELECT contact_id FROM contact_index WHERE org_id = \(bind: org) AND kind = \(bind: kind))",
            suppressed: """
                c.id IN (SELECT i.contact_id FROM suppression s JOIN contact_index i ON i.org_id = s.org_id AND i.kind = s.kind AND i.hash = s.hash
                         WHERE s.org_id = \(bind: org) AND s.kind = \(bind: kind))
                """)
        return """
            SELECT c.id, \(reason(tests)) AS reason
            FROM contact c WHERE c.org_id = \(bind: org)\(stages)
            AND c.id NOT IN (SELECT contact_id FROM campaign_entry WHERE org_id = \(bind: org) AND campaign_id = \(bind: campaign.id.description))
            """
    }

    /// What the reasons are decided by, written once for the whole list (sets) and once
    /// for one contact (lookups); `reason` puts them in their one order.
    private struct Tests {
        let objected: SQLQueryString
        /// The latest decision for the purpose on the channel is a grant.
        let granted: SQLQueryString
        /// There is a latest decision, and it is not a grant.
        let declined: SQLQueryString
        /// A number (or address) of the channel's kind is on record.
        let reachable: SQLQueryString
        let suppressed: SQLQueryString
    }

    /// The exclusion order, in one place: the first reason that applies is the contact's.
    /// On consent, only a standing grant is a basis. On any other basis, a refusal or
    /// withdrawal recorded while the purpose rested on consent still stands: an objection.
    private func reason(_ tests: Tests) -> SQLQueryString {
        let basis: SQLQueryString = consentBasis
            ? "WHEN NOT (\(tests.granted)) THEN 'noLawfulBasis'"
            : "WHEN \(tests.declined) THEN 'objection'"
        return """
            CASE
                WHEN c.erased_at IS NOT NULL THEN 'erased'
                WHEN c.restricted_at IS NOT NULL THEN 'restricted'
                WHEN \(tests.objected) THEN 'objection'
                \(basis)
                WHEN NOT (\(tests.reachable)) THEN 'unreachable'
                WHEN \(tests.suppressed) THEN 'suppressed'
            END
            """
    }

    private var kind: String { campaign.channel == .email ? "email" : "phone" }

    private var stages: SQLQueryString {
        campaign.stages.isEmpty ? "" : " AND c.stage IN (\(SQLList(campaign.stages.map { SQLBind($0) })))"
    }

    /// Contacts whose latest decision for the purpose on the channel is a grant (or, with
    /// `granted` false, is not). Event ids are time-ordered (v7, from the event's own time),
    /// so the greatest id is the latest decision, as `ConsentLedger` folds it.
    private func latest(org: String, granted: Bool) -> SQLQueryString {
        let test: SQLQueryString = granted ? "decision = 'granted'" : "decision <> 'granted'"
        let purpose = campaign.purpose, channel = campaign.channel.rawValue
        switch store.engine {
        case .sqlite:
            // SQLite takes a bare column from the row that holds the MAX.
            return """
                SELECT contact_id FROM (
                    SELECT contact_id, decision, MAX(id) FROM consent_event
                    WHERE org_id = \(bind: org) AND purpose = \(bind: purpose) AND channel = \(bind: channel) GROUP BY contact_id)
                WHERE \(test)
                """
        case .postgres:
            return """
                SELECT contact_id FROM (
                    SELECT DISTINCT ON (contact_id) contact_id, decision FROM consent_event
                    WHERE org_id = \(bind: org) AND purpose = \(bind: purpose) AND channel = \(bind: channel)
                    ORDER BY contact_id, id DESC) latest
                WHERE \(test)
                """
        }
    }
}
