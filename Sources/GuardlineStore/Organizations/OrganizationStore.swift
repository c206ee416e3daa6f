import Foundation
import GuardlineCore
import SQLKit

public struct Organization: Sendable, Equatable {
    public var id: OrganizationID
    public var name: String
    public var createdAt: Date
}

/// Tenants. A single-organization install has one.
public struct OrganizationStore: Sendable {
    let store: SQLStore

    public init(_ store: SQLStore) { self.store = store }

    /// Creates an organization with the standard catalog, journey stages and access profiles.
    public func create(name: String, clock: WallClock) async throws -> Organization {
        let org = Organization(id: .make(at: clock.now), name: name, createdAt: clock.now)
        let profiles = StandardProfiles.all(orgID: org.id, at: clock.now)
        try await store.transaction { db in
            try await db.raw("""
                INSERT INTO organization (id, name, created_at)
                VALUES (\(bind: org.id.description), \(bind: name), \(bind: org.createdAt.millis))
                """).run()
            for (position, field) in StandardCatalog.fields.enumerated() {
                try await CatalogStore.insert(field, org: org.id, position: position, on: db)
            }
            for purpose in StandardCatalog.purposes {
                try await CatalogStore.insert(purpose, org: org.id, on: db)
            }
            try await CatalogStore.replaceStages(JourneyStage.standard, org: org.id, on: db)
            for profile in profiles {
                try await ProfileStore.insert(profile, on: db)
            }
        }
        return org
    }

    public func all() async throws -> [Organization] {
        try await store.reads.raw("SELECT id, name, created_at FROM organization ORDER BY created_at").all().map {
            Organization(id: try $0.id("id"), name: try $0.string("name"), createdAt: try $0.date("created_at"))
        }
    }

    /// The roles that must sign in with a second step here.
    public func mfaRoles(_ org: OrganizationID) async throws -> Set<Role> {
        let text = try await store.reads.raw("SELECT mfa_roles FROM organization WHERE id = \(bind: org.description)").first()
            .map { try $0.string("mfa_roles") } ?? "admin dpo"
        return Set(text.split(separator: " ").compactMap { Role(rawValue: String($0)) })
    }

    public func setMFARoles(_ roles: Set<Role>, org: OrganizationID) async throws {
        let text = roles.map(\.rawValue).sorted().joined(separator: " ")
        try await store.writes.raw("UPDATE organization SET mfa_roles = \(bind: text) WHERE id = \(bind: org.description)").run()
    }

    public func find(_ id: OrganizationID) async throws -> Organization? {
        try await store.reads.raw("SELECT id, name, created_at FROM organization WHERE id = \(bind: id.description)").first().map {
            Organization(id: try $0.id("id"), name: try $0.string("name"), createdAt: try $0.date("created_at"))
        }
    }

    public func find(named name: String) async throws -> Organization? {
        try await store.reads.raw("SELECT id, name, created_at FROM organization WHERE name = \(bind: name)").first().map {
            Organization(id: try $0.id("id"), name: try $0.string("name"), createdAt: try $0.date("created_at"))
        }
    }
}
