import Foundation
import GuardlineCore
import SQLKit

/// Campaigns and their call lists. A list build classifies every targeted contact
/// from one snapshot (`Classification`), so the counts it answers and the entries
/// it writes come from the same reading of the data.
public struct CampaignStore: Sendable {
    let store: SQLStore

    public init(_ store: SQLStore) { self.store = store }

    /// `step` (the audit entry, on PostgreSQL) commits with it.
    public func insert(_ campaign: Campaign, step: TransactionStep? = nil) async throws {
        try await store.transaction { db in
            try await db.raw("""
                INSERT INTO campaign (id, org_id, name, purpose, lawful_basis, channel, stages, hours, time_zone, max_attempts, created_by, created_at)
                VALUES (\(bind: campaign.id.description), \(bind: campaign.orgID.description), \(bind: campaign.name),
                        \(bind: campaign.purpose), \(bind: campaign.lawfulBasis.rawValue), \(bind: campaign.channel.rawValue), \(bind: try Self.json(campaign.stages)),
                        \(bind: try Self.json(campaign.hours)), \(bind: campaign.timeZone), \(bind: campaign.maxAttempts),
                        \(bind: campaign.createdBy), \(bind: campaign.createdAt.millis))
                """).run()
            try await step?(db)
        }
    }

    public func find(_ id: CampaignID, org: OrganizationID) async throws -> Campaign? {
        try await store.reads.raw("""
            SELECT \(unsafeRaw: Self.columns) FROM campaign WHERE id = \(bind: id.description) AND org_id = \(bind: org.description)
            """).first().map(Self.campaign)
    }

    /// The organization's campaigns, newest first.
    public func list(org: OrganizationID) async throws -> [Campaign] {
        try await store.reads.raw("""
            SELECT \(unsafeRaw: Self.columns) FROM campaign WHERE org_id = \(bind: org.description) ORDER BY created_at DESC, id DESC
            """).all().map(Self.campaign)
    }

    // MARK: Building the list

    /// Builds (or rebuilds) the list: entries nobody has worked yet are dropped, and every
    /// targeted contact not already on the list is classified; those nothing excludes are
    /// listed as pending, the others counted by reason. Answers what this build did.
    ///
    /// The contacts are classified from one snapshot before the write: the writer is held
    /// only to write the list. What changes in between is caught when a contact is offered
    /// (`standing(of:in:)`), which every offer asks again.
    public func build(_ campaign: Campaign, at date: Date, by builder: String?, step: TransactionStep? = nil) async throws -> ListBuild {
        let classified = try await Classification(store: store, campaign: campaign).all()
        let org = campaign.orgID.description, id = campaign.id.description
        return try await store.transaction { db in
            if store.engine == .postgres {
                // Two builds of one campaign queue here: the second sees what the first wrote.
                try await db.raw("SELECT id FROM campaign WHERE id = \(bind: id) FOR UPDATE").run()
            }
            // Entries someone worked (attempted, or offered right now) stay as they are: a rebuild
            // neither resets attempts nor takes a call from an agent who is on it.
            try await db.raw("""
                DELETE FROM campaign_entry
                WHERE org_id = \(bind: org) AND campaign_id = \(bind: id) AND state IN ('pending', 'excluded') AND attempts = 0
                """).run()
            let base = try await db.raw("""
                SELECT COALESCE(MAX(position), 0) AS p FROM campaign_entry WHERE org_id = \(bind: org) AND campaign_id = \(bind: id)
                """).first()?.decode(column: "p", as: Int64.self) ?? 0
            var next = base
            for start in stride(from: 0, to: classified.included.count, by: Self.insertBatch) {
                let batch = classified.included[start..<min(start + Self.insertBatch, classified.included.count)]
                try await db.raw(insert(batch, campaign: campaign, after: next)).run()
                next += Int64(batch.count)
            }
            // A contact someone started working since the snapshot keeps their entry (the insert skips it).
            let included = try await db.raw("""
                SELECT COUNT(*) AS n FROM campaign_entry WHERE org_id = \(bind: org) AND campaign_id = \(bind: id) AND position > \(bind: base)
                """).first()?.decode(column: "n", as: Int.self) ?? 0
            let build = ListBuild(included: included, excluded: classified.excluded, builtAt: date, builtBy: builder)
            try await db.raw("""
                UPDATE campaign SET built_at = \(bind: date.millis), built_by = \(bind: builder), included = \(bind: included),
                    excluded = \(bind: try Self.json(Dictionary(uniqueKeysWithValues: build.excluded.map { ($0.key.rawValue, $0.value) })))
                WHERE id = \(bind: id) AND org_id = \(bind: org)
                """).run()
            try await step?(db)
            return build
        }
    }

