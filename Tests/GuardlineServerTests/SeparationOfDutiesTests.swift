import Foundation
import GuardlineCore
import Testing

@testable import GuardlineServer

/// Nobody widens their own power: a malicious insider with user management
/// cannot promote themselves or take over an administrator (ASVS V8.2).
@Suite("Separation of duties") struct SeparationOfDutiesTests {
    @Test("a user manager who is not an admin cannot promote themselves, mint an admin or take over an admin account")
    func userManagerStaysInLane() async throws {
        try await ServerFixture.with { fixture in
            let admin = try await fixture.login("admin@demo.test")
            let desk = try await fixture.userWithProfile(
                admin: admin, email: "desk@demo.test", fields: "{}", capabilities: #"["manageUsers"]"#)
            let deskID = try await fixture.userID("desk@demo.test")
            let adminID = try await fixture.userID("admin@demo.test")
            let dpoProfile = try #require(try await fixture.services.profiles.all(org: try await fixture.organization())
                .first { $0.name == "Data Protection" }).id

            let refusals = [
                try await fixture.json(.patch, "/api/v1/users/\(deskID)", token: desk, body: #"{"role":"admin"}"#),
                try await fixture.json(.patch, "/api/v1/users/\(deskID)", token: desk, body: #"{"profileId":"\#(dpoProfile)"}"#),
                try await fixture.json(.post, "/api/v1/users", token: desk, body: """
                    {"email":"sock@demo.test","name":"Sock Puppet","password":"\(ServerFixture.password)","role":"admin"}
                    """),
                try await fixture.json(.patch, "/api/v1/users/\(adminID)", token: desk, body: #"{"password":"taken-over-password-1"}"#),
                try await fixture.json(.patch, "/api/v1/users/\(adminID)", token: desk, body: #"{"disabled":true}"#),
                // Nor a DPO (who reads the audit), nor another person's password, nor an account wider than their own.
                try await fixture.json(.post, "/api/v1/users", token: desk, body: """
                    {"email":"sock2@demo.test","name":"Sock Puppet","password":"\(ServerFixture.password)","role":"dpo"}
                    """),
                try await fixture.json(.patch, "/api/v1/users/\(try await fixture.userID("inbound@demo.test"))", token: desk,
                                       body: #"{"password":"taken-over-password-1"}"#),
                try await fixture.json(.post, "/api/v1/users", token: desk, body: """
                    {"email":"sock3@demo.test","name":"Sock Puppet","password":"\(ServerFixture.password)","role":"agent","profileId":"\(dpoProfile)"}
                    """),
            ]
            for response in refusals { response.expectProblem(.forbidden) }
            // Nothing changed: the admin still signs in with their password, the desk is still an agent.
            _ = try await fixture.login("admin@demo.test")
            let me = try await fixture.json(.get, "/api/v1/auth/me", token: desk)
            #expect((me.object["user"] as? [String: Any])?["role"] as? String == "agent")
            #expect((me.object["user"] as? [String: Any])?["profileId"] as? String != dpoProfile.description)
            #expect(try await fixture.services.users.all(org: try await fixture.organization()).allSatisfy { !$0.email.hasPrefix("sock") })
            _ = try await fixture.login("inbound@demo.test")
            // Each refusal is on record, by rule code, without free text.
            let audit = try await fixture.json(.get, "/api/v1/audit?action=admin.refused&limit=50", token: try await fixture.login("dpo@demo.test"))
            let contexts = (audit.object["items"] as? [[String: Any]] ?? []).compactMap { $0["context"] as? String }
            #expect(contexts.count == refusals.count)
            #expect(contexts.filter { $0.hasPrefix("own_assignment") }.count == 2)
            #expect(contexts.filter { $0.hasPrefix("admin_by_non_admin") }.count == 4)
            #expect(contexts.filter { $0.hasPrefix("password_by_non_admin") }.count == 1)
            #expect(contexts.filter { $0.hasPrefix("wider_than_own") }.count == 1)
        }
    }

    @Test("an admin cannot change their own role or edit the profile they hold, but may edit others")
    func adminCannotWidenOwnProfile() async throws {
        try await ServerFixture.with { fixture in
            let admin = try await fixture.login("admin@demo.test")
            let adminID = try await fixture.userID("admin@demo.test")
            let profiles = try await fixture.services.profiles.all(org: try await fixture.organization())
            let own = try #require(profiles.first { $0.name == "Administration" }).id
            let inbound = try #require(profiles.first { $0.name == "Inbound Support" }).id
            try await fixture.json(.patch, "/api/v1/users/\(adminID)", token: admin, body: #"{"role":"dpo"}"#).expectProblem(.forbidden)
            let widen = #"{"name":"Administration","fields":{"name":{"access":"visible"}},"capabilities":["manageUsers","manageProfiles","manageCatalog","readAudit"]}"#
            try await fixture.json(.put, "/api/v1/access-profiles/\(own)", token: admin, body: widen).expectProblem(.forbidden)
            #expect(try await fixture.services.profiles.find(own, org: try await fixture.organization())?.fields.isEmpty == true)
            // Renaming oneself and editing a profile one does not hold are fine.
            #expect(try await fixture.json(.patch, "/api/v1/users/\(adminID)", token: admin, body: #"{"name":"Alex A. Admin"}"#).status == .ok)
            let narrowed = #"{"name":"Inbound Support","fields":{"name":{"access":"visible"}},"capabilities":[]}"#
            #expect(try await fixture.json(.put, "/api/v1/access-profiles/\(inbound)", token: admin, body: narrowed).status == .ok)
        }
    }

    @Test("a team member with profile management cannot re-point their own team at a wider profile")
    func ownTeam() async throws {
        try await ServerFixture.with { fixture in
            let services = fixture.services
            let org = try await fixture.organization()
            let profiles = try await services.profiles.all(org: org)
            // Inbound Support gains profile and user management, as a careless admin might grant.
            var inboundProfile = try #require(profiles.first { $0.name == "Inbound Support" })
            inboundProfile.capabilities.formUnion([.manageUsers, .manageProfiles])
            try await services.profiles.replace(inboundProfile)
            let team = try #require(try await services.teams.all(org: org).first { $0.name == "Inbound Support" })
            let dpo = try #require(profiles.first { $0.name == "Data Protection" })
            let inbound = try await fixture.login("inbound@demo.test")
            try await fixture.json(.patch, "/api/v1/teams/\(team.id)", token: inbound, body: #"{"profileId":"\#(dpo.id)"}"#)
                .expectProblem(.forbidden)
            try await fixture.json(.put, "/api/v1/access-profiles/\(inboundProfile.id)", token: inbound,
                                   body: #"{"name":"Inbound Support","fields":{},"capabilities":["readAudit"]}"#).expectProblem(.forbidden)
            #expect(try await services.teams.find(team.id, org: org)?.profileID == inboundProfile.id)
        }
    }
}
