import Foundation
import GuardlineCore
import Testing

@testable import GuardlineServer

/// A lookup confirms that a value belongs to a customer: it must not confirm
/// what the searcher's profile would not show (Art. 5(1)(c), Art. 25).
@Suite("Lookups reveal no more than the profile shows") struct LookupDisclosureTests {
    @Test("outbound sales (phone only) cannot search by email or name and get the phone back")
    func searchByHiddenField() async throws {
        try await ServerFixture.with { fixture in
            let person = fixture.people[0]
            let outbound = try await fixture.login("outbound@demo.test")
            let email = person["email"]!.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let byEmail = try await fixture.json(.get, "/api/v1/contacts/lookup?email=\(email)", token: outbound)
            #expect(!byEmail.text.contains(person["phone"]!))
            byEmail.expectProblem(.forbidden)
            try await fixture.json(.post, "/api/v1/contacts/lookup", token: outbound, body: #"{"email":"\#(person["email"]!)"}"#)
                .expectProblem(.forbidden)
            try await fixture.json(.post, "/api/v1/contacts/lookup", token: outbound, body: #"{"name":"\#(person["name"]!)"}"#)
                .expectProblem(.forbidden)
            // The phone it does see still works, in either form.
            let call = try await fixture.answeredCall(from: person["phone"]!, agent: "outbound@demo.test")
            let byPhone = try await fixture.json(.post, "/api/v1/contacts/lookup", token: outbound,
                                                 body: #"{"phone":"\#(person["phone"]!)","interactionId":"\#(call)"}"#)
            #expect(byPhone.status == .ok)
            #expect((byPhone.object["items"] as? [[String: Any]])?.first?.fields == ["phone": person["phone"]!])
        }
    }

    @Test("a profile that shows nothing of a contact gets the same answers as for an unknown one")
    func blindProfile() async throws {
        try await ServerFixture.with { fixture in
            let admin = try await fixture.login("admin@demo.test")
            let blind = try await fixture.userWithProfile(
                admin: admin, email: "blind@demo.test", fields: #"{"birthDate":{"access":"masked","mask":"redacted"}}"#,
                capabilities: #"["listContacts","searchByName"]"#)
            let dpo = try await fixture.login("dpo@demo.test")
            let person = fixture.people[1]
            let id = try #require(try await fixture.lookup(phone: person["phone"]!, as: dpo).first?["id"] as? String)
            // The demo contacts hold no birth date: nothing of them is shown, so they do not exist for this profile.
            let known = try await fixture.json(.get, "/api/v1/contacts/\(id)", token: blind)
            let unknown = try await fixture.json(.get, "/api/v1/contacts/\(UUID().uuidString.lowercased())", token: blind)
            #expect(known.expectProblem(.notFound) == unknown.expectProblem(.notFound))
            let list = try await fixture.json(.get, "/api/v1/contacts?limit=200", token: blind)
            #expect((list.object["items"] as? [Any])?.isEmpty == true)
            // A redacted field shows nothing of its value, so it cannot be searched by either.
            try await fixture.json(.post, "/api/v1/contacts/lookup", token: blind, body: #"{"phone":"\#(person["phone"]!)"}"#)
                .expectProblem(.forbidden)
            // Nothing was shown, so nothing about that contact was recorded as seen.
            let audit = try await fixture.json(.get, "/api/v1/audit?contactId=\(id)&limit=200", token: dpo)
            let seenBy = (audit.object["items"] as? [[String: Any]] ?? []).compactMap { $0["actorId"] as? String }
            #expect(!seenBy.contains(try await fixture.userID("blind@demo.test")))
        }
    }

    @Test("Art9: special categories stay hidden until a profile names the field and holds the capability; the grant is audited")
    func specialCategories() async throws {
        try await ServerFixture.with { fixture in
            let admin = try await fixture.login("admin@demo.test")
            let dpo = try await fixture.login("dpo@demo.test")
            // The standard Data Protection profile does not see health notes, so cannot write them either.
            try await fixture.json(.post, "/api/v1/contacts", token: dpo, body: #"{"fields":{"name":"Rui Costa","healthNotes":"Asthma"}}"#)
                .expectProblem(.forbidden)
            // Named in the profile but without the capability: still hidden.
            let withoutCapability = try await fixture.userWithProfile(
                admin: admin, email: "nurse1@demo.test",
                fields: #"{"name":{"access":"editable"},"healthNotes":{"access":"editable"}}"#, capabilities: #"["createContacts"]"#)
            try await fixture.json(.post, "/api/v1/contacts", token: withoutCapability, body: #"{"fields":{"name":"Rui Costa","healthNotes":"Asthma"}}"#)
                .expectProblem(.forbidden)
            let care = try await fixture.userWithProfile(
                admin: admin, email: "nurse2@demo.test", fields: #"{"name":{"access":"editable"},"healthNotes":{"access":"editable"}}"#,
                capabilities: #"["createContacts","specialCategories"]"#)
            let created = try await fixture.json(.post, "/api/v1/contacts", token: care, body: #"{"fields":{"name":"Rui Costa","healthNotes":"Asthma"},"stage":"customer"}"#)
            #expect(created.status == .created)
            #expect(created.object.fields["healthNotes"] == "Asthma")
            let id = try #require(created.object["id"] as? String)
            let seenByDPO = try await fixture.json(.get, "/api/v1/contacts/\(id)", token: dpo)
            #expect(seenByDPO.object.fields == ["name": "Rui Costa"])
            let grants = try await fixture.json(.get, "/api/v1/audit?action=profile.special_categories.grant", token: dpo)
            let entries = grants.object["items"] as? [[String: Any]] ?? []
            #expect(entries.count == 1)
            #expect((entries.first?["context"] as? String)?.hasSuffix(": healthNotes") == true)
        }
    }
}

extension ServerFixture {
    /// An agent with a profile of their own, made by the admin through the API; returns their token.
    func userWithProfile(admin: String, email: String, fields: String, capabilities: String) async throws -> String {
        let name = email.split(separator: "@")[0]
        let profile = try await json(.post, "/api/v1/access-profiles", token: admin,
                                     body: #"{"name":"\#(name) profile","fields":\#(fields),"capabilities":\#(capabilities)}"#)
        #expect(profile.status == .created, "\(profile.text)")
        let profileID = try #require(profile.object["id"] as? String)
        let user = try await json(.post, "/api/v1/users", token: admin, body: """
            {"email":"\(email)","name":"\(name)","password":"\(Self.password)","role":"agent","profileId":"\(profileID)"}
            """)
        #expect(user.status == .created, "\(user.text)")
        return try await login(email)
    }

    func userID(_ email: String) async throws -> String {
        let users = try await services.users.all(org: try await organization())
        return try #require(users.first { $0.email == email }).id.description
    }
}

@Suite("Contact references in the API and the console") struct ContactReferenceAPITests {
    @Test("every contact has a readable reference, searchable within its organization and shown on cards and in the audit log")
    func references() async throws {
        try await ServerFixture.with { fixture in
            let inbound = try await fixture.login("inbound@demo.test")
            let found = try #require(try await fixture.lookup(phone: fixture.people[0]["phone"]!, as: inbound).first)
            let reference = try #require(found["reference"] as? String)
            #expect(reference.wholeMatch(of: /C-\d{6}/) != nil)
            // References count up: walking them is browsing, which agents (no listContacts) may not do.
            try await fixture.json(.post, "/api/v1/contacts/lookup", token: inbound, body: #"{"reference":"C-000001"}"#).expectProblem(.forbidden)
            let supervisor = try await fixture.login("supervisor@demo.test")
            let byReference = try await fixture.json(.post, "/api/v1/contacts/lookup", token: supervisor, body: #"{"reference":"\#(reference)"}"#)
            #expect((byReference.object["items"] as? [[String: Any]])?.first?["id"] as? String == found["id"] as? String)
            let byQuery = try await fixture.json(.get, "/api/v1/contacts/lookup?reference=\(reference)", token: supervisor)
            #expect((byQuery.object["items"] as? [[String: Any]])?.count == 1)
            try await fixture.json(.post, "/api/v1/contacts/lookup", token: supervisor, body: #"{"reference":"nonsense"}"#).expectProblem(.badRequest)
            // Numbers are per organization: another tenant's C-000001 is its own, and ours are not found from there.
            let services = fixture.services
            let other = try await services.organizations.create(name: "Other Center", clock: services.clock)
            try await services.organizations.setMFARoles([], org: other.id)
            let profile = try #require(try await services.profiles.all(org: other.id).first { $0.name == "Data Protection" })
            try await services.users.create(
                StaffUser(id: .make(), orgID: other.id, email: "dpo@other.test", name: "Other DPO", role: .dpo, teamID: nil,
                          profileID: profile.id, disabled: false, createdAt: Date()),
                passwordHash: try await services.passwords.hash(ServerFixture.password))
            let stranger = try await fixture.login("dpo@other.test")
            let theirs = try await fixture.json(.post, "/api/v1/contacts/lookup", token: stranger, body: #"{"reference":"\#(reference)"}"#)
            #expect((theirs.object["items"] as? [Any])?.isEmpty == true)
            // The DPO's audit page names the contact by its reference.
            let console = ConsoleTests()
            let page = try await console.get(fixture, "/audit", session: try await console.signIn(fixture, "dpo@demo.test"))
            #expect(page.text.contains(#"<td class="contact">\#(reference)</td>"#))
        }
    }
}

@Suite("Art. 9 grants and sealed-note reads are recorded") struct GrantAndNoteAuditTests {
    @Test("showing another special field on a profile that already holds the capability is a grant too")
    func wideningIsAGrant() async throws {
        try await ServerFixture.with { fixture in
            let admin = try await fixture.login("admin@demo.test")
            let created = try await fixture.json(.post, "/api/v1/access-profiles", token: admin,
                                                 body: #"{"name":"Care","fields":{"name":{"access":"visible"}},"capabilities":["specialCategories"]}"#)
            let id = try #require(created.object["id"] as? String)
            let widened = try await fixture.json(.put, "/api/v1/access-profiles/\(id)", token: admin,
                                                 body: #"{"name":"Care","fields":{"name":{"access":"visible"},"healthNotes":{"access":"visible"}},"capabilities":["specialCategories"]}"#)
            #expect(widened.status == .ok)
            let grants = try await fixture.json(.get, "/api/v1/audit?action=profile.special_categories.grant", token: try await fixture.login("dpo@demo.test"))
            let contexts = (grants.object["items"] as? [[String: Any]] ?? []).compactMap { $0["context"] as? String }
            #expect(contexts == ["profile \(id): healthNotes"])
        }
    }

    @Test("the DPO opening a sealed reason is itself recorded, naming the contact")
    func noteReadRecorded() async throws {
        try await ServerFixture.with { fixture in
            let inbound = try await fixture.login("inbound@demo.test")
            let id = try #require(try await fixture.lookup(phone: fixture.people[2]["phone"]!, as: inbound).first?["id"] as? String)
            _ = try await fixture.json(.post, "/api/v1/contacts/\(id)/reveal", token: inbound, body: #"{"field":"birthDate","reason":"caller asked to confirm"}"#)
            let console = ConsoleTests()
            let page = try await console.get(fixture, "/audit", session: try await console.signIn(fixture, "dpo@demo.test"))
            #expect(page.text.contains("caller asked to confirm"))
            let reads = try await fixture.json(.get, "/api/v1/audit?action=audit.note_read&contactId=\(id)", token: try await fixture.login("dpo@demo.test"))
            #expect((reads.object["items"] as? [Any])?.count == 1)
        }
    }
}
