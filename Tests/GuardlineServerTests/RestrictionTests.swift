import Foundation
import GuardlineCore
import GuardlineTestSupport
import Testing

@testable import GuardlineServer

/// Restriction of processing (Art. 18): on a ground of Art. 18(1), lifted only for a
/// reason once the person was told (Art. 18(3)), recorded with codes and never free text.
@Suite("Restriction of processing (Art18)") struct RestrictionTests {
    @Test("a restriction needs a ground, a lift needs a reason and the person told; both are audited as codes", arguments: TestDatabase.engines)
    func groundsAndLifting(engine: TestDatabase.Engine) async throws {
        try await ServerFixture.with(engine) { fixture in
            let inbound = try await fixture.login("inbound@demo.test")
            let dpo = try await fixture.login("dpo@demo.test")
            let id = try #require(try await fixture.lookup(phone: fixture.people[0]["phone"]!, as: inbound).first?["id"] as? String)
            let path = "/api/v1/contacts/\(id)/restriction"

            // Someone who may not restrict learns nothing of the rules: 403 before the body is read.
            try await fixture.json(.put, path, token: inbound, body: #"{"restricted":true}"#).expectProblem(.forbidden)
            // No ground, an unknown one, or a free-text one: refused, nothing stored, the text not echoed.
            try await fixture.json(.put, path, token: dpo, body: #"{"restricted":true}"#).expectProblem(.badRequest)
            let freeText = try await fixture.json(.put, path, token: dpo, body: #"{"restricted":true,"ground":"she called on 912345678"}"#)
            #expect(freeText.status == .badRequest)
            #expect(!freeText.text.contains("912345678"))
            try await fixture.json(.put, path, token: dpo, body: #"{"restricted":true,"ground":"legalClaims","subjectInformed":true}"#)
                .expectProblem(.badRequest)
            #expect(try await fixture.json(.get, path, token: dpo).object["restricted"] as? Bool == false)

            let restricted = try await fixture.json(.put, path, token: dpo, body: #"{"restricted":true,"ground":"accuracyContested"}"#)
            #expect(restricted.status == .ok, "\(restricted.text)")
            #expect(restricted.object["restricted"] as? Bool == true)
            #expect(restricted.object["ground"] as? String == "accuracyContested")
            let since = try #require(restricted.object["restrictedAt"] as? String)
            // A new ground keeps the date the restriction began.
            let regrounded = try await fixture.json(.put, path, token: dpo, body: #"{"restricted":true,"ground":"objectionPending"}"#)
            #expect(regrounded.object["ground"] as? String == "objectionPending")
            #expect(regrounded.object["restrictedAt"] as? String == since)

            // Lifting without a reason, or before the person was told: refused, still restricted.
            try await fixture.json(.put, path, token: dpo, body: #"{"restricted":false,"subjectInformed":true}"#).expectProblem(.badRequest)
            let untold = try await fixture.json(.put, path, token: dpo, body: #"{"restricted":false,"liftReason":"overridingGrounds"}"#)
                .expectProblem(.badRequest)
            #expect(untold.contains("18(3)"))
            try await fixture.json(.put, path, token: dpo, body: #"{"restricted":false,"liftReason":"overridingGrounds","subjectInformed":false}"#)
                .expectProblem(.badRequest)
            #expect(try await fixture.json(.get, path, token: dpo).object["restricted"] as? Bool == true)

            let lifted = try await fixture.json(.put, path, token: dpo, body: #"{"restricted":false,"liftReason":"overridingGrounds","subjectInformed":true}"#)
            #expect(lifted.status == .ok, "\(lifted.text)")
            #expect(lifted.object["restricted"] as? Bool == false)
            #expect(lifted.object["ground"] == nil)

            let audit = try await fixture.json(.get, "/api/v1/audit?contactId=\(id)", token: dpo)
            let entries = try #require(audit.object["items"] as? [[String: Any]])
            let contexts = entries.filter { ($0["action"] as? String)?.hasPrefix("contact.") == true && ($0["action"] as? String)?.contains("restrict") == true }
                .compactMap { $0["context"] as? String }
            #expect(contexts.contains("ground accuracyContested"))
            #expect(contexts.contains("ground objectionPending"))
            #expect(contexts.contains("reason overridingGrounds; person informed"))
            #expect(contexts.count == 3, "refused requests record nothing: \(contexts)")
        }
    }

    @Test("while restricted, agents change nothing and record no grant; withdrawals are taken; the DPO may still correct", arguments: TestDatabase.engines)
    func restrictionHoldsChanges(engine: TestDatabase.Engine) async throws {
        try await ServerFixture.with(engine) { fixture in
            let inbound = try await fixture.login("inbound@demo.test")
            let dpo = try await fixture.login("dpo@demo.test")
            let id = try #require(try await fixture.lookup(phone: fixture.people[0]["phone"]!, as: inbound).first?["id"] as? String)
            let consents = "/api/v1/contacts/\(id)/consents"
            #expect(try await fixture.json(.post, consents, token: inbound, body: """
                {"purpose":"outbound_marketing","channel":"phone","decision":"granted"}
                """).status == .created)
            #expect(try await fixture.json(.put, "/api/v1/contacts/\(id)/restriction", token: dpo, body: #"{"restricted":true,"ground":"accuracyContested"}"#)
                .status == .ok)

            let call = try await fixture.answeredCall(from: fixture.people[0]["phone"]!, agent: "inbound@demo.test")
            let edit = try await fixture.json(.patch, "/api/v1/contacts/\(id)?interactionId=\(call)", token: inbound,
                                              body: #"{"fields":{"address":"Rua Nova 1, Lisboa"}}"#).expectProblem(.conflict)
            #expect(edit.contains("Art. 18"))
            #expect(!edit.contains("Rua Nova"))
            try await fixture.json(.put, "/api/v1/contacts/\(id)/stage", token: inbound, body: #"{"stage":"former_customer"}"#).expectProblem(.conflict)
            try await fixture.json(.post, consents, token: inbound, body: """
                {"purpose":"outbound_marketing","channel":"sms","decision":"granted"}
                """).expectProblem(.conflict)
            // Taking consent back is never held up.
            #expect(try await fixture.json(.post, consents, token: inbound, body: """
                {"purpose":"outbound_marketing","channel":"phone","decision":"withdrawn"}
                """).status == .created)
            let history = try await fixture.json(.get, consents, token: inbound).object["history"] as? [[String: Any]]
            #expect(history?.compactMap { $0["decision"] as? String } == ["withdrawn", "granted"], "the refused grant stored nothing")

            // The DPO corrects the data the restriction waits for.
            let corrected = try await fixture.json(.patch, "/api/v1/contacts/\(id)", token: dpo, body: #"{"fields":{"address":"Rua Nova 1, Lisboa"}}"#)
            #expect(corrected.status == .ok, "\(corrected.text)")
            #expect(try await fixture.json(.put, "/api/v1/contacts/\(id)/restriction", token: dpo, body: """
                {"restricted":false,"liftReason":"accuracyVerified","subjectInformed":true}
                """).status == .ok)
            #expect(try await fixture.json(.put, "/api/v1/contacts/\(id)/stage", token: inbound, body: #"{"stage":"former_customer"}"#).status == .ok)
        }
    }
}
