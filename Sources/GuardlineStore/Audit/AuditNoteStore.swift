import Foundation
import GuardlineCore
import SQLKit

/// Free text an audit entry refers to (a reveal's stated reason), sealed under
/// the contact's key by the caller: the chain holds the note's id and the hash
/// of its sealed bytes, never the words, and erasing the contact shreds them.
public struct AuditNoteStore: Sendable {
    public struct Note: Sendable {
        public let id: UUID
        public let contactID: ContactID
        public let sealed: [UInt8]
    }

    let store: SQLStore

    public init(_ store: SQLStore) { self.store = store }

    public func insert(id: UUID, org: OrganizationID, contact: ContactID, sealed: [UInt8], at date: Date) async throws {
        try await store.writes.raw("""
            INSERT INTO sealed_note (id, org_id, contact_id, sealed, created_at)
            VALUES (\(bind: id.uuidString.lowercased()), \(bind: org.description), \(bind: contact.description),
                    \(bind: Data(sealed)), \(bind: date.millis))
            """).run()
    }

    /// The notes of this organization among `ids`.
    public func notes(_ ids: [UUID], org: OrganizationID) async throws -> [Note] {
        guard !ids.isEmpty else { return [] }
        let list = SQLList(ids.map { SQLBind($0.uuidString.lowercased()) })
        return try await store.reads.raw("""
            SELECT id, contact_id, sealed FROM sealed_note WHERE org_id = \(bind: org.description) AND id IN (\(list))
            """).all().compactMap { row in
            guard let id = UUID(uuidString: try row.string("id")) else { return nil }
            return Note(id: id, contactID: try row.id("contact_id"), sealed: try row.bytes("sealed"))
        }
    }
}
