import Foundation
import GuardlineCore
import GuardlineStore
import GuardlineTestSupport
import Testing

@Suite("Staff, teams and credentials") struct StaffStoreTests {
    @Test("users, teams and profiles are scoped to their organization", arguments: TestDatabase.engines)
    func scoping(engine: TestDatabase.Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let profiles = try await ProfileStore(fixture.data).all(org: fixture.orgA.id)
            let inbound = try #require(profiles.first { $0.name == "Inbound Support" })
            let team = Team(id: .make(), orgID: fixture.orgA.id, name: "Night shift", profileID: inbound.id, createdAt: Date())
            try await TeamStore(fixture.data).create(team)
            await #expect { try await TeamStore(fixture.data).create(Team(id: .make(), orgID: fixture.orgA.id, name: "Night shift", profileID: inbound.id, createdAt: Date())) }
                throws: { ($0 as? GuardlineError)?.code == .conflict }
            let user = StaffUser(id: .make(), orgID: fixture.orgA.id, email: "ana@example.com", name: "Ana", role: .agent,
                                 teamID: team.id, profileID: nil, disabled: false, createdAt: Date())
            try await UserStore(fixture.data).create(user, passwordHash: "hash")
            #expect(try await UserStore(fixture.data).find(user.id, org: fixture.orgA.id)?.teamID == team.id)
            #expect(try await UserStore(fixture.data).find(user.id, org: fixture.orgB.id) == nil)
            #expect(try await TeamStore(fixture.data).find(team.id, org: fixture.orgB.id) == nil)
            #expect(try await ProfileStore(fixture.data).find(inbound.id, org: fixture.orgB.id) == nil)
            await #expect { try await UserStore(fixture.data).create(user, passwordHash: "hash") } throws: { ($0 as? GuardlineError)?.code == .conflict }
        }
    }

    @Test("tokens are found by hash only while live, and revoked for good", arguments: TestDatabase.engines)
    func tokens(engine: TestDatabase.Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let user = StaffUser(id: .make(), orgID: fixture.orgA.id, email: "t@example.com", name: "T", role: .agent,
                                 teamID: nil, profileID: nil, disabled: false, createdAt: Date())
            try await UserStore(fixture.data).create(user, passwordHash: "hash")
            let store = CredentialStore(fixture.data)
            let now = Date()
            let token = StoredToken(id: .make(), orgID: user.orgID, userID: user.id, name: "crm", kind: .integration,
                                    scopes: [.contactsRead], createdAt: now, expiresAt: now.addingTimeInterval(60))
            let hash = fixture.ring.tokenHasher.hash("gl_secret")
            try await store.insert(token, hash: hash)
            let found = try #require(try await store.token(hash: hash, now: now))
            #expect(found.token.scopes == [.contactsRead])
            #expect(found.stamped)
            #expect(try await store.token(hash: hash, now: now.addingTimeInterval(120)) == nil)
            #expect(try await store.revoke(token.id, user: user.id, org: fixture.orgB.id, now: now) == false)
            #expect(try await store.revoke(token.id, user: user.id, org: user.orgID, now: now))
            #expect(try await store.token(hash: hash, now: now) == nil)
        }
    }
}
