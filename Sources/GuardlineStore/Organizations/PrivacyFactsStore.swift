import Foundation
import GuardlineCore
import SQLKit

/// Each organization's `PrivacyFacts`, as one JSON document (the organization's own words).
public struct PrivacyFactsStore: Sendable {
    let store: SQLStore

    public init(_ store: SQLStore) { self.store = store }

    /// The facts as written; `PrivacyFacts.unstated` until the organization writes them.
    public func facts(org: OrganizationID) async throws -> PrivacyFacts {
        guard let row = try await store.reads.raw("SELECT facts FROM privacy_facts WHERE org_id = \(bind: org.description)").first() else {
            return .unstated
        }
        return try JSONDecoder().decode(PrivacyFacts.self, from: Data(try row.string("facts").utf8))
    }

    public func set(_ facts: PrivacyFacts, org: OrganizationID, by user: String, at date: Date, step: TransactionStep? = nil) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(facts), as: UTF8.self)
        try await store.transaction { db in
            try await db.raw("""
                INSERT INTO privacy_facts (org_id, facts, updated_by, updated_at)
                VALUES (\(bind: org.description), \(bind: text), \(bind: user), \(bind: date.millis))
                ON CONFLICT (org_id) DO UPDATE SET facts = excluded.facts, updated_by = excluded.updated_by, updated_at = excluded.updated_at
                """).run()
            try await step?(db)
        }
    }
}
