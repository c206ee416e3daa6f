import Foundation
import GuardlineCore
import GuardlineStore
import GuardlineTestSupport
import HummingbirdTesting
import NIOConcurrencyHelpers
import Testing

@testable import GuardlineServer

@Suite("erasure holds")
struct ErasureHoldTests {
    /// An erasure request for person `index`, filed and verified by the DPO: ready for a second DPO to approve.
    static func erasureRequest(_ fixture: ServerFixture, _ index: Int) async throws -> (contact: String, request: String) {
        let dpo = try await fixture.login("dpo@demo.test")
        let contact = try await RequestTests.contact(fixture, index)
        let filed = try await RequestTests.file(fixture, dpo, kind: "erasure", contact: contact, channel: "letter")
        let id = try #require(filed.object["id"] as? String)
        #expect(try await fixture.json(.post, "/api/v1/requests/\(id)/verify", token: dpo, body: #"{"method":"identityDocument"}"#).status == .ok)
        return (contact, id)
    }

    @Test("a hold for legal claims stops an erasure, by request or directly, with the ground given; once lifted the erasure goes through",
          arguments: TestDatabase.engines)
    func legalClaimStopsErasure(engine: TestDatabase.Engine) async throws {
        try await ServerFixture.with(engine) { fixture in
            let dpo = try await fixture.login("dpo@demo.test")
            let (contact, request) = try await Self.erasureRequest(fixture, 2)
            let placed = try await fixture.json(.post, "/api/v1/contacts/\(contact)/holds", token: dpo, body: #"{"ground":"legalClaim"}"#)
            #expect(placed.status == .created, "\(placed.text)")
            let hold = try #require(placed.object["id"] as? String)
            let second = try await RequestTests.secondDPO(fixture)
            let refused = try await fixture.json(.post, "/api/v1/requests/\(request)/fulfil", token: second).expectProblem(.conflict)
            #expect(refused.contains("Legal claims"))
            #expect(try await fixture.json(.get, "/api/v1/contacts/\(contact)", token: dpo).status == .ok)
            let state = try await fixture.json(.get, "/api/v1/requests/\(request)", token: dpo)
            #expect(state.object["state"] as? String == "awaitingApproval")

            #expect(try await fixture.json(.post, "/api/v1/contacts/\(contact)/holds/\(hold)/lift", token: dpo).status == .ok)
            _ = try await fixture.json(.post, "/api/v1/contacts/\(contact)/holds/\(hold)/lift", token: dpo).expectProblem(.notFound)
            #expect(try await fixture.json(.post, "/api/v1/requests/\(request)/fulfil", token: second).status == .ok)
            #expect(try await fixture.json(.get, "/api/v1/contacts/\(contact)", token: dpo).status != .ok)
            let entries = try await fixture.services.auditLog.entries(org: try await fixture.organization(), .init(contactID: ContactID(contact)!, limit: 200))
            #expect(entries.contains { $0.record.action == "hold.place" && $0.record.context?.contains("ground legalClaim") == true })
            #expect(entries.contains { $0.record.action == "hold.lift" })
        }
    }

    @Test("a hold on invoice fields lets the rest go: the kept fields stay sealed and restricted, everything else and its index terms are erased, and the person is told why",
          arguments: TestDatabase.engines)
    func invoicesKeepSomeFields(engine: TestDatabase.Engine) async throws {
        let outbox = RecordingOutbox()
        try await ServerFixture.with(engine, outbox: outbox) { fixture in
            let dpo = try await fixture.login("dpo@demo.test")
            let person = fixture.people[3]
            let (contact, request) = try await Self.erasureRequest(fixture, 3)
            let logged = try await fixture.json(.post, "/api/v1/contacts/\(contact)/interactions", token: dpo,
                                                body: #"{"channel":"email","direction":"inbound","body":"Please send my invoice again."}"#)
            #expect(logged.status == .created, "\(logged.text)")
            let until = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3650 * 86_400))
            let placed = try await fixture.json(.post, "/api/v1/contacts/\(contact)/holds", token: dpo, body: """
                {"ground":"invoices","fields":["name","address"],"until":"\(until)"}
                """)
            #expect(placed.status == .created, "\(placed.text)")
            let second = try await RequestTests.secondDPO(fixture)
            let done = try await fixture.json(.post, "/api/v1/requests/\(request)/fulfil", token: second)
            #expect(done.status == .ok, "\(done.text)")
            #expect(done.object["state"] as? String == "completed")

            let card = try await fixture.json(.get, "/api/v1/contacts/\(contact)", token: dpo)
            #expect(card.status == .ok)
            let fields = try #require(card.object["fields"] as? [String: Any])
            #expect(Set(fields.keys) == ["name", "address"])
            #expect(fields["name"] as? String == person["name"])
            // The erased number no longer finds anyone; the kept name still does, restricted.
            #expect(try await fixture.lookup(phone: person["phone"]!, as: dpo).isEmpty)
            let restriction = try await fixture.json(.get, "/api/v1/contacts/\(contact)/restriction", token: dpo)
            #expect(restriction.object["restricted"] as? Bool == true)
            // What a hold keeps is kept, not used: the restriction is not lifted while it is there.
            _ = try await fixture.json(.put, "/api/v1/contacts/\(contact)/restriction", token: dpo, body: """
                {"restricted":false,"liftReason":"accuracyVerified","subjectInformed":true}
                """).expectProblem(.conflict)
            let org = try await fixture.organization()
            #expect(try await InteractionStore(fixture.services.data).forContact(ContactID(contact)!, org: org, before: nil, limit: 10).isEmpty)
            let entries = try await fixture.services.auditLog.entries(org: org, .init(contactID: ContactID(contact)!, limit: 200))
            let receipt = try #require(entries.first { $0.record.action == "contact.erase.receipt" }?.record.context)
            #expect(receipt.contains("kept=address,name holds=invoices key=kept"))
            #expect(!receipt.contains(person["name"]!))
            let told = try await outbox.next(to: .email(person["email"]!.lowercased()))
            #expect(told.body.contains("Invoices the law obliges us to keep"))
        }
    }

