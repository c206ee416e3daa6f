import Foundation
import GuardlineCore
import GuardlineStore
import HTTPTypes
import HummingbirdTesting
import NIOCore
import GuardlineTestSupport
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

    @Test("another organization's phone system and staff cannot reach our calls, their interactions, timelines or recordings",
          arguments: TestDatabase.engines)
    func otherTenantCalls(engine: TestDatabase.Engine) async throws {
        try await ServerFixture.with(engine) { fixture in
            let other = try await fixture.anotherOrganization()
            let theirDPO = try await fixture.staff("dpo@other.test", role: .dpo, profile: "Data Protection", org: other)
            let minted = try await fixture.json(.post, "/api/v1/tokens", token: try await fixture.staff("admin@other.test", role: .admin, org: other),
                                                body: #"{"name":"Their PBX","scopes":["cti.events"]}"#)
            let theirPBX = try #require(minted.object["token"] as? String, "\(minted.text)")

            let person = fixture.people[3]
            let callID = "shared-\(UUID().uuidString)"
            let ourPBX = try await fixture.ctiToken()
            let call = try await fixture.answeredCall(from: person["phone"]!, agent: "inbound@demo.test", callID: callID, pbx: ourPBX)
            let dpo = try await fixture.login("dpo@demo.test")
            let contact = try #require(try await fixture.lookup(phone: person["phone"]!, as: dpo).first?["id"] as? String)

            // Their phone system cannot hand our call to our agent, end it, or pop anything on our consoles.
            try await fixture.json(.post, "/api/v1/cti/events", token: theirPBX, body: """
                {"type":"transferred","callId":"\(callID)","from":"\(person["phone"]!)","agent":"inbound@demo.test"}
                """).expectProblem(.badRequest)
            let theirs = try await fixture.json(.post, "/api/v1/cti/events", token: theirPBX, body: """
                {"type":"ended","callId":"\(callID)","from":"\(person["phone"]!)"}
                """)
            #expect(theirs.status == .accepted, "\(theirs.text)")
            #expect(theirs.object["interactionId"] as? String != call)
            let ours = try await fixture.json(.get, "/api/v1/interactions/\(call)", token: dpo)
            #expect(ours.object["state"] as? String == "active", "\(ours.text)")
            #expect(ours.object["endedAt"] == nil)
            // The same number calling them matches none of our contacts.
            let theirCall = try #require(theirs.object["interactionId"] as? String)
            let seen = try await fixture.json(.get, "/api/v1/interactions/\(theirCall)", token: theirDPO)
            #expect(seen.status == .ok, "\(seen.text)")
            #expect(seen.object["contactId"] == nil)

            // Their staff find nothing of ours.
            try await fixture.json(.get, "/api/v1/interactions/\(call)", token: theirDPO).expectProblem(.notFound)
            try await fixture.json(.patch, "/api/v1/interactions/\(call)", token: theirDPO, body: #"{"disposition":"x","close":true}"#)
                .expectProblem(.notFound)
            try await fixture.json(.post, "/api/v1/interactions/\(call)/contact", token: theirDPO, body: #"{"contactId":"\#(contact)"}"#)
                .expectProblem(.notFound)
            try await fixture.json(.get, "/api/v1/interactions/\(call)/recording", token: theirDPO).expectProblem(.notFound)
            try await fixture.json(.get, "/api/v1/contacts/\(contact)/timeline", token: theirDPO).expectProblem(.notFound)
            try await fixture.json(.post, "/api/v1/contacts/\(contact)/interactions", token: theirDPO,
                                   body: #"{"channel":"email","direction":"inbound","body":"hello"}"#).expectProblem(.notFound)
            let open = try await fixture.json(.get, "/api/v1/interactions", token: theirDPO)
            #expect(!((open.object["items"] as? [[String: Any]]) ?? []).contains { $0["id"] as? String == call })
            let upload = try await fixture.client.execute(
                uri: "/api/v1/interactions/\(call)/recording", method: .put,
                headers: [.authorization: "Bearer \(theirPBX)", .contentType: "audio/wav"], body: ByteBuffer(bytes: RecordingTests.audio))
            upload.expectProblem(.notFound)
            // Our call is still ours, as it was.
            #expect(try await fixture.json(.get, "/api/v1/contacts/\(contact)/timeline", token: dpo).status == .ok)
            #expect(try await fixture.json(.get, "/api/v1/interactions/\(call)", token: dpo).object["state"] as? String == "active")
        }
    }
}
