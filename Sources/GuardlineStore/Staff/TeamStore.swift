import Foundation
import GuardlineCore
import SQLKit

public struct TeamStore: Sendable {
    let store: SQLStore

    public init(_ store: SQLStore) { self.store = store }

    public func create(_ team: Team) async throws {
        do {
            try await store.writes.raw("""
                INSERT INTO team (id, org_id, name, profile_id, created_at)
                VALUES (\(bind: team.id.description), \(bind: team.orgID.description), \(bind: team.name),
                        \(bind: team.profileID.description), \(bind: team.createdAt.millis))
                """).run()
        } catch where isUniqueViolation(error) {
            throw GuardlineError(.conflict, "A team named '\(team.name)' already exists.")
        }
    }

    public func update(_ team: Team) async throws {
        do {
            try await store.writes.raw("""
                UPDATE team SET name = \(bind: team.name), profile_id = \(bind: team.profileID.description)
                WHERE id = \(bind: team.id.description) AND org_id = \(bind: team.orgID.description)
                """).run()
        } catch where isUniqueViolation(error) {
            throw GuardlineError(.conflict, "A team named '\(team.name)' already exists.")
        }
    }

    public func all(org: OrganizationID) async throws -> [Team] {
        try await store.reads.raw("SELECT * FROM team WHERE org_id = \(bind: org.description) ORDER BY name").all().map(Self.team)
    }

    public func find(_ id: TeamID, org: OrganizationID) async throws -> Team? {
        try await store.reads.raw("""
            SELECT * FROM team WHERE id = \(bind: id.description) AND org_id = \(bind: org.description)
            """).first().map(Self.team)
    }

    static func team(_ row: any SQLRow) throws -> Team {
        Team(id: try row.id("id"), orgID: try row.id("org_id"), name: try row.string("name"),
             profileID: try row.id("profile_id"), createdAt: try row.date("created_at"))
    }
}
