import Foundation
import GuardlineCore
import GuardlineStore
import Testing

@testable import GuardlineServer

@Suite("Tenant isolation") struct TenantIsolationTests {
    @Test("another organization's DPO cannot read, change, erase or find our contacts, users or profiles")
    func otherTenant() async throws {
        try await ServerFixture.with { fixture in
            let services = fixture.services
            let other = try await services.organizations.create(name: "Other Center", clock: services.clock)
            // Its accounts sign in with a password alone here; two-step sign-in has tests of its own.
            try await services.organizations.setMFARoles([], org: other.id)
            let profile = try #require(try await services.profiles.all(org: other.id).first { $0.name == "Data Protection" })
            let stranger = StaffUser(id: .make(), orgID: other.id, email: "dpo@other.test", name: "Other DPO", role: .dpo,
                                     teamID: nil, profileID: profile.id, disabled: false, createdAt: Date())
            try await services.users.create(stranger, passwordHash: try await services.passwords.hash(ServerFixture.password))
            let token = try await fixture.login("dpo@other.test")

            let person = fixture.people[0]
            let ours = try await fixture.lookup(phone: person["phone"]!, as: try await fixture.login("dpo@demo.test"))
            let id = try #require(ours.first?["id"] as? String)

            #expect(try await fixture.lookup(phone: person["phone"]!, as: token).isEmpty)
            try await fixture.json(.get, "/api/v1/contacts/\(id)", token: token).expectProblem(.notFound)
            try await fixture.json(.patch, "/api/v1/contacts/\(id)", token: token, body: #"{"fields":{"name":"Hijacked"}}"#).expectProblem(.notFound)
            try await fixture.json(.delete, "/api/v1/contacts/\(id)", token: token).expectProblem(.notFound)
            try await fixture.json(.post, "/api/v1/contacts/\(id)/reveal", token: token, body: #"{"field":"name","reason":"audit"}"#)
                .expectProblem(.forbidden)
            let page = try await fixture.json(.get, "/api/v1/contacts?limit=200", token: token)
            #expect((page.object["items"] as? [Any])?.isEmpty == true)
            let audit = try await fixture.json(.get, "/api/v1/audit?limit=200", token: token)
            let theirs = audit.object["items"] as? [[String: Any]] ?? []
            #expect(!theirs.contains { $0["contactId"] as? String == id })
            // Still ours, unchanged.
            #expect(try await fixture.lookup(phone: person["phone"]!, as: try await fixture.login("dpo@demo.test")).first?.fields["name"] == person["name"])

            let admin = StaffUser(id: .make(), orgID: other.id, email: "admin@other.test", name: "Other Admin", role: .admin,
                                  teamID: nil, profileID: nil, disabled: false, createdAt: Date())
            try await services.users.create(admin, passwordHash: try await services.passwords.hash(ServerFixture.password))
            let otherAdmin = try await fixture.login("admin@other.test")
            let ourUsers = try await fixture.json(.get, "/api/v1/users", token: try await fixture.login("admin@demo.test"))
            let ourUserID = try #require((ourUsers.object["items"] as? [[String: Any]])?.first?["id"] as? String)
            try await fixture.json(.get, "/api/v1/users/\(ourUserID)", token: otherAdmin).expectProblem(.notFound)
            let ourProfiles = try await fixture.json(.get, "/api/v1/access-profiles", token: try await fixture.login("admin@demo.test"))
            let ourProfileID = try #require((ourProfiles.object["items"] as? [[String: Any]])?.first?["id"] as? String)
            try await fixture.json(.get, "/api/v1/access-profiles/\(ourProfileID)", token: otherAdmin).expectProblem(.notFound)
            try await fixture.json(.post, "/api/v1/teams", token: otherAdmin, body: #"{"name":"Sneaky","profileId":"\#(ourProfileID)"}"#)
                .expectProblem(.notFound)
        }
    }
}