    /// Contacts written per statement: one bound JSON array each, a few hundred kilobytes.
    static let insertBatch = 10_000

    /// Lists `contacts` as pending, numbered from `after` + 1 in the order given.
    private func insert(_ contacts: ArraySlice<ContactID>, campaign: Campaign, after position: Int64) -> SQLQueryString {
        var array = "["
        array.reserveCapacity(contacts.count * 39 + 2)
        for (index, contact) in contacts.enumerated() {
            if index > 0 { array += "," }
            array += "\"\(contact.description)\""
        }
        array += "]"
        let org = campaign.orgID.description, id = campaign.id.description
        switch store.engine {
        case .sqlite:
            // json_each numbers the elements from 0; WHERE true lets SQLite read ON CONFLICT as the upsert clause.
            return """
                INSERT INTO campaign_entry (org_id, campaign_id, position, contact_id, state)
                SELECT \(bind: org), \(bind: id), \(bind: position) + key + 1, value, 'pending' FROM json_each(\(bind: array)) WHERE true
                ON CONFLICT (campaign_id, contact_id) DO NOTHING
                """
        case .postgres:
            return """
                INSERT INTO campaign_entry (org_id, campaign_id, position, contact_id, state)
                SELECT \(bind: org), \(bind: id), \(bind: position) + t.n, t.value, 'pending'
                FROM jsonb_array_elements_text(CAST(\(bind: array) AS jsonb)) WITH ORDINALITY AS t(value, n)
                ON CONFLICT (campaign_id, contact_id) DO NOTHING
                """
        }
    }

    /// Where one contact stands for a campaign now.
    public enum Standing: Sendable, Equatable {
        case contactable
        case excluded(ExclusionReason)
        /// No longer targeted (moved to a stage the campaign does not target).
        case untargeted
    }

    /// The same classification as a build, asked again of one contact when it is offered.
    public func standing(of contact: ContactID, in campaign: Campaign) async throws -> Standing {
        let classification = Classification(store: store, campaign: campaign)
        guard let facts = try await classification.one(contact) else { return .untargeted }
        return ExclusionReason.first(of: facts, consentBasis: campaign.lawfulBasis == .consent).map(Standing.excluded) ?? .contactable
    }

    // MARK: Working the list

    /// A listed contact as the dialer hands it out.
    public struct Entry: Sendable, Equatable {
        public let orgID: OrganizationID
        public let campaignID: CampaignID
        public let position: Int64
        public let contactID: ContactID
        public let state: ListEntryState
        public let reason: ExclusionReason?
        public let attempts: Int
        public let offeredTo: String?
        public let outcome: CallOutcome?
    }

    /// What an agent is offered next: the entry they hold already, else the first pending
    /// one that is due, taken for them. Offers older than `staleBefore` go back to the list.
    public func offerNext(_ campaign: Campaign, to agent: String, at date: Date, staleBefore: Date) async throws -> Entry? {
        let org = campaign.orgID.description, id = campaign.id.description
        return try await store.transaction { db in
            try await db.raw("""
                UPDATE campaign_entry SET state = 'pending', offered_to = NULL, offered_at = NULL
                WHERE org_id = \(bind: org) AND campaign_id = \(bind: id) AND state = 'offered' AND offered_at < \(bind: staleBefore.millis)
                """).run()
            if let held = try await db.raw("""
                SELECT \(unsafeRaw: Self.entryColumns) FROM campaign_entry
                WHERE org_id = \(bind: org) AND campaign_id = \(bind: id) AND state = 'offered' AND offered_to = \(bind: agent)
                ORDER BY position LIMIT 1
                """).first() {
                return try Self.entry(held)
            }
            let lock = store.engine == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
            guard let next = try await db.raw("""
                SELECT position FROM campaign_entry
                WHERE org_id = \(bind: org) AND campaign_id = \(bind: id) AND state = 'pending'
                AND (not_before IS NULL OR not_before <= \(bind: date.millis))
                ORDER BY position LIMIT 1\(unsafeRaw: lock)
                """).first() else { return nil }
            return try await db.raw("""
                UPDATE campaign_entry SET state = 'offered', offered_to = \(bind: agent), offered_at = \(bind: date.millis)
                WHERE org_id = \(bind: org) AND campaign_id = \(bind: id) AND position = \(bind: try next.int64("position"))
                RETURNING \(unsafeRaw: Self.entryColumns)
                """).first().map(Self.entry)
        }
    }

