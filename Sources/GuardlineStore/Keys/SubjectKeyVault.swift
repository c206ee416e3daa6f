import Foundation
import GuardlineCore
import SQLKit

/// The key store: each contact's data key, wrapped by the master key, in a
/// database apart from the data. Destroying a row here is what erases a
/// contact for good (crypto-shredding).
public struct SubjectKeyVault: Sendable {
    let store: SQLStore
    private let table: String

    public init(_ store: SQLStore) {
        self.store = store
        self.table = KeyMigrations.table(store, "subject_key")
    }

    public func put(_ wrapped: [UInt8], contact: ContactID, org: OrganizationID, at date: Date) async throws {
        try await store.sql.raw("""
            INSERT INTO \(unsafeRaw: table) (contact_id, org_id, wrapped, created_at)
            VALUES (\(bind: contact.description), \(bind: org.description), \(bind: Data(wrapped)), \(bind: date.millis))
            """).run()
    }

    public func wrapped(contact: ContactID, org: OrganizationID) async throws -> [UInt8]? {
        try await store.sql.raw("""
            SELECT wrapped FROM \(unsafeRaw: table)
            WHERE contact_id = \(bind: contact.description) AND org_id = \(bind: org.description)
            """).first().map { try $0.bytes("wrapped") }
    }

    /// Destroys the key; returns whether there was one.
    @discardableResult
    public func destroy(contact: ContactID, org: OrganizationID) async throws -> Bool {
        let rows = try await store.sql.raw("""
            DELETE FROM \(unsafeRaw: table)
            WHERE contact_id = \(bind: contact.description) AND org_id = \(bind: org.description) RETURNING contact_id
            """).all()
        return !rows.isEmpty
    }

    public func count() async throws -> Int {
        try await store.sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
