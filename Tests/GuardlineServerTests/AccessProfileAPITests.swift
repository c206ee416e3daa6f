import Foundation
import GuardlineCore
import Testing

@testable import GuardlineServer

@Suite("Access profiles through the API (Art25, Art5_1_c)") struct AccessProfileAPITests {
    @Test("inbound support sees the address, outbound sales sees the phone only, as the brief asks")
    func briefExample() async throws {
        try await ServerFixture.with { fixture in
            let person = fixture.people[0]
            let inbound = try await fixture.lookup(phone: person["phone"]!, as: try await fixture.login("inbound@demo.test"), inCall: true)
            let outbound = try await fixture.lookup(phone: person["phone"]!, as: try await fixture.login("outbound@demo.test"), inCall: true)
            #expect(inbound.count == 1)
            #expect(inbound.first?.fields["address"] == person["address"])
            #expect(inbound.first?.fields["name"] == person["name"])
            #expect(outbound.first?.fields == ["phone": person["phone"]!])
        }
    }

    @Test("masked fields arrive masked, never in clear")
    func masked() async throws {
        try await ServerFixture.with { fixture in
            let dpo = try await fixture.login("dpo@demo.test")
            let created = try await fixture.json(.post, "/api/v1/contacts", token: dpo, body: """
                {"fields":{"name":"Maria Silva","phone":"+351 912 345 789","email":"joana@example.com","address":"Rua Augusta 100"}}
                """)
            #expect(created.status == .created)
            let supervisor = try await fixture.lookup(phone: "+351912345789", as: try await fixture.login("supervisor@demo.test"))
            let fields = try #require(supervisor.first).fields
            #expect(fields["phone"] == "+351 *** *** 789")
            #expect(fields["email"] == "j***@example.com")
            #expect(fields["address"] == nil)
            #expect((supervisor.first?["masked"] as? [String])?.sorted() == ["email", "phone"])
        }
    }

    @Test("an agent edits only editable fields; null clears one")
    func editing() async throws {
        try await ServerFixture.with { fixture in
            let person = fixture.people[1]
            let inbound = try await fixture.login("inbound@demo.test")
            let call = try await fixture.answeredCall(from: person["phone"]!, agent: "inbound@demo.test")
            let id = try #require(try await fixture.lookup(phone: person["phone"]!, as: inbound).first?["id"] as? String)
            let moved = try await fixture.json(.patch, "/api/v1/contacts/\(id)?interactionId=\(call)", token: inbound,
                                               body: #"{"fields":{"address":"Rua Nova 1, 4000-001 Porto","language":null}}"#)
            #expect(moved.status == .ok)
            #expect(moved.object.fields["address"] == "Rua Nova 1, 4000-001 Porto")
            #expect(moved.object.fields["language"] == nil)
            let outbound = try await fixture.login("outbound@demo.test")
            try await fixture.json(.patch, "/api/v1/contacts/\(id)", token: outbound, body: #"{"fields":{"phone":"+351911111111"}}"#)
                .expectProblem(.forbidden)
            try await fixture.json(.patch, "/api/v1/contacts/\(id)?interactionId=\(call)", token: inbound, body: #"{"fields":{"birthDate":"1990-01-01"}}"#)
                .expectProblem(.forbidden)
        }
    }

    @Test("revealing a masked field needs the capability and a reason, and is audited with it")
    func reveal() async throws {
        try await ServerFixture.with { fixture in
            let person = fixture.people[2]
            let inbound = try await fixture.login("inbound@demo.test")
            let card = try #require(try await fixture.lookup(phone: person["phone"]!, as: inbound, inCall: true).first)
            #expect(card.fields["birthDate"] == "[redacted]")
            let id = try #require(card["id"] as? String)
            try await fixture.json(.post, "/api/v1/contacts/\(id)/reveal", token: inbound, body: #"{"field":"birthDate","reason":"x"}"#)
                .expectProblem(.badRequest)
            let revealed = try await fixture.json(.post, "/api/v1/contacts/\(id)/reveal", token: inbound,
                                                  body: #"{"field":"birthDate","reasonCode":"identity_verification","reason":"caller Maria Silva says she moved, call back on 912 345 678"}"#)
            #expect(revealed.status == .ok)
            #expect(revealed.object["value"] as? String == person["birthDate"])
            try await fixture.json(.post, "/api/v1/contacts/\(id)/reveal", token: inbound, body: #"{"field":"name","reason":"curious"}"#)
                .expectProblem(.forbidden)
            let outbound = try await fixture.login("outbound@demo.test")
            try await fixture.json(.post, "/api/v1/contacts/\(id)/reveal", token: outbound, body: #"{"field":"address","reason":"sales"}"#)
                .expectProblem(.forbidden)
            let audit = try await fixture.json(.get, "/api/v1/audit?action=contact.reveal&contactId=\(id)", token: try await fixture.login("dpo@demo.test"))
            let entry = try #require((audit.object["items"] as? [[String: Any]])?.first)
            #expect(entry["fields"] as? [String] == ["birthDate"])
            // Free text never enters the chain: a reason code and the sealed note's id and hash do.
            let context = try #require(entry["context"] as? String)
            #expect(context.hasPrefix("reason identity_verification; note "))
            #expect(context.contains("sha256:"))
            #expect(!context.contains("Maria") && !context.contains("moved"))
            // The DPO still reads the words, opened under the contact's key, until the contact is erased.
            let dpo = try await fixture.login("dpo@demo.test")
            let principal = try await fixture.services.authenticator.principal(bearer: dpo)
            let opened = try await fixture.services.contacts.openNotes(inContexts: [context], by: principal)
            // A number typed into the reason was redacted before it was sealed: it is not kept at all.
            #expect(opened.values.first == "caller Maria Silva says she moved, call back on [PHONE]")
            #expect(try await fixture.json(.delete, "/api/v1/contacts/\(id)", token: dpo).status == .noContent)
            #expect(try await fixture.services.contacts.openNotes(inContexts: [context], by: principal).isEmpty)
            // A reason given when opening a card is sealed the same way.
            let other = try #require(try await fixture.lookup(phone: fixture.people[3]["phone"]!, as: inbound).first?["id"] as? String)
            _ = try await fixture.json(.get, "/api/v1/contacts/\(other)?reason=Joana%20called%20about%20her%20son", token: inbound)
            let reads = try await fixture.json(.get, "/api/v1/audit?action=contact.read&contactId=\(other)", token: dpo)
            let readContext = try #require((reads.object["items"] as? [[String: Any]])?.first?["context"] as? String)
            #expect(!readContext.contains("Joana") && readContext.contains("note "))
        }
    }

    @Test("a profile the admin narrows applies to the agent's next request, on a token already in use")
    func narrowedProfileAppliesAtOnce() async throws {
        try await ServerFixture.with { fixture in
            let person = fixture.people[4]
            let inbound = try await fixture.login("inbound@demo.test")
            #expect(try await fixture.lookup(phone: person["phone"]!, as: inbound, inCall: true).first?.fields["address"] == person["address"])
            let admin = try await fixture.login("admin@demo.test")
            let profiles = try await fixture.json(.get, "/api/v1/access-profiles", token: admin)
            let inboundProfile = try #require((profiles.object["items"] as? [[String: Any]])?.first { $0["name"] as? String == "Inbound Support" })
            let id = try #require(inboundProfile["id"] as? String)
            let saved = try await fixture.json(.put, "/api/v1/access-profiles/\(id)", token: admin, body: """
                {"name":"Inbound Support","fields":{"phone":{"access":"visible"}},"capabilities":[]}
                """)
            #expect(saved.status == .ok)
            // The same token, resolved again: the narrowed rules hold at once, not after the profile cache's lifetime.
            #expect(try await fixture.lookup(phone: person["phone"]!, as: inbound, inCall: true).first?.fields == ["phone": person["phone"]!])
        }
    }

    @Test("an admin's new profile takes effect for a new team's agent")
    func adminProfile() async throws {
        try await ServerFixture.with { fixture in
            let admin = try await fixture.login("admin@demo.test")
            let profile = try await fixture.json(.post, "/api/v1/access-profiles", token: admin, body: """
                {"name":"Collections","fields":{"name":{"access":"masked","mask":"initials"},"phone":{"access":"visible"}},"capabilities":[]}
                """)
            #expect(profile.status == .created)
            let profileID = try #require(profile.object["id"] as? String)
            let team = try await fixture.json(.post, "/api/v1/teams", token: admin, body: #"{"name":"Collections","profileId":"\#(profileID)"}"#)
            #expect(team.status == .created)
            let teamID = try #require(team.object["id"] as? String)
            let user = try await fixture.json(.post, "/api/v1/users", token: admin, body: """
                {"email":"carla@demo.test","name":"Carla","password":"\(ServerFixture.password)","role":"agent","teamId":"\(teamID)"}
                """)
            #expect(user.status == .created)
            try await fixture.json(.post, "/api/v1/users", token: admin, body: """
                {"email":"carla@demo.test","name":"Carla","password":"\(ServerFixture.password)","role":"agent"}
                """).expectProblem(.conflict)
            let person = fixture.people[3]
            // A profile made without a context rule is bound to need-to-know: within a call, what it allows.
            #expect(profile.object["contextRule"] as? String == "interaction")
            let carla = try await fixture.login("carla@demo.test")
            let outside = try await fixture.lookup(phone: person["phone"]!, as: carla)
            #expect(outside.first?.fields["phone"] != person["phone"])
            let seen = try await fixture.lookup(phone: person["phone"]!, as: carla, inCall: true)
            let initials = NameTokens.of(person["name"]!).map { "\($0.prefix(1).uppercased())." }.joined(separator: " ")
            #expect(seen.first?.fields == ["phone": person["phone"]!, "name": initials])
            // Admins configure; they do not see customer data.
            try await fixture.json(.get, "/api/v1/contacts?limit=5", token: admin).expectProblem(.forbidden)
            // Nor may they search by a field they do not see: a match would say the number is a customer's.
            let encoded = person["phone"]!.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            try await fixture.json(.get, "/api/v1/contacts/lookup?phone=\(encoded)", token: admin).expectProblem(.forbidden)
        }
    }
}
