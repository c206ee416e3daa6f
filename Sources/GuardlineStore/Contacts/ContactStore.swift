import Foundation
import GuardlineCore
import NIOCore
import SQLKit
import SQLiteKit

/// Contacts (data subjects) with their sealed fields and blind-index terms.
/// Every query is scoped by organization.
public struct ContactStore: Sendable {
    let store: SQLStore
    /// The caller-ID lookup as SQLite runs it, serialized once: the screen pop's read.
    private let callerIDText: String?
    private let findText: String?

    public init(_ store: SQLStore) {
        self.store = store
        callerIDText = store.embedded.map { $0.text(of: Self.callerID(org: "", kind: "", hash: [], limit: Self.lookupLimit)) }
        findText = store.embedded.map { $0.text(of: Self.byID(id: "", org: "")) }
    }

    static func byID(id: String, org: String) -> SQLQueryString {
        """
        SELECT id, org_id, sealed_fields, created_at, updated_at, ref FROM contact
        WHERE id = \(bind: id) AND org_id = \(bind: org) AND erased_at IS NULL
        """
    }

    /// How many contacts a lookup returns at most.
    public static let lookupLimit = 20

    /// Inserts the contact with the organization's next reference, which it returns.
    /// `step` runs in the same transaction (on PostgreSQL, the change's audit entry).
    @discardableResult
    public func insert(
        _ contact: SealedContact, terms: [IndexTerm], stage: String = JourneyStage.initial, step: TransactionStep? = nil
    ) async throws -> ContactReference {
        try await store.transaction { db in
            let next = try await db.raw("""
                INSERT INTO contact_ref_counter (org_id, last) VALUES (\(bind: contact.orgID.description), 1)
                ON CONFLICT (org_id) DO UPDATE SET last = contact_ref_counter.last + 1 RETURNING last
                """).first().map { try $0.int64("last") } ?? 1
            try await db.raw("""
                INSERT INTO contact (id, org_id, sealed_fields, created_at, updated_at, ref, stage)
                VALUES (\(bind: contact.id.description), \(bind: contact.orgID.description),
                        \(bind: SealedFieldsCodec.encode(contact.fields)), \(bind: contact.createdAt.millis),
                        \(bind: contact.updatedAt.millis), \(bind: next), \(bind: stage))
                """).run()
            try await Self.insertTerms(terms, contact: contact, on: db)
            try await step?(db)
            return ContactReference(next)
        }
    }

    /// A live contact by its reference.
    public func find(reference: ContactReference, org: OrganizationID) async throws -> SealedContact? {
        try await store.reads.raw("""
            SELECT id, org_id, sealed_fields, created_at, updated_at, ref FROM contact
            WHERE org_id = \(bind: org.description) AND ref = \(bind: reference.number) AND erased_at IS NULL
            """).first().map(Self.contact)
    }

    /// The references of these contacts (erased ones too), for pages that list ids.
    public func references(_ ids: [ContactID], org: OrganizationID) async throws -> [ContactID: ContactReference] {
        guard !ids.isEmpty else { return [:] }
        let list = SQLList(Set(ids).map { SQLBind($0.description) })
        var result: [ContactID: ContactReference] = [:]
        for row in try await store.reads.raw("""
            SELECT id, ref FROM contact WHERE org_id = \(bind: org.description) AND id IN (\(list)) AND ref IS NOT NULL
            """).all() {
            result[try row.id("id")] = ContactReference(try row.int64("ref"))
        }
        return result
    }

    /// Replaces the fields and index terms of a live contact; false if there is none.
    /// `step` runs in the same transaction if the contact was replaced.
    public func replace(_ contact: SealedContact, terms: [IndexTerm], step: TransactionStep? = nil) async throws -> Bool {
        try await store.transaction { db in
            let updated = try await db.raw("""
                UPDATE contact SET sealed_fields = \(bind: SealedFieldsCodec.encode(contact.fields)),
                    updated_at = \(bind: contact.updatedAt.millis)
                WHERE id = \(bind: contact.id.description) AND org_id = \(bind: contact.orgID.description)
                AND erased_at IS NULL RETURNING id
                """).all()
            guard !updated.isEmpty else { return false }
            try await db.raw("DELETE FROM contact_index WHERE contact_id = \(bind: contact.id.description)").run()
            try await Self.insertTerms(terms, contact: contact, on: db)
            try await step?(db)
            return true
        }
    }

