import Foundation
import GuardlineCore
import SQLKit
import SQLiteKit

/// The key store: each contact's data key, wrapped by the master key, in a
/// database apart from the data. Destroying a row here is what erases a
/// contact for good (crypto-shredding).
public struct SubjectKeyVault: Sendable {
    let store: SQLStore
    private let table: String
    /// `wrapped`'s query as SQLite runs it, serialized once: a screen pop of a contact not yet in the key cache reads it.
    private let wrappedText: String?

    public init(_ store: SQLStore) {
        self.store = store
        let table = KeyMigrations.table(store, "subject_key")
        self.table = table
        wrappedText = store.embedded.map { $0.text(of: Self.wrapped(in: table, contact: "", org: "")) }
    }

    public func put(_ wrapped: [UInt8], contact: ContactID, org: OrganizationID, at date: Date) async throws {
        try await store.writes.raw("""
            INSERT INTO \(unsafeRaw: table) (contact_id, org_id, wrapped, created_at)
            VALUES (\(bind: contact.description), \(bind: org.description), \(bind: Data(wrapped)), \(bind: date.millis))
            """).run()
    }

    public func wrapped(contact: ContactID, org: OrganizationID) async throws -> [UInt8]? {
        if let embedded = store.embedded, let wrappedText {
            return try embedded.rows(wrappedText, [.text(contact.description), .text(org.description)]) { Array($0.requiredBytes(0)) }.first
        }
        return try await store.reads.raw(Self.wrapped(in: table, contact: contact.description, org: org.description))
            .first().map { try $0.bytes("wrapped") }
    }

    private static func wrapped(in table: String, contact: String, org: String) -> SQLQueryString {
        "SELECT wrapped FROM \(unsafeRaw: table) WHERE contact_id = \(bind: contact) AND org_id = \(bind: org)"
    }

    /// Destroys the key; returns whether there was one.
    ///
    /// On SQLite the deleted row is zeroed in its page (`secure_delete`), but the
    /// write-ahead log still holds the page as it was until the log starts over; the
    /// log is emptied at once, so the key is gone from disk when this returns. If a
    /// reader holds the log past the busy timeout, the checkpointer retries until it is emptied.
    @discardableResult
    public func destroy(contact: ContactID, org: OrganizationID) async throws -> Bool {
        let rows = try await store.writes.raw("""
            DELETE FROM \(unsafeRaw: table)
            WHERE contact_id = \(bind: contact.description) AND org_id = \(bind: org.description) RETURNING contact_id
            """).all()
        guard !rows.isEmpty else { return false }
        if try await !store.truncateLog() {
            store.sql.logger.warning("The key store's log could not be emptied at once after a key was destroyed (a reader held it); retrying until it is.")
        }
        return true
    }

    /// Any one wrapped key, to check at start-up that the master key can open it.
    public func sample() async throws -> (contact: ContactID, org: OrganizationID, wrapped: [UInt8])? {
        try await store.reads.raw("SELECT contact_id, org_id, wrapped FROM \(unsafeRaw: table) LIMIT 1").first().map {
            (try $0.id("contact_id"), try $0.id("org_id"), try $0.bytes("wrapped"))
        }
    }

    public func count() async throws -> Int {
        try await store.reads.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