    /// Puts an offered entry back: pending again (from `notBefore`, outside the contact's
    /// calling hours), or excluded because it is not lawful to contact now (`reason`) or
    /// no longer targeted (no reason).
    public func release(_ entry: Entry, to state: ListEntryState, reason: ExclusionReason? = nil, notBefore: Date? = nil) async throws {
        try await store.transaction { db in
            try await db.raw("""
                UPDATE campaign_entry SET state = \(bind: state.rawValue), reason = \(bind: reason?.rawValue),
                    offered_to = NULL, offered_at = NULL, not_before = \(bind: notBefore?.millis)
                WHERE org_id = \(bind: entry.orgID.description) AND campaign_id = \(bind: entry.campaignID.description)
                AND position = \(bind: entry.position)
                """).run()
        }
    }

    /// The entry of this contact that this agent holds an offer of, if any.
    public func heldOffer(_ campaign: Campaign, contact: ContactID, agent: String) async throws -> Entry? {
        let org = campaign.orgID.description, id = campaign.id.description
        return try await store.reads.raw("""
            SELECT \(unsafeRaw: Self.entryColumns) FROM campaign_entry
            WHERE org_id = \(bind: org) AND campaign_id = \(bind: id) AND contact_id = \(bind: contact.description)
            AND state = 'offered' AND offered_to = \(bind: agent)
            """).first().map(Self.entry)
    }

    /// Records the outcome of an attempt on the entry this agent was offered; nil if
    /// they hold no offer of that contact. `step` runs in the same transaction.
    public func recordOutcome(
        _ outcome: CallOutcome, contact: ContactID, campaign: Campaign, by agent: String, step: TransactionStep? = nil
    ) async throws -> Entry? {
        try await store.transaction { db in
            guard let held = try await db.raw("""
                SELECT \(unsafeRaw: Self.entryColumns) FROM campaign_entry
                WHERE org_id = \(bind: campaign.orgID.description) AND campaign_id = \(bind: campaign.id.description) AND contact_id = \(bind: contact.description)
                AND state = 'offered' AND offered_to = \(bind: agent)
                """).first().map(Self.entry) else { return nil }
            let attempts = held.attempts + 1
            let state = ListEntryState.after(outcome, attempts: attempts, maxAttempts: campaign.maxAttempts)
            let updated = try await db.raw("""
                UPDATE campaign_entry SET state = \(bind: state.rawValue), attempts = \(bind: attempts), outcome = \(bind: outcome.rawValue),
                    offered_to = NULL, offered_at = NULL, not_before = NULL
                WHERE org_id = \(bind: campaign.orgID.description) AND campaign_id = \(bind: campaign.id.description) AND position = \(bind: held.position)
                AND state = 'offered' AND offered_to = \(bind: agent)
                RETURNING \(unsafeRaw: Self.entryColumns)
                """).first().map(Self.entry)
            guard updated != nil else { return nil }
            try await step?(db)
            return updated
        }
    }

