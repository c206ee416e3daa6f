import Foundation
import GuardlineCore
import SQLKit

/// Recordings' metadata; their sealed bytes are in the blob store, under the id.
public struct RecordingStore: Sendable {
    let store: SQLStore

    public init(_ store: SQLStore) { self.store = store }

    /// Records a recording for an interaction that has none yet; false if it already has one.
    public func insert(_ recording: Recording, step: TransactionStep? = nil) async throws -> Bool {
        try await store.transaction { db in
            let conflict = store.engine == .postgres ? " ON CONFLICT DO NOTHING" : ""
            let insert = store.engine == .postgres ? "INSERT" : "INSERT OR IGNORE"
            let rows = try await db.raw("""
                \(unsafeRaw: insert) INTO recording (id, org_id, contact_id, interaction_id, content_type, bytes, purpose, lawful_basis, created_at)
                VALUES (\(bind: recording.id.uuidString.lowercased()), \(bind: recording.orgID.description), \(bind: recording.contactID.description),
                        \(bind: recording.interactionID.description), \(bind: recording.contentType.rawValue), \(bind: recording.bytes),
                        \(bind: recording.purpose), \(bind: recording.lawfulBasis.rawValue), \(bind: recording.createdAt.millis))\(unsafeRaw: conflict)
                RETURNING id
                """).all()
            guard !rows.isEmpty else { return false }
            try await step?(db)
            return true
        }
    }

    public func find(interaction: InteractionID, org: OrganizationID) async throws -> Recording? {
        try await store.reads.raw("""
            SELECT * FROM recording WHERE org_id = \(bind: org.description) AND interaction_id = \(bind: interaction.description)
            """).first().map(Self.recording)
    }

    /// The recordings of interactions among `ids` (a timeline page), by interaction.
    public func forInteractions(_ ids: [InteractionID], org: OrganizationID) async throws -> [InteractionID: Recording] {
        guard !ids.isEmpty else { return [:] }
        let list = SQLList(ids.map { SQLBind($0.description) })
        let rows = try await store.reads.raw("""
            SELECT * FROM recording WHERE org_id = \(bind: org.description) AND interaction_id IN (\(list))
            """).all().map(Self.recording)
        return Dictionary(rows.map { ($0.interactionID, $0) }, uniquingKeysWith: { first, _ in first })
    }

    static func recording(_ row: any SQLRow) throws -> Recording {
        guard let id = UUID(uuidString: try row.string("id")),
              let format = RecordingFormat(rawValue: try row.string("content_type")),
              let basis = LawfulBasis(rawValue: try row.string("lawful_basis"))
        else { throw GuardlineError(.unavailable, "A recording row could not be read; the table may have been altered.") }
        return Recording(
            id: id, orgID: try row.id("org_id"), contactID: try row.id("contact_id"), interactionID: try row.id("interaction_id"),
            contentType: format, bytes: try row.int64("bytes"), purpose: try row.string("purpose"), lawfulBasis: basis,
            createdAt: try row.date("created_at"))
    }
}
