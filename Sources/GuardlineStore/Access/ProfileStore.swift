import Foundation
import GuardlineCore
import SQLKit

/// Access profiles, stored with their field rules and capabilities as JSON.
public struct ProfileStore: Sendable {
    let store: SQLStore

    public init(_ store: SQLStore) { self.store = store }

    public func all(org: OrganizationID) async throws -> [AccessProfile] {
        try await store.reads.raw("""
            SELECT * FROM access_profile WHERE org_id = \(bind: org.description) ORDER BY name
            """).all().map(Self.profile)
    }

    public func find(_ id: AccessProfileID, org: OrganizationID) async throws -> AccessProfile? {
        try await store.reads.raw("""
            SELECT * FROM access_profile WHERE id = \(bind: id.description) AND org_id = \(bind: org.description)
            """).first().map(Self.profile)
    }

    public func create(_ profile: AccessProfile) async throws {
        do {
            try await Self.insert(profile, on: store.sql)
        } catch where isUniqueViolation(error) {
            throw GuardlineError(.conflict, "An access profile named '\(profile.name)' already exists.")
        }
    }

    public func replace(_ profile: AccessProfile) async throws {
        let (fields, capabilities) = try Self.encode(profile)
        do {
            try await store.writes.raw("""
                UPDATE access_profile SET name = \(bind: profile.name), fields = \(bind: fields),
                    capabilities = \(bind: capabilities), context_rule = \(bind: profile.contextRule.rawValue), updated_at = \(bind: profile.updatedAt.millis)
                WHERE id = \(bind: profile.id.description) AND org_id = \(bind: profile.orgID.description)
                """).run()
        } catch where isUniqueViolation(error) {
            throw GuardlineError(.conflict, "An access profile named '\(profile.name)' already exists.")
        }
    }

    static func insert(_ profile: AccessProfile, on db: any SQLDatabase) async throws {
        let (fields, capabilities) = try encode(profile)
        try await db.raw("""
            INSERT INTO access_profile (id, org_id, name, fields, capabilities, context_rule, created_at, updated_at)
            VALUES (\(bind: profile.id.description), \(bind: profile.orgID.description), \(bind: profile.name),
                    \(bind: fields), \(bind: capabilities), \(bind: profile.contextRule.rawValue), \(bind: profile.createdAt.millis), \(bind: profile.updatedAt.millis))
            """).run()
    }

    private static func encode(_ profile: AccessProfile) throws -> (String, String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let fields = Dictionary(uniqueKeysWithValues: profile.fields.map { ($0.key.rawValue, $0.value) })
        return (
            String(decoding: try encoder.encode(fields), as: UTF8.self),
            String(decoding: try encoder.encode(profile.capabilities.map(\.rawValue).sorted()), as: UTF8.self)
        )
    }

    static func profile(_ row: any SQLRow) throws -> AccessProfile {
        let decoder = JSONDecoder()
        let fields = try decoder.decode([String: FieldRule].self, from: Data(try row.string("fields").utf8))
        let capabilities = try decoder.decode([String].self, from: Data(try row.string("capabilities").utf8))
        return AccessProfile(
            id: try row.id("id"), orgID: try row.id("org_id"), name: try row.string("name"),
            fields: Dictionary(uniqueKeysWithValues: fields.map { (FieldKey($0.key), $0.value) }),
            capabilities: Set(capabilities.compactMap(Capability.init(rawValue:))),
            contextRule: ContextRule(rawValue: try row.string("context_rule")) ?? .interaction,
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }
}
