import Foundation
import GuardlineCore
import SQLKit

/// Erasure holds (`ErasureHold`): codes, field names and dates, nothing about the person.
public struct HoldStore: Sendable {
    let store: SQLStore

    public init(_ store: SQLStore) { self.store = store }

    public func place(_ h: ErasureHold, step: TransactionStep? = nil) async throws {
        try await store.transaction { db in
            try await db.raw("""
                INSERT INTO erasure_hold (id, org_id, contact_id, ground, fields, until_at, placed_by, placed_at)
                VALUES (\(bind: h.id.uuidString.lowercased()), \(bind: h.orgID.description), \(bind: h.contactID.description), \(bind: h.ground.rawValue),
                        \(bind: h.fields.joined(separator: ",")), \(bind: h.until?.millis), \(bind: h.placedBy), \(bind: h.placedAt.millis))
                """).run()
            try await step?(db)
        }
    }

    /// Lifts a hold still in force; nil if there is no such hold for this person, or it was lifted.
    public func lift(_ id: UUID, contact: ContactID, org: OrganizationID, by user: String, at date: Date, step: TransactionStep? = nil) async throws -> ErasureHold? {
        try await store.transaction { db in
            guard let row = try await db.raw("""
                UPDATE erasure_hold SET lifted_at = \(bind: date.millis), lifted_by = \(bind: user)
                WHERE id = \(bind: id.uuidString.lowercased()) AND org_id = \(bind: org.description) AND contact_id = \(bind: contact.description)
                  AND lifted_at IS NULL
                RETURNING *
                """).first()
            else { return nil }
            try await step?(db)
            return try Self.hold(row)
        }
    }

    /// A person's holds, newest first, lifted and expired ones included.
    public func holds(contact: ContactID, org: OrganizationID) async throws -> [ErasureHold] {
        try await store.reads.raw("""
            SELECT * FROM erasure_hold WHERE org_id = \(bind: org.description) AND contact_id = \(bind: contact.description)
            ORDER BY placed_at DESC, id DESC LIMIT 100
            """).all().map(Self.hold)
    }

    /// The holds in force on a person, every one of them.
    public func active(contact: ContactID, org: OrganizationID, at now: Date) async throws -> [ErasureHold] {
        try await store.reads.raw("""
            SELECT * FROM erasure_hold WHERE org_id = \(bind: org.description) AND contact_id = \(bind: contact.description)
              AND lifted_at IS NULL AND (until_at IS NULL OR until_at > \(bind: now.millis))
            """).all().map(Self.hold)
    }

    /// The ids of the holds in force, read inside an erasing transaction.
    static func activeIDs(contact: String, org: String, at now: Date, on db: any SQLDatabase) async throws -> Set<UUID> {
        Set(try await db.raw("""
            SELECT id FROM erasure_hold WHERE org_id = \(bind: org) AND contact_id = \(bind: contact)
              AND lifted_at IS NULL AND (until_at IS NULL OR until_at > \(bind: now.millis))
            """).all().compactMap { UUID(uuidString: try $0.string("id")) })
    }

    static func hold(_ row: any SQLRow) throws -> ErasureHold {
        guard let id = UUID(uuidString: try row.string("id")), let ground = ErasureHold.Ground(rawValue: try row.string("ground")) else {
            throw GuardlineError(.unavailable, "An erasure hold row could not be read; the table may have been altered.")
        }
        let fields = try row.string("fields")
        return ErasureHold(
            id: id, orgID: try row.id("org_id"), contactID: try row.id("contact_id"), ground: ground,
            fields: fields.isEmpty ? [] : fields.split(separator: ",").map(String.init), until: try row.optionalDate("until_at"),
            placedBy: try row.string("placed_by"), placedAt: try row.date("placed_at"), liftedAt: try row.optionalDate("lifted_at"),
            liftedBy: try row.optionalString("lifted_by"))
    }
}