    @Test("what a hold kept goes when the hold ends: lifted by hand, or its date passed (the hourly sweep); the person's portal session ends at the partial erasure")
    func heldDataGoesWhenTheHoldEnds() async throws {
        let outbox = RecordingOutbox()
        let now = NIOLockedValueBox(Date())
        try await ServerFixture.with(clock: WallClock { now.withLockedValue { $0 } }, outbox: outbox) { fixture in
            let dpo = try await fixture.login("dpo@demo.test")
            let second = try await RequestTests.secondDPO(fixture)
            let org = try await fixture.organization()

            // Lifted by hand, with the person signed in to the portal meanwhile.
            let email = fixture.people[8]["email"]!.lowercased()
            var visitor = try await PortalVisitor(fixture)
            try await visitor.signIn(.email(email), address: email, outbox: outbox)
            let (first, request) = try await Self.erasureRequest(fixture, 8)
            let placed = try await fixture.json(.post, "/api/v1/contacts/\(first)/holds", token: dpo, body: #"{"ground":"openContract","fields":["email"]}"#)
            let hold = try #require(placed.object["id"] as? String)
            #expect(try await fixture.json(.post, "/api/v1/requests/\(request)/fulfil", token: second).status == .ok)
            #expect(try await visitor.get("\(visitor.base)/me").status == .seeOther)
            #expect(try await fixture.json(.get, "/api/v1/contacts/\(first)", token: dpo).status == .ok)
            #expect(try await fixture.json(.post, "/api/v1/contacts/\(first)/holds/\(hold)/lift", token: dpo).status == .ok)
            #expect(try await fixture.json(.get, "/api/v1/contacts/\(first)", token: dpo).status != .ok)
            #expect(try await fixture.services.keys.sql.raw("SELECT contact_id FROM subject_key WHERE contact_id = \(bind: first)").first() == nil)

            // Ended by its date: the sweep finishes it.
            let (other, otherRequest) = try await Self.erasureRequest(fixture, 9)
            let until = ISO8601DateFormatter().string(from: now.withLockedValue { $0 }.addingTimeInterval(86_400))
            #expect(try await fixture.json(.post, "/api/v1/contacts/\(other)/holds", token: dpo, body: #"{"ground":"invoices","fields":["name"],"until":"\#(until)"}"#).status == .created)
            #expect(try await fixture.json(.post, "/api/v1/requests/\(otherRequest)/fulfil", token: second).status == .ok)
            let sweep = HeldErasureSweep(directory: fixture.services.contacts)
            await sweep.sweep()
            #expect(try await fixture.json(.get, "/api/v1/contacts/\(other)", token: dpo).status == .ok)
            now.withLockedValue { $0 = $0.addingTimeInterval(2 * 86_400) }
            await sweep.sweep()
            #expect(try await fixture.json(.get, "/api/v1/contacts/\(other)", token: dpo).status != .ok)
            let entries = try await fixture.services.auditLog.entries(org: org, .init(contactID: ContactID(other)!, limit: 50))
            #expect(entries.contains { $0.record.action == "contact.erase" && $0.record.actorKind == .system })
            #expect(entries.contains { $0.record.action == "contact.erase.receipt" && ($0.record.context ?? "").contains("key=destroyed") })
        }
    }

    @Test("who may place holds, and what a hold must say: agents, bad fields, a past end and another organization are refused")
    func refusals() async throws {
        try await ServerFixture.with { fixture in
            let dpo = try await fixture.login("dpo@demo.test")
            let contact = try await RequestTests.contact(fixture, 4)
            let agent = try await fixture.login("inbound@demo.test")
            _ = try await fixture.json(.post, "/api/v1/contacts/\(contact)/holds", token: agent, body: #"{"ground":"legalClaim"}"#)
                .expectProblem(.forbidden)
            _ = try await fixture.json(.get, "/api/v1/contacts/\(contact)/holds", token: agent).expectProblem(.forbidden)
            _ = try await fixture.json(.post, "/api/v1/contacts/\(contact)/holds", token: dpo, body: #"{"ground":"legalClaim","fields":["name"]}"#)
                .expectProblem(.badRequest)
            _ = try await fixture.json(.post, "/api/v1/contacts/\(contact)/holds", token: dpo, body: #"{"ground":"invoices"}"#)
                .expectProblem(.badRequest)
            let detail = try await fixture.json(.post, "/api/v1/contacts/\(contact)/holds", token: dpo, body: #"{"ground":"invoices","fields":["Maria Silva"]}"#)
                .expectProblem(.badRequest)
            #expect(!detail.contains("Maria Silva"))
            _ = try await fixture.json(.post, "/api/v1/contacts/\(contact)/holds", token: dpo, body: #"{"ground":"invoices","fields":["name"],"until":"2001-01-01T00:00:00Z"}"#)
                .expectProblem(.badRequest)
            let listed = try await fixture.json(.get, "/api/v1/contacts/\(contact)/holds", token: dpo)
            #expect((listed.object["items"] as? [Any])?.isEmpty == true)

            let placed = try await fixture.json(.post, "/api/v1/contacts/\(contact)/holds", token: dpo, body: #"{"ground":"openContract","fields":["name","phone"]}"#)
            let hold = try #require(placed.object["id"] as? String)
            let other = try await fixture.anotherOrganization()
            let theirDPO = try await fixture.staff("dpo@other.test", role: .dpo, profile: "Data Protection", org: other)
            _ = try await fixture.json(.get, "/api/v1/contacts/\(contact)/holds", token: theirDPO).expectProblem(.notFound)
            _ = try await fixture.json(.post, "/api/v1/contacts/\(contact)/holds/\(hold)/lift", token: theirDPO).expectProblem(.notFound)
            _ = try await fixture.json(.post, "/api/v1/contacts/\(contact)/holds", token: theirDPO, body: #"{"ground":"legalClaim"}"#)
                .expectProblem(.notFound)
            // A hold id of another person does not lift through this one.
            let elsewhere = try await RequestTests.contact(fixture, 5)
            _ = try await fixture.json(.post, "/api/v1/contacts/\(elsewhere)/holds/\(hold)/lift", token: dpo).expectProblem(.notFound)
        }
    }
}
