import Foundation
import GuardlineCore
import SQLKit

/// Versions of the privacy notice and of each purpose's agent script. Rows are
/// only inserted: an edit is the next version, so what a person was shown stays
/// readable for as long as a consent record points at it.
public struct NoticeStore: Sendable {
    let store: SQLStore

    public init(_ store: SQLStore) { self.store = store }

    /// Stores `text` as the next version of the notice or script and returns it.
    public func publish(
        kind: NoticeVersion.Kind, purpose: String?, text: String, by user: UserID?, org: OrganizationID, at date: Date,
        step: TransactionStep? = nil
    ) async throws -> NoticeVersion {
        do {
            return try await store.transaction { db in
                let last = try await db.raw("""
                    SELECT MAX(version) AS v FROM notice_version
                    WHERE org_id = \(bind: org.description) AND kind = \(bind: kind.rawValue) AND purpose = \(bind: purpose ?? "")
                    """).first()?.decode(column: "v", as: Int?.self) ?? 0
                let version = NoticeVersion(
                    id: UUID.version7(at: date), orgID: org, kind: kind, purpose: purpose, version: last + 1, text: text, createdBy: user,
                    createdAt: date)
                try await db.raw("""
                    INSERT INTO notice_version (id, org_id, kind, purpose, version, text, hash, created_by, created_at)
                    VALUES (\(bind: version.id.uuidString.lowercased()), \(bind: org.description), \(bind: kind.rawValue),
                            \(bind: purpose ?? ""), \(bind: version.version), \(bind: text), \(bind: version.hash),
                            \(bind: user?.description), \(bind: date.millis))
                    """).run()
                try await step?(db)
                return version
            }
        } catch where isUniqueViolation(error) {
            throw GuardlineError(.conflict, "Another version was published at the same moment; read the latest and try again.")
        }
    }

    /// Newest first.
    public func versions(kind: NoticeVersion.Kind, purpose: String?, org: OrganizationID) async throws -> [NoticeVersion] {
        try await store.reads.raw("""
            SELECT id, org_id, kind, purpose, version, text, created_by, created_at FROM notice_version
            WHERE org_id = \(bind: org.description) AND kind = \(bind: kind.rawValue) AND purpose = \(bind: purpose ?? "")
            ORDER BY version DESC
            """).all().map(Self.version)
    }

    public func find(_ id: UUID, org: OrganizationID) async throws -> NoticeVersion? {
        try await store.reads.raw("""
            SELECT id, org_id, kind, purpose, version, text, created_by, created_at FROM notice_version
            WHERE org_id = \(bind: org.description) AND id = \(bind: id.uuidString.lowercased())
            """).first().map(Self.version)
    }

    static func version(_ row: any SQLRow) throws -> NoticeVersion {
        guard let id = UUID(uuidString: try row.string("id")), let kind = NoticeVersion.Kind(rawValue: try row.string("kind")) else {
            throw GuardlineError(.unavailable, "A notice row could not be read; the table may have been altered.")
        }
        let purpose = try row.string("purpose")
        return NoticeVersion(
            id: id, orgID: try row.id("org_id"), kind: kind, purpose: purpose.isEmpty ? nil : purpose, version: try row.decode(column: "version", as: Int.self),
            text: try row.string("text"), createdBy: try row.optionalID("created_by"), createdAt: try row.date("created_at"))
    }
}