    public func find(_ id: ContactID, org: OrganizationID) async throws -> SealedContact? {
        // A contact card or a screen pop by id: decoded from the cursor in place on SQLite, as a lookup is.
        if let embedded = store.embedded, let text = findText {
            return try embedded.rows(text, [.text(id.description), .text(org.description)], Self.contact).first
        }
        return try await store.reads.raw(Self.byID(id: id.description, org: org.description)).first().map(Self.contact)
    }

    /// Contacts having every one of `hashes` of `kind` (one hash for a phone, several for name tokens).
    /// Limits are written into the SQL, not bound: SQLite plans with a bound limit's value
    /// and so prepares the statement again each time it is bound.
    public func lookup(kind: String, hashes: [[UInt8]], org: OrganizationID, limit: Int = lookupLimit) async throws -> [SealedContact] {
        guard !hashes.isEmpty else { return [] }
        if hashes.count == 1 {
            if let embedded = store.embedded, let text = callerIDText, limit == Self.lookupLimit {
                return try embedded.rows(text, [.text(org.description), .text(kind), .blob(ByteBuffer(bytes: hashes[0]))], Self.contact)
            }
            return try await store.reads.raw(Self.callerID(org: org.description, kind: kind, hash: hashes[0], limit: limit))
                .all().map(Self.contact)
        }
        let list = SQLList(hashes.map { SQLBind(Data($0)) })
        return try await store.reads.raw("""
            SELECT c.id, c.org_id, c.sealed_fields, c.created_at, c.updated_at, c.ref FROM contact c
            WHERE c.erased_at IS NULL AND c.id IN (
                SELECT contact_id FROM contact_index
                WHERE org_id = \(bind: org.description) AND kind = \(bind: kind) AND hash IN (\(list))
                GROUP BY contact_id HAVING COUNT(*) = \(bind: Set(hashes.map { Data($0) }).count))
            ORDER BY c.id LIMIT \(literal: limit)
            """).all().map(Self.contact)
    }

    /// Contacts by one blind-index hash, the columns in `contact(_:)`'s order. It orders by
    /// the index's own `contact_id` (equal to `c.id`): the index yields that order, where
    /// `ORDER BY c.id` made SQLite sort every screen pop's result in a temporary b-tree.
    private static func callerID(org: String, kind: String, hash: [UInt8], limit: Int) -> SQLQueryString {
        """
        SELECT c.id, c.org_id, c.sealed_fields, c.created_at, c.updated_at, c.ref
        FROM contact_index i JOIN contact c ON c.id = i.contact_id
        WHERE i.org_id = \(bind: org) AND i.kind = \(bind: kind) AND i.hash = \(bind: Data(hash))
        AND c.erased_at IS NULL ORDER BY i.contact_id LIMIT \(literal: limit)
        """
    }

    /// A page of live contacts in id (creation) order, after `cursor`.
    public func page(org: OrganizationID, after cursor: ContactID?, limit: Int) async throws -> [SealedContact] {
        try await store.longReads.raw("""
            SELECT id, org_id, sealed_fields, created_at, updated_at, ref FROM contact
            WHERE org_id = \(bind: org.description) AND erased_at IS NULL AND id > \(bind: cursor?.description ?? "")
            ORDER BY id LIMIT \(literal: limit)
            """).all().map(Self.contact)
    }

    /// Whether any organization has a contact not erased.
    public func holdsLiveContacts() async throws -> Bool {
        try await store.reads.raw("SELECT id FROM contact WHERE erased_at IS NULL LIMIT 1").first() != nil
    }

