import Foundation
import GuardlineCore
import GuardlineStore
import GuardlineTestSupport
import SQLKit
import Testing

@testable import GuardlineServer

/// Consent asked at the right moment and recorded with its evidence (Art. 6(1)(a),
/// Art. 7(1) and 7(3)): granted, refused and withdrawn as one action each, the
/// current state folded from the history, and nothing recorded from bad input.
@Suite("Consent ledger and progressive profiling (Art6_1_a, Art7)") struct ConsentLedgerTests {
    func contactID(_ fixture: ServerFixture, _ index: Int, as token: String) async throws -> String {
        try #require(try await fixture.lookup(phone: fixture.people[index]["phone"]!, as: token).first?["id"] as? String)
    }

    func overview(_ fixture: ServerFixture, _ id: String, as token: String) async throws -> [String: Any] {
        let response = try await fixture.json(.get, "/api/v1/contacts/\(id)/consents", token: token)
        #expect(response.status == .ok, "\(response.text)")
        return response.object
    }

    @Test("an agent reads the script, records a grant and then a withdrawal; the state follows the history", arguments: TestDatabase.engines)
    func grantThenWithdraw(engine: TestDatabase.Engine) async throws {
        try await ServerFixture.with(engine) { fixture in
            let inbound = try await fixture.login("inbound@demo.test")
            let id = try await contactID(fixture, 0, as: inbound)
            let before = try await overview(fixture, id, as: inbound)
            #expect(before["stage"] as? String == "customer")
            let askNow = try #require(before["askNow"] as? [[String: Any]])
            #expect(askNow.compactMap { $0["purpose"] as? String } == ["call_recording", "outbound_marketing"])
            let marketing = try #require(askNow.first { $0["purpose"] as? String == "outbound_marketing" })
            let script = try #require(marketing["script"] as? [String: Any])
            let hash = try #require(script["hash"] as? String)
            #expect((script["text"] as? String)?.contains("Do you agree to this by phone, SMS and email?") == true)
            #expect((before["collectableFields"] as? [String])?.isEmpty == true, "a demo contact holds every field the agent may edit")

            let granted = try await fixture.json(.post, "/api/v1/contacts/\(id)/consents", token: inbound, body: """
                {"purpose":"outbound_marketing","channel":"phone","decision":"granted","interactionId":"asterisk-1733140000.42"}
                """)
            #expect(granted.status == .created, "\(granted.text)")
            #expect(granted.object["noticeHash"] as? String == hash)
            #expect(granted.object["source"] as? String == "agent")
            #expect(granted.object["interactionId"] as? String == "asterisk-1733140000.42")
            let afterGrant = try await overview(fixture, id, as: inbound)
            let stillAsked = (afterGrant["askNow"] as? [[String: Any]])?.first { $0["purpose"] as? String == "outbound_marketing" }
            #expect(stillAsked?["channels"] as? [String] == ["sms", "email"])

            let withdrawn = try await fixture.json(.post, "/api/v1/contacts/\(id)/consents", token: inbound, body: """
                {"purpose":"outbound_marketing","channel":"phone","decision":"withdrawn"}
                """)
            #expect(withdrawn.status == .created)
            let after = try await overview(fixture, id, as: inbound)
            let history = try #require(after["history"] as? [[String: Any]])
            #expect(history.compactMap { $0["decision"] as? String } == ["withdrawn", "granted"])
            let current = try #require(after["current"] as? [[String: Any]])
            #expect(current.count == 1)
            #expect(current.first?["decision"] as? String == "withdrawn")
            #expect(current.first?["eventId"] as? String == withdrawn.object["id"] as? String)

            let dpo = try await fixture.login("dpo@demo.test")
            let audit = try await fixture.json(.get, "/api/v1/audit?contactId=\(id)&limit=50", token: dpo).object["items"] as? [[String: Any]] ?? []
            let consentEntries = audit.filter { ($0["action"] as? String)?.hasPrefix("consent.") == true }
            #expect(consentEntries.compactMap { $0["action"] as? String }.prefix(2) == ["consent.read", "consent.withdrawn"])
            let grant = try #require(audit.first { $0["action"] as? String == "consent.granted" })
            #expect(grant["context"] as? String == "purpose outbound_marketing channel phone script v1 \(hash)")
            #expect(!audit.contains { ($0["context"] as? String)?.contains("asterisk") == true }, "the call id stays out of the chain")
        }
    }

    @Test("what the ledger refuses stores nothing: other roles, other tenants, wrong purposes, channels, stages and ids")
    func refusals() async throws {
        try await ServerFixture.with { fixture in
            let inbound = try await fixture.login("inbound@demo.test")
            let id = try await contactID(fixture, 1, as: inbound)
            let post = { (token: String, body: String) in
                try await fixture.json(.post, "/api/v1/contacts/\(id)/consents", token: token, body: body)
            }
            // The supervisor watches; recording consent is not theirs to do.
            let supervisor = try await fixture.login("supervisor@demo.test")
            try await post(supervisor, #"{"purpose":"outbound_marketing","channel":"phone","decision":"granted"}"#).expectProblem(.forbidden)
            // A read-only token cannot record.
            let readOnly = try await fixture.json(.post, "/api/v1/tokens", token: inbound, body: #"{"name":"crm","scopes":["contacts.read"]}"#)
            let readToken = try #require(readOnly.object["token"] as? String)
            try await post(readToken, #"{"purpose":"outbound_marketing","channel":"phone","decision":"granted"}"#).expectProblem(.forbidden)
            // Purposes that rest on a contract have no consent to record; unknown purposes and channels are refused.
            #expect(try await post(inbound, #"{"purpose":"customer_support","channel":"phone","decision":"granted"}"#)
                .expectProblem(.badRequest).contains("not consent"))
            try await post(inbound, #"{"purpose":"no_such_purpose","channel":"phone","decision":"granted"}"#).expectProblem(.badRequest)
            #expect(try await post(inbound, #"{"purpose":"call_recording","channel":"email","decision":"granted"}"#)
                .expectProblem(.badRequest).contains("its channels: phone"))
            try await post(inbound, #"{"purpose":"outbound_marketing","channel":"fax","decision":"granted"}"#).expectProblem(.badRequest)
            try await post(inbound, #"{"purpose":"outbound_marketing","channel":"phone","decision":"maybe"}"#).expectProblem(.badRequest)
            // A call id with spaces is text, not an id: refused, so nothing about a person rides in it.
            try await post(inbound, #"{"purpose":"outbound_marketing","channel":"phone","decision":"granted","interactionId":"call with Maria Silva"}"#)
                .expectProblem(.badRequest)
            // A script version of another purpose is not what was read.
            let recordingScript = try await fixture.json(.get, "/api/v1/notices?kind=script&purpose=call_recording", token: inbound)
            let otherVersion = try #require((recordingScript.object["items"] as? [[String: Any]])?.first?["id"] as? String)
            try await post(inbound, #"{"purpose":"outbound_marketing","channel":"phone","decision":"granted","scriptVersionId":"\#(otherVersion)"}"#)
                .expectProblem(.badRequest)
            // Another organization's DPO finds nothing.
            let other = try await fixture.services.organizations.create(name: "Other Center", clock: fixture.services.clock)
            try await fixture.services.organizations.setMFARoles([], org: other.id)
            let profile = try #require(try await fixture.services.profiles.all(org: other.id).first { $0.name == "Data Protection" })
            try await fixture.services.users.create(
                StaffUser(id: .make(), orgID: other.id, email: "dpo@other.test", name: "Other DPO", role: .dpo, teamID: nil, profileID: profile.id,
                          disabled: false, createdAt: Date()),
                passwordHash: try await fixture.services.passwords.hash(ServerFixture.password))
            let stranger = try await fixture.login("dpo@other.test")
            try await post(stranger, #"{"purpose":"outbound_marketing","channel":"phone","decision":"granted"}"#).expectProblem(.notFound)
            try await fixture.json(.get, "/api/v1/contacts/\(id)/consents", token: stranger).expectProblem(.notFound)
            try await fixture.json(.put, "/api/v1/contacts/\(id)/stage", token: stranger, body: #"{"stage":"lead"}"#).expectProblem(.notFound)

            let history = try await overview(fixture, id, as: inbound)["history"] as? [[String: Any]]
            #expect(history?.isEmpty == true)
            let rows = try await fixture.services.data.sql.raw("SELECT COUNT(*) AS n FROM consent_event").first()?.decode(column: "n", as: Int.self)
            #expect(rows == 0)
        }
    }

    @Test("progressive profiling: a lead is asked only what a lead may be asked; a withdrawal is taken at any stage")
    func stages() async throws {
        try await ServerFixture.with { fixture in
            // The DPO may edit every ordinary field, so only the stage stands in the way.
            let inbound = try await fixture.login("dpo@demo.test")
            // A date of birth is not asked of a lead.
            let early = try await fixture.json(.post, "/api/v1/contacts", token: inbound, body: """
                {"fields":{"name":"Lena Lead","phone":"+351912000111","birthDate":"1990-05-01"}}
                """)
            #expect(early.expectProblem(.badRequest).contains("'birthDate' is collected only at the stages customer, former_customer"))
            #expect(try await fixture.lookup(phone: "+351912000111", as: inbound).isEmpty)
            let created = try await fixture.json(.post, "/api/v1/contacts", token: inbound, body: #"{"fields":{"name":"Lena Lead","phone":"+351912000111"}}"#)
            let id = try #require(created.object["id"] as? String)
            let lead = try await overview(fixture, id, as: inbound)
            #expect(lead["stage"] as? String == "lead")
            #expect((lead["askNow"] as? [[String: Any]])?.compactMap { $0["purpose"] as? String } == ["call_recording"])
            #expect((lead["undecided"] as? [[String: Any]])?.compactMap { $0["purpose"] as? String } == ["call_recording", "outbound_marketing"])
            #expect(lead["collectableFields"] as? [String] == ["email", "address", "language"])
            let customer = try await overview(fixture, try await contactID(fixture, 0, as: inbound), as: inbound)
            #expect((customer["askNow"] as? [[String: Any]])?.count == 2)
            try await fixture.json(.patch, "/api/v1/contacts/\(id)", token: inbound, body: #"{"fields":{"birthDate":"1990-05-01"}}"#)
                .expectProblem(.badRequest)
            // Marketing is asked from the prospect stage on; withdrawing is never refused.
            #expect(try await fixture.json(.post, "/api/v1/contacts/\(id)/consents", token: inbound, body: """
                {"purpose":"outbound_marketing","channel":"phone","decision":"granted"}
                """).expectProblem(.badRequest).contains("prospect"))
            #expect(try await fixture.json(.post, "/api/v1/contacts/\(id)/consents", token: inbound, body: """
                {"purpose":"outbound_marketing","channel":"phone","decision":"withdrawn"}
                """).status == .created)
            try await fixture.json(.put, "/api/v1/contacts/\(id)/stage", token: inbound, body: #"{"stage":"nowhere"}"#).expectProblem(.badRequest)
            #expect(try await fixture.json(.put, "/api/v1/contacts/\(id)/stage", token: inbound, body: #"{"stage":"customer"}"#).status == .ok)
            #expect(try await fixture.json(.patch, "/api/v1/contacts/\(id)", token: inbound, body: #"{"fields":{"birthDate":"1990-05-01"}}"#).status == .ok)
            let supervisor = try await fixture.login("supervisor@demo.test")
            try await fixture.json(.put, "/api/v1/contacts/\(id)/stage", token: supervisor, body: #"{"stage":"lead"}"#).expectProblem(.forbidden)
            let dpo = try await fixture.login("dpo@demo.test")
            let audit = try await fixture.json(.get, "/api/v1/audit?contactId=\(id)&action=contact.stage", token: dpo).object["items"] as? [[String: Any]]
            #expect(audit?.first?["context"] as? String == "stage lead to customer")
        }
    }

    @Test("notices and scripts are drafted from the catalog, edited into new versions, and a consent keeps the version read")
    func noticeVersions() async throws {
        try await ServerFixture.with { fixture in
            let admin = try await fixture.login("admin@demo.test")
            let notice = try await fixture.json(.get, "/api/v1/notices?kind=notice", token: admin)
            // A purpose that is no purpose key (empty, as a fuzzer sends it) is refused, not ignored.
            try await fixture.json(.get, "/api/v1/notices?kind=notice&purpose=", token: admin).expectProblem(.badRequest)
            try await fixture.json(.get, "/api/v1/notices?kind=script&purpose=Bad%20Key", token: admin).expectProblem(.badRequest)
            let draft = try #require((notice.object["items"] as? [[String: Any]])?.first)
            #expect(draft["version"] as? Int == 1)
            let text = try #require(draft["text"] as? String)
            #expect(text.contains("Marketing calls and messages") && text.contains("withdraw it at any time"))
            #expect(text.contains("Date of birth".lowercased()))
            let drafted = try await fixture.json(.get, "/api/v1/notices?kind=script&purpose=outbound_marketing", token: admin)
            #expect((drafted.object["items"] as? [[String: Any]])?.first?["version"] as? Int == 1)
            let published = try await fixture.json(.post, "/api/v1/notices", token: admin, body: """
                {"kind":"script","purpose":"outbound_marketing","text":"May we call you about offers? You can say no, and change your mind at any time."}
                """)
            #expect(published.status == .created, "\(published.text)")
            #expect(published.object["version"] as? Int == 2)
            let versions = try await fixture.json(.get, "/api/v1/notices?kind=script&purpose=outbound_marketing", token: admin)
            #expect((versions.object["items"] as? [[String: Any]])?.compactMap { $0["version"] as? Int } == [2, 1])
            // Only the catalog's keepers edit; shapes are checked.
            let inbound = try await fixture.login("inbound@demo.test")
            try await fixture.json(.post, "/api/v1/notices", token: inbound, body: #"{"kind":"notice","text":"Trust us."}"#).expectProblem(.forbidden)
            try await fixture.json(.post, "/api/v1/notices", token: admin, body: #"{"kind":"script","text":"No purpose."}"#).expectProblem(.badRequest)
            try await fixture.json(.post, "/api/v1/notices", token: admin, body: #"{"kind":"notice","purpose":"billing","text":"x"}"#).expectProblem(.badRequest)
            try await fixture.json(.post, "/api/v1/notices", token: admin, body: #"{"kind":"script","purpose":"nothing_here","text":"x"}"#).expectProblem(.notFound)
            let long = String(repeating: "a", count: 20_001)
            try await fixture.json(.post, "/api/v1/notices", token: admin, body: #"{"kind":"notice","text":"\#(long)"}"#).expectProblem(.badRequest)
            // The longest notice the document allows, JSON-escaped (12 bytes a character), is taken: past the
            // standard body limit, within the notices' own; and a body past that is a 413.
            let escaped = String(repeating: "\\ud83d\\ude00", count: 20_000)
            let longest = try await fixture.json(.post, "/api/v1/notices", token: admin, body: #"{"kind":"notice","text":"\#(escaped)"}"#)
            #expect(longest.status == .created, "\(longest.status)")
            try await fixture.json(.post, "/api/v1/notices", token: admin, body: #"{"kind":"notice","text":"\#(escaped)\#(escaped)"}"#)
                .expectProblem(.contentTooLarge)

            let id = try await contactID(fixture, 2, as: inbound)
            let event = try await fixture.json(.post, "/api/v1/contacts/\(id)/consents", token: inbound, body: """
                {"purpose":"outbound_marketing","channel":"email","decision":"refused"}
                """)
            #expect(event.object["noticeHash"] as? String == published.object["hash"] as? String)
            #expect(event.object["noticeVersionId"] as? String == published.object["id"] as? String)
        }
    }

    @Test("an admin changes purposes and stages; fields no active purpose needs are flagged; stages in use stay")
    func catalogAdministration() async throws {
        try await ServerFixture.with { fixture in
            let admin = try await fixture.login("admin@demo.test")
            #expect((try await fixture.json(.get, "/api/v1/catalog/warnings", token: admin).object["items"] as? [Any])?.isEmpty == true)
            let changed = try await fixture.json(.put, "/api/v1/purposes/identity_verification", token: admin, body: """
                {"name":"Identity verification","description":"To make sure we are talking to you.","lawfulBasis":"legitimateInterest",
                 "retentionDays":365,"channels":["phone"],"active":false}
                """)
            #expect(changed.status == .ok, "\(changed.text)")
            let warnings = try await fixture.json(.get, "/api/v1/catalog/warnings", token: admin).object["items"] as? [[String: Any]] ?? []
            #expect(warnings.compactMap { $0["field"] as? String } == ["birthDate"])
            try await fixture.json(.put, "/api/v1/purposes/nothing_here", token: admin, body: """
                {"name":"x","description":"y","lawfulBasis":"consent","retentionDays":1}
                """).expectProblem(.notFound)
            try await fixture.json(.put, "/api/v1/purposes/billing", token: admin, body: """
                {"name":"Billing","description":"y","lawfulBasis":"contract","retentionDays":10,"stages":["someday"]}
                """).expectProblem(.badRequest)
            let inbound = try await fixture.login("inbound@demo.test")
            try await fixture.json(.get, "/api/v1/catalog/warnings", token: inbound).expectProblem(.forbidden)

            let renamed = try await fixture.json(.put, "/api/v1/journey-stages", token: admin, body: """
                {"items":[{"key":"lead","label":"New lead"},{"key":"prospect","label":"Prospect"},{"key":"trial","label":"On trial"},
                          {"key":"customer","label":"Customer"},{"key":"former_customer","label":"Former customer"}]}
                """)
            #expect(renamed.status == .ok, "\(renamed.text)")
            #expect((renamed.object["items"] as? [[String: Any]])?.compactMap { $0["key"] as? String } == ["lead", "prospect", "trial", "customer", "former_customer"])
            // The demo's contacts are customers: that stage cannot go.
            try await fixture.json(.put, "/api/v1/journey-stages", token: admin, body: #"{"items":[{"key":"lead","label":"Lead"}]}"#)
                .expectProblem(.conflict)
            try await fixture.json(.put, "/api/v1/journey-stages", token: admin, body: """
                {"items":[{"key":"lead","label":"Lead"},{"key":"lead","label":"Again"}]}
                """).expectProblem(.badRequest)
            try await fixture.json(.put, "/api/v1/journey-stages", token: inbound, body: #"{"items":[{"key":"lead","label":"Lead"}]}"#)
                .expectProblem(.forbidden)
        }
    }
}
