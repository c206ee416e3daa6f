import Foundation
import GuardlineCore
import SQLKit

/// The data catalog of an organization: its fields, purposes and journey stages.
public struct CatalogStore: Sendable {
    let store: SQLStore

    public init(_ store: SQLStore) { self.store = store }

    public func fields(org: OrganizationID) async throws -> FieldCatalog {
        let rows = try await store.reads.raw("""
            SELECT key, label, category, special_category, purposes, stages FROM data_field
            WHERE org_id = \(bind: org.description) ORDER BY position, key
            """).all()
        return FieldCatalog(try rows.map { row in
            DataField(
                key: FieldKey(try row.string("key")), label: try row.string("label"), category: try row.string("category"),
                specialCategory: try row.bool("special_category"), purposes: try Self.list(row.string("purposes")),
                stages: try Self.list(row.string("stages")))
        })
    }

    /// `step` (the audit entry, on PostgreSQL) commits with each change below.
    public func addField(_ field: DataField, org: OrganizationID, step: TransactionStep? = nil) async throws {
        do {
            try await store.transaction { db in
                let next = try await db.raw("SELECT COUNT(*) AS n FROM data_field WHERE org_id = \(bind: org.description)")
                    .first()?.decode(column: "n", as: Int.self) ?? 0
                try await Self.insert(field, org: org, position: next, on: db)
                try await step?(db)
            }
        } catch where isUniqueViolation(error) {
            throw GuardlineError(.conflict, "A field with key '\(field.key)' already exists.")
        }
    }

    public func purposes(org: OrganizationID) async throws -> [Purpose] {
        let rows = try await store.reads.raw("""
            SELECT key, name, description, lawful_basis, retention_days, channels, stages, active FROM purpose
            WHERE org_id = \(bind: org.description) ORDER BY key
            """).all()
        return try rows.map { row in
            Purpose(
                key: try row.string("key"), name: try row.string("name"), description: try row.string("description"),
                lawfulBasis: LawfulBasis(rawValue: try row.string("lawful_basis")) ?? .consent,
                retentionDays: try row.decode(column: "retention_days", as: Int.self),
                channels: try Self.list(row.string("channels")).compactMap(ContactChannel.init(rawValue:)),
                stages: try Self.list(row.string("stages")), active: try row.decode(column: "active", as: Int.self) != 0)
        }
    }

    public func addPurpose(_ purpose: Purpose, org: OrganizationID, step: TransactionStep? = nil) async throws {
        do {
            try await store.transaction { db in
                try await Self.insert(purpose, org: org, on: db)
                try await step?(db)
            }
        } catch where isUniqueViolation(error) {
            throw GuardlineError(.conflict, "A purpose with key '\(purpose.key)' already exists.")
        }
    }

    /// Replaces a purpose's words, basis, retention, channels, stages and state; false if there is none.
    public func replacePurpose(_ purpose: Purpose, org: OrganizationID, step: TransactionStep? = nil) async throws -> Bool {
        try await store.transaction { db in
            let replaced = !(try await db.raw("""
            UPDATE purpose SET name = \(bind: purpose.name), description = \(bind: purpose.description),
                lawful_basis = \(bind: purpose.lawfulBasis.rawValue), retention_days = \(bind: purpose.retentionDays),
                channels = \(bind: try Self.text(purpose.channels.map(\.rawValue))), stages = \(bind: try Self.text(purpose.stages)),
                active = \(bind: purpose.active ? 1 : 0)
            WHERE org_id = \(bind: org.description) AND key = \(bind: purpose.key) RETURNING key
            """).all().isEmpty)
            if replaced { try await step?(db) }
            return replaced
        }
    }

    /// The organization's journey stages, in order.
    public func stages(org: OrganizationID) async throws -> [JourneyStage] {
        try await store.reads.raw("""
            SELECT key, label FROM journey_stage WHERE org_id = \(bind: org.description) ORDER BY position
            """).all().map { JourneyStage(key: try $0.string("key"), label: try $0.string("label")) }
    }

    /// Sets the organization's stages (renamed, added, reordered).
    public func setStages(_ stages: [JourneyStage], org: OrganizationID, step: TransactionStep? = nil) async throws {
        try await store.transaction { db in
            try await Self.replaceStages(stages, org: org, on: db)
            try await step?(db)
        }
    }

    static func replaceStages(_ stages: [JourneyStage], org: OrganizationID, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM journey_stage WHERE org_id = \(bind: org.description)").run()
        for (position, stage) in stages.enumerated() {
            try await db.raw("""
                INSERT INTO journey_stage (org_id, key, label, position)
                VALUES (\(bind: org.description), \(bind: stage.key), \(bind: stage.label), \(bind: position))
                """).run()
        }
    }

    static func insert(_ field: DataField, org: OrganizationID, position: Int, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO data_field (org_id, key, label, category, special_category, purposes, stages, position)
            VALUES (\(bind: org.description), \(bind: field.key.rawValue), \(bind: field.label), \(bind: field.category),
                    \(bind: field.specialCategory ? 1 : 0), \(bind: try text(field.purposes)), \(bind: try text(field.stages)),
                    \(bind: position))
            """).run()
    }

    static func insert(_ purpose: Purpose, org: OrganizationID, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO purpose (org_id, key, name, description, lawful_basis, retention_days, channels, stages, active)
            VALUES (\(bind: org.description), \(bind: purpose.key), \(bind: purpose.name), \(bind: purpose.description),
                    \(bind: purpose.lawfulBasis.rawValue), \(bind: purpose.retentionDays),
                    \(bind: try text(purpose.channels.map(\.rawValue))), \(bind: try text(purpose.stages)), \(bind: purpose.active ? 1 : 0))
            """).run()
    }

    /// Short lists of keys are stored as JSON arrays.
    private static func text(_ list: [String]) throws -> String { String(decoding: try JSONEncoder().encode(list), as: UTF8.self) }
    private static func list(_ text: String) throws -> [String] { try JSONDecoder().decode([String].self, from: Data(text.utf8)) }
}
