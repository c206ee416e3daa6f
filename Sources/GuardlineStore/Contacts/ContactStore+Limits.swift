import Foundation
import GuardlineCore
import SQLKit

/// Limits on what may be done with a contact's data: restriction of processing
/// (Art. 18, kept and not used) and objections to purposes (Art. 21).
extension ContactStore {
    /// Restricts (a restriction) or lifts (nil) processing of a live contact; false if there is none.
    public func setRestriction(_ restriction: Restriction?, of id: ContactID, org: OrganizationID, step: TransactionStep? = nil) async throws -> Bool {
        try await store.transaction { db in
            let changed = try await db.raw("""
                UPDATE contact SET restricted_at = \(bind: restriction?.since.millis), restriction_ground = \(bind: restriction?.ground?.rawValue)
                WHERE id = \(bind: id.description) AND org_id = \(bind: org.description) AND erased_at IS NULL RETURNING id
                """).all()
            guard !changed.isEmpty else { return false }
            try await step?(db)
            return true
        }
    }

    /// A live contact's restriction of processing, if there is one.
    public func restriction(_ id: ContactID, org: OrganizationID) async throws -> Restriction? {
        guard let row = try await store.reads.raw("""
            SELECT restricted_at, restriction_ground FROM contact
            WHERE id = \(bind: id.description) AND org_id = \(bind: org.description) AND erased_at IS NULL
            """).first(), let since = try row.optionalInt64("restricted_at") else { return nil }
        return Restriction(since: Date(millis: since), ground: try row.optionalString("restriction_ground").flatMap(RestrictionGround.init(rawValue:)))
    }

    /// Records an objection to a purpose (once; a second answers false). The step runs either
    /// way: the objection stands, and a request that raced another's is recorded too.
    public func object(_ id: ContactID, to purpose: String, org: OrganizationID, by recorder: String?, at date: Date, step: TransactionStep? = nil) async throws -> Bool {
        try await store.transaction { db in
            let inserted = try await Self.insertObjection(id, to: purpose, org: org, by: recorder, at: date, on: db)
            try await step?(db)
            return inserted
        }
    }

    /// The objection row, in the caller's transaction; false if it was there already.
    @discardableResult
    public static func insertObjection(
        _ id: ContactID, to purpose: String, org: OrganizationID, by recorder: String?, at date: Date, on db: any SQLDatabase
    ) async throws -> Bool {
        try await !db.raw("""
            INSERT INTO objection (org_id, contact_id, purpose, recorded_by, at)
            VALUES (\(bind: org.description), \(bind: id.description), \(bind: purpose), \(bind: recorder), \(bind: date.millis))
            ON CONFLICT (org_id, purpose, contact_id) DO NOTHING RETURNING purpose
            """).all().isEmpty
    }

    /// The purposes a contact objected to, with when.
    public func objections(_ id: ContactID, org: OrganizationID) async throws -> [(purpose: String, at: Date)] {
        try await store.reads.raw("""
            SELECT purpose, at FROM objection WHERE org_id = \(bind: org.description) AND contact_id = \(bind: id.description) ORDER BY at
            """).all().map { (try $0.string("purpose"), try $0.date("at")) }
    }
}
