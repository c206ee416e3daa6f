import Foundation
import GuardlineCore
import SQLKit

/// Staff accounts. Passwords arrive here already hashed (bcrypt).
public struct UserStore: Sendable {
    let store: SQLStore

    public init(_ store: SQLStore) { self.store = store }

    public func create(_ user: StaffUser, passwordHash: String) async throws {
        do {
            try await store.writes.raw("""
                INSERT INTO staff_user (id, org_id, email, name, role, team_id, profile_id, password_hash, disabled, created_at)
                VALUES (\(bind: user.id.description), \(bind: user.orgID.description), \(bind: user.email), \(bind: user.name),
                        \(bind: user.role.rawValue), \(bind: user.teamID?.description), \(bind: user.profileID?.description),
                        \(bind: passwordHash), \(bind: user.disabled ? 1 : 0), \(bind: user.createdAt.millis))
                """).run()
        } catch where isUniqueViolation(error) {
            // Unique per organization: the answer says nothing about other tenants.
            throw GuardlineError(.conflict, "A user with this email address already exists in your organization.")
        }
    }

    public func update(_ user: StaffUser, passwordHash: String?) async throws {
        try await store.writes.raw("""
            UPDATE staff_user SET name = \(bind: user.name), role = \(bind: user.role.rawValue),
                team_id = \(bind: user.teamID?.description), profile_id = \(bind: user.profileID?.description),
                disabled = \(bind: user.disabled ? 1 : 0),
                password_hash = COALESCE(\(bind: passwordHash), password_hash)
            WHERE id = \(bind: user.id.description) AND org_id = \(bind: user.orgID.description)
            """).run()
    }

    public func all(org: OrganizationID) async throws -> [StaffUser] {
        try await store.reads.raw("SELECT * FROM staff_user WHERE org_id = \(bind: org.description) ORDER BY email")
            .all().map(Self.user)
    }

    public func find(_ id: UserID, org: OrganizationID) async throws -> StaffUser? {
        try await store.reads.raw("""
            SELECT * FROM staff_user WHERE id = \(bind: id.description) AND org_id = \(bind: org.description)
            """).first().map(Self.user)
    }

    /// The account with this email in the organization (a PBX names agents by their sign-in email).
    public func find(email: String, org: OrganizationID) async throws -> StaffUser? {
        try await store.reads.raw("""
            SELECT * FROM staff_user WHERE email = \(bind: email) AND org_id = \(bind: org.description)
            """).first().map(Self.user)
    }

    /// For sign-in: the accounts with this email in any organization (oldest first,
    /// at most `limit`) and their password hashes.
    public func credentials(email: String, limit: Int = 4) async throws -> [(user: StaffUser, passwordHash: String)] {
        try await store.reads.raw("""
            SELECT * FROM staff_user WHERE email = \(bind: email) ORDER BY created_at, id LIMIT \(bind: limit)
            """).all().map { (try Self.user($0), try $0.string("password_hash")) }
    }

    static func user(_ row: any SQLRow) throws -> StaffUser {
        StaffUser(
            id: try row.id("id"), orgID: try row.id("org_id"), email: try row.string("email"), name: try row.string("name"),
            role: Role(rawValue: try row.string("role")) ?? .agent, teamID: try row.optionalID("team_id"),
            profileID: try row.optionalID("profile_id"), disabled: try row.bool("disabled"),
            createdAt: try row.date("created_at"))
    }
}
