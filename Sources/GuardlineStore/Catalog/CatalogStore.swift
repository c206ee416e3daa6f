import Foundation
import GuardlineCore
import SQLKit

/// The data catalog of an organization: its fields and purposes.
public struct CatalogStore: Sendable {
    let store: SQLStore

    public init(_ store: SQLStore) { self.store = store }

    public func fields(org: OrganizationID) async throws -> FieldCatalog {
        let rows = try await store.reads.raw("""
            SELECT key, label, category, special_category, purposes FROM data_field
            WHERE org_id = \(bind: org.description) ORDER BY position, key
            """).all()
        return FieldCatalog(try rows.map { row in
            DataField(
                key: FieldKey(try row.string("key")), label: try row.string("label"), category: try row.string("category"),
                specialCategory: try row.bool("special_category"),
                purposes: try JSONDecoder().decode([String].self, from: Data(try row.string("purposes").utf8)))
        })
    }

    public func addField(_ field: DataField, org: OrganizationID) async throws {
        do {
            try await store.transaction { db in
                let next = try await db.raw("SELECT COUNT(*) AS n FROM data_field WHERE org_id = \(bind: org.description)")
                    .first()?.decode(column: "n", as: Int.self) ?? 0
                try await Self.insert(field, org: org, position: next, on: db)
            }
        } catch where isUniqueViolation(error) {
            throw GuardlineError(.conflict, "A field with key '\(field.key)' already exists.")
        }
    }

    public func purposes(org: OrganizationID) async throws -> [Purpose] {
        let rows = try await store.reads.raw("""
            SELECT key, name, description, lawful_basis, retention_days FROM purpose
            WHERE org_id = \(bind: org.description) ORDER BY key
            """).all()
        return try rows.map { row in
            Purpose(
                key: try row.string("key"), name: try row.string("name"), description: try row.string("description"),
                lawfulBasis: LawfulBasis(rawValue: try row.string("lawful_basis")) ?? .consent,
                retentionDays: try row.decode(column: "retention_days", as: Int.self))
        }
    }

    public func addPurpose(_ purpose: Purpose, org: OrganizationID) async throws {
        do {
            try await Self.insert(purpose, org: org, on: store.sql)
        } catch where isUniqueViolation(error) {
            throw GuardlineError(.conflict, "A purpose with key '\(purpose.key)' already exists.")
        }
    }

    static func insert(_ field: DataField, org: OrganizationID, position: Int, on db: any SQLDatabase) async throws {
        let purposes = String(decoding: try JSONEncoder().encode(field.purposes), as: UTF8.self)
        try await db.raw("""
            INSERT INTO data_field (org_id, key, label, category, special_category, purposes, position)
            VALUES (\(bind: org.description), \(bind: field.key.rawValue), \(bind: field.label), \(bind: field.category),
                    \(bind: field.specialCategory ? 1 : 0), \(bind: purposes), \(bind: position))
            """).run()
    }

    static func insert(_ purpose: Purpose, org: OrganizationID, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO purpose (org_id, key, name, description, lawful_basis, retention_days)
            VALUES (\(bind: org.description), \(bind: purpose.key), \(bind: purpose.name), \(bind: purpose.description),
                    \(bind: purpose.lawfulBasis.rawValue), \(bind: purpose.retentionDays))
            """).run()
    }
}