    /// The campaign lists a person is on, for their export: the campaign, why it called, where
    /// the entry stands and the call's outcome.
    public func entries(of contact: ContactID, org: OrganizationID) async throws -> [(campaign: String, purpose: String, channel: String, state: String, attempts: Int, outcome: String?, builtAt: Date?)] {
        try await store.reads.raw("""
            SELECT c.name, c.purpose, c.channel, c.built_at, e.state, e.attempts, e.outcome FROM campaign c
            JOIN campaign_entry e ON e.campaign_id = c.id AND e.contact_id = \(bind: contact.description)
            WHERE c.org_id = \(bind: org.description) ORDER BY c.created_at DESC
            """).all().map {
            (campaign: try $0.string("name"), purpose: try $0.string("purpose"), channel: try $0.string("channel"), state: try $0.string("state"),
             attempts: try $0.decode(column: "attempts", as: Int.self), outcome: try $0.optionalString("outcome"), builtAt: try $0.optionalDate("built_at"))
        }
    }

    /// How many contacts are in each state: the entries on the list, and as excluded also
    /// those the last build left off (counted by reason in the build, never written).
    public func progress(_ campaign: Campaign) async throws -> [ListEntryState: Int] {
        let org = campaign.orgID.description, id = campaign.id.description
        var counts: [ListEntryState: Int] = [:]
        for row in try await store.longReads.raw("""
            SELECT state, COUNT(*) AS n FROM campaign_entry WHERE org_id = \(bind: org) AND campaign_id = \(bind: id) GROUP BY state
            """).all() {
            if let state = ListEntryState(rawValue: try row.string("state")) { counts[state] = try row.decode(column: "n", as: Int.self) }
        }
        if let build = campaign.lastBuild { counts[.excluded, default: 0] += build.excluded.values.reduce(0, +) }
        return counts
    }

    // MARK: Rows

    static let columns = """
        id, org_id, name, purpose, lawful_basis, channel, stages, hours, time_zone, max_attempts, created_by, created_at, built_at, built_by, included, excluded
        """
    static let entryColumns = "org_id, campaign_id, position, contact_id, state, reason, attempts, offered_to, outcome"

    static func campaign(_ row: any SQLRow) throws -> Campaign {
        guard let channel = ContactChannel(rawValue: try row.string("channel")),
              let basis = LawfulBasis(rawValue: try row.optionalString("lawful_basis") ?? "") else {
            throw GuardlineError(.unavailable, "A campaign row holds an unknown channel or lawful basis.")
        }
        var build: ListBuild?
        if let builtAt = try row.optionalInt64("built_at") {
            let raw = try JSONDecoder().decode([String: Int].self, from: Data((try row.optionalString("excluded") ?? "{}").utf8))
            build = ListBuild(
                included: Int(try row.optionalInt64("included") ?? 0),
                excluded: Dictionary(uniqueKeysWithValues: raw.compactMap { key, value in ExclusionReason(rawValue: key).map { ($0, value) } }),
                builtAt: Date(millis: builtAt), builtBy: try row.optionalString("built_by"))
        }
        return Campaign(
            id: try row.id("id"), orgID: try row.id("org_id"), name: try row.string("name"), purpose: try row.string("purpose"),
            lawfulBasis: basis, channel: channel, stages: try JSONDecoder().decode([String].self, from: Data(try row.string("stages").utf8)),
            hours: try JSONDecoder().decode(CallingHours.self, from: Data(try row.string("hours").utf8)),
            timeZone: try row.string("time_zone"), maxAttempts: try row.decode(column: "max_attempts", as: Int.self),
            createdBy: try row.optionalString("created_by"), createdAt: try row.date("created_at"), lastBuild: build)
    }

    static func entry(_ row: any SQLRow) throws -> Entry {
        guard let state = ListEntryState(rawValue: try row.string("state")) else {
            throw GuardlineError(.unavailable, "A list entry holds an unknown state.")
        }
        return Entry(
            orgID: try row.id("org_id"), campaignID: try row.id("campaign_id"), position: try row.int64("position"), contactID: try row.id("contact_id"), state: state,
            reason: try row.optionalString("reason").flatMap(ExclusionReason.init(rawValue:)),
            attempts: try row.decode(column: "attempts", as: Int.self), offeredTo: try row.optionalString("offered_to"),
            outcome: try row.optionalString("outcome").flatMap(CallOutcome.init(rawValue:)))
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