    public func count(org: OrganizationID) async throws -> Int {
        try await store.longReads.raw("""
            SELECT COUNT(*) AS n FROM contact WHERE org_id = \(bind: org.description) AND erased_at IS NULL
            """).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// What an erasure removed, for its receipt: counts and the recordings whose sealed
    /// files are to be deleted from the blob store.
    public struct Erasure: Sendable, Equatable {
        public var fields = 0
        public var interactions = 0
        public var recordings: [UUID] = []
        public var consentEvents = 0
        public var objections = 0
        public var campaignEntries = 0
        public var notes = 0
        /// Numbers and addresses kept on the suppression list (as hashes) because the person objected.
        public var suppressed = 0
    }

    /// Leaves a tombstone (id and dates) and deletes everything else held about the person:
    /// sealed fields, index terms, interactions, recording rows, consent events, objections,
    /// campaign list entries and sealed notes; the tombstone keeps no restriction (its stage
    /// stays: campaign counts tell the erased apart by it).
    /// Call events stay: keyed hashes of the PBX's ids, they name no one and keep a late
    /// retry of a call from opening it again. A person who
    /// objected keeps their number and address on the suppression list, as hashes, first.
    /// Their requests stay, as proof of the answer (they hold no personal data). Whatever
    /// copies of the ciphertext remain elsewhere are shredded with the subject key.
    /// `step` runs in the same transaction if the contact was erased; nil if there was none.
    ///
    /// `holdsSeen`: the holds in force the caller's decision rests on (checked again here).
    /// `keeping`: an erasure under a hold on some fields (`ErasureHold`). Everything else goes
    /// as above, but the contact stays, with only the kept fields (still sealed under its key)
    /// and their index terms, and restricted: kept, not used.
    public func erase(
        _ id: ContactID, org: OrganizationID, at date: Date, keeping: (contact: SealedContact, terms: [IndexTerm])? = nil,
        holdsSeen: Set<UUID> = [], step: TransactionStep? = nil
    ) async throws -> Erasure? {
        try await store.transaction { db in
            let contact = id.description, tenant = org.description
            // Locked first (PostgreSQL): a consent or interaction being written for the person waits, then finds them gone.
            let lock = store.engine == .postgres ? " FOR UPDATE" : ""
            guard let sealed = try await db.raw("""
                SELECT sealed_fields FROM contact WHERE id = \(bind: contact) AND org_id = \(bind: tenant) AND erased_at IS NULL\(unsafeRaw: lock)
                """).first()
            else { return nil }
            // The holds the caller decided on are the ones in force now: one placed meanwhile is not skipped.
            guard try await HoldStore.activeIDs(contact: contact, org: tenant, at: date, on: db) == holdsSeen else {
                throw GuardlineError(.conflict, "The holds on this person changed while erasing; look at them and try again.")
            }
            var erasure = Erasure()
            erasure.fields = (try? SealedFieldsCodec.decode(Data(try sealed.bytes("sealed_fields"))).count) ?? 0
            func delete(_ sql: SQLQueryString) async throws -> Int { try await db.raw(sql).all().count }
            erasure.objections = try await delete("DELETE FROM objection WHERE org_id = \(bind: tenant) AND contact_id = \(bind: contact) RETURNING contact_id")
            if erasure.objections > 0 {
                let suppressions = SuppressionStore(store)
                for kind in ["phone", "email"] {
                    erasure.suppressed += try await suppressions.addIndexed(kind: kind, of: id, org: org, source: .objection, at: date, on: db)
                }
            }
            erasure.recordings = try await db.raw("""
                DELETE FROM recording WHERE org_id = \(bind: tenant) AND contact_id = \(bind: contact) RETURNING id
                """).all().compactMap { UUID(uuidString: try $0.string("id")) }
            erasure.interactions = try await delete("DELETE FROM interaction WHERE org_id = \(bind: tenant) AND contact_id = \(bind: contact) RETURNING id")
            erasure.consentEvents = try await delete("DELETE FROM consent_event WHERE org_id = \(bind: tenant) AND contact_id = \(bind: contact) RETURNING id")
            erasure.campaignEntries = try await delete("""
                DELETE FROM campaign_entry WHERE campaign_id IN (SELECT id FROM campaign WHERE org_id = \(bind: tenant))
                  AND contact_id = \(bind: contact) RETURNING contact_id
                """)
            erasure.notes = try await delete("DELETE FROM sealed_note WHERE org_id = \(bind: tenant) AND contact_id = \(bind: contact) RETURNING id")
            // The person's requests stay as proof of the answers; a correction still proposed goes.
            try await db.raw("""
                UPDATE subject_request SET sealed_changes = NULL WHERE org_id = \(bind: tenant) AND contact_id = \(bind: contact)
                """).run()
            try await db.raw("DELETE FROM contact_index WHERE contact_id = \(bind: contact)").run()
            // Signed in to the portal, or about to be: that ends with the person.
            try await db.raw("DELETE FROM portal_session WHERE org_id = \(bind: tenant) AND contact_id = \(bind: contact)").run()
            try await db.raw("DELETE FROM portal_challenge WHERE org_id = \(bind: tenant) AND contact_id = \(bind: contact)").run()
            if let kept = keeping {
                erasure.fields -= kept.contact.fields.count
                try await Self.insertTerms(kept.terms, contact: kept.contact, on: db)
                try await db.raw("""
                    UPDATE contact SET sealed_fields = \(bind: SealedFieldsCodec.encode(kept.contact.fields)), updated_at = \(bind: date.millis),
                        restricted_at = COALESCE(restricted_at, \(bind: date.millis)), erasure_held_at = \(bind: date.millis)
                    WHERE id = \(bind: contact) AND org_id = \(bind: tenant)
                    """).run()
                try await step?(db)
                return erasure
            }
            try await db.raw("""
                UPDATE contact SET sealed_fields = \(bind: Data()), erased_at = \(bind: date.millis), updated_at = \(bind: date.millis),
                    restricted_at = NULL, restriction_ground = NULL, erasure_held_at = NULL
                WHERE id = \(bind: contact) AND org_id = \(bind: tenant)
                """).run()
            try await step?(db)
            return erasure
        }
    }

    /// People an erasure left partly kept and on whom no hold stands any more: due to be erased in full.
    public func heldErasuresDue(at now: Date) async throws -> [(org: OrganizationID, contact: ContactID)] {
        try await store.reads.raw("""
            SELECT c.org_id, c.id FROM contact c
            WHERE c.erasure_held_at IS NOT NULL AND c.erased_at IS NULL AND NOT EXISTS (
                SELECT 1 FROM erasure_hold h WHERE h.org_id = c.org_id AND h.contact_id = c.id
                  AND h.lifted_at IS NULL AND (h.until_at IS NULL OR h.until_at > \(bind: now.millis)))
            """).all().map { (org: try $0.id("org_id"), contact: try $0.id("id")) }
    }

    /// Whether an erasure left the person partly kept, under holds.
    public func isHeldErasure(_ id: ContactID, org: OrganizationID) async throws -> Bool {
        try await store.reads.raw("""
            SELECT erasure_held_at FROM contact WHERE id = \(bind: id.description) AND org_id = \(bind: org.description)
              AND erased_at IS NULL AND erasure_held_at IS NOT NULL
            """).first() != nil
    }

    /// A live contact's journey stage.
    public func stage(of id: ContactID, org: OrganizationID) async throws -> String? {
        try await store.reads.raw("""
            SELECT stage FROM contact WHERE id = \(bind: id.description) AND org_id = \(bind: org.description) AND erased_at IS NULL
            """).first().map { try $0.string("stage") }
    }

    /// Moves a live contact to a stage; false if there is none. `step` runs in the same transaction.
    public func setStage(_ stage: String, of id: ContactID, org: OrganizationID, step: TransactionStep? = nil) async throws -> Bool {
        try await store.transaction { db in
            let moved = try await db.raw("""
                UPDATE contact SET stage = \(bind: stage)
                WHERE id = \(bind: id.description) AND org_id = \(bind: org.description) AND erased_at IS NULL RETURNING id
                """).all()
            guard !moved.isEmpty else { return false }
            try await step?(db)
            return true
        }
    }

    /// How many live contacts of the organization are at each of these stages.
    public func countAtStages(org: OrganizationID) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await store.longReads.raw("""
            SELECT stage, COUNT(*) AS n FROM contact WHERE org_id = \(bind: org.description) AND erased_at IS NULL GROUP BY stage
            """).all() {
            counts[try row.string("stage")] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }

    /// Whether the contact was erased (its tombstone is there).
    public func isErased(_ id: ContactID, org: OrganizationID) async throws -> Bool {
        try await store.reads.raw("""
            SELECT id FROM contact WHERE id = \(bind: id.description) AND org_id = \(bind: org.description) AND erased_at IS NOT NULL
            """).first() != nil
    }

    private static func insertTerms(_ terms: [IndexTerm], contact: SealedContact, on db: any SQLDatabase) async throws {
        // A name like "Ana Ana" yields one token; the primary key wants each term once.
        var seen = Set<IndexTerm>()
        for term in terms where seen.insert(term).inserted {
            try await db.raw("""
                INSERT INTO contact_index (org_id, kind, hash, contact_id)
                VALUES (\(bind: contact.orgID.description), \(bind: term.kind), \(bind: Data(term.hash)), \(bind: contact.id.description))
                """).run()
        }
    }

    /// The same row read in place from SQLite's cursor.
    static func contact(_ row: SQLiteCursor) throws -> SealedContact {
        guard let id = ContactID(ascii: row.requiredBytes(0)), let org = OrganizationID(ascii: row.requiredBytes(1)) else {
            throw GuardlineError(.unavailable, "A contact row holds a malformed id.")
        }
        return SealedContact(
            id: id, orgID: org, reference: row.int64(5) > 0 ? ContactReference(row.int64(5)) : nil, fields: try SealedFieldsCodec.decode(row.requiredBytes(2)),
            createdAt: Date(millis: row.int64(3)), updatedAt: Date(millis: row.int64(4)))
    }

    static func contact(_ row: any SQLRow) throws -> SealedContact {
        SealedContact(
            id: try row.id("id"), orgID: try row.id("org_id"), reference: try row.optionalInt64("ref").map(ContactReference.init),
            fields: try SealedFieldsCodec.decode(try row.decode(column: "sealed_fields", as: Data.self)),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }
}
