import Foundation
import GuardlineCore
import HTTPTypes
import Testing

@testable import GuardlineServer

@Suite("Bad input gets a clear 4xx and stores nothing") struct BadInputTests {
    @Test("malformed JSON, wrong types, unknown properties and missing bodies are 400 problems")
    func malformed() async throws {
        try await ServerFixture.with { fixture in
            let dpo = try await fixture.login("dpo@demo.test")
            let before = try await fixture.contactCount()
            for body in ["{", #"{"fields": 5}"#, #"{"fields": {"name": 5}}"#, #"{"fields": {"name": "A"}, "extra": 1}"#, "[]", "",
                         #"{"fields": {"Maria Secret": 5}}"#] {
                let detail = try await fixture.json(.post, "/api/v1/contacts", token: dpo, body: body).expectProblem(.badRequest)
                #expect(!detail.contains("5"), "detail echoes input: \(detail)")
                #expect(!detail.contains("Secret"), "detail echoes a client key: \(detail)")
            }
            try await fixture.json(.post, "/api/v1/contacts", token: dpo, body: #"{"fields":{"name":"A"}}"#,
                                   headers: [.contentType: "text/plain"]).expectProblem(.badRequest)
            try await fixture.json(.post, "/api/v1/auth/login", body: #"{"email": 1, "password": "x"}"#).expectProblem(.badRequest)
            #expect(try await fixture.contactCount() == before)
        }
    }

    @Test("invalid phone, email, date and unknown fields are refused without echoing the value")
    func invalidValues() async throws {
        try await ServerFixture.with { fixture in
            let dpo = try await fixture.login("dpo@demo.test")
            let before = try await fixture.contactCount()
            let cases = [
                #"{"fields":{"name":"Zé Secret","phone":"912 000 111"}}"#: "912 000 111",
                #"{"fields":{"name":"Zé Secret","phone":"+351 91x 345"}}"#: "91x",
                #"{"fields":{"name":"Zé Secret","email":"ze@@example"}}"#: "ze@@example",
                #"{"fields":{"name":"Zé Secret","birthDate":"1980-02-30"}}"#: "1980-02-30",
                #"{"fields":{"name":"Zé Secret","shoeSize":"44"}}"#: "44",
                #"{"fields":{"name":"   "}}"#: "Zé",
            ]
            for (body, value) in cases {
                let detail = try await fixture.json(.post, "/api/v1/contacts", token: dpo, body: body).expectProblem(.badRequest)
                #expect(!detail.contains(value), "detail echoes the value: \(detail)")
                #expect(!detail.contains("Secret"))
            }
            let long = String(repeating: "a", count: 501)
            try await fixture.json(.post, "/api/v1/contacts", token: dpo, body: #"{"fields":{"address":"\#(long)"}}"#).expectProblem(.badRequest)
            #expect(try await fixture.contactCount() == before)
        }
    }

    @Test("an oversized body is refused with 413 before it is read")
    func oversized() async throws {
        try await ServerFixture.with { fixture in
            let dpo = try await fixture.login("dpo@demo.test")
            let before = try await fixture.contactCount()
            let huge = String(repeating: "x", count: 70_000)
            try await fixture.json(.post, "/api/v1/contacts", token: dpo, body: #"{"fields":{"address":"\#(huge)"}}"#)
                .expectProblem(.contentTooLarge)
            #expect(try await fixture.contactCount() == before)
        }
    }

    @Test("lookups need exactly one valid key")
    func lookups() async throws {
        try await ServerFixture.with { fixture in
            let inbound = try await fixture.login("inbound@demo.test")
            try await fixture.json(.get, "/api/v1/contacts/lookup", token: inbound).expectProblem(.badRequest)
            try await fixture.json(.get, "/api/v1/contacts/lookup?phone=%2B351912345678&email=a%40b.pt", token: inbound).expectProblem(.badRequest)
            try await fixture.json(.get, "/api/v1/contacts/lookup?phone=12", token: inbound).expectProblem(.badRequest)
            try await fixture.json(.get, "/api/v1/contacts?limit=0", token: try await fixture.login("dpo@demo.test")).expectProblem(.badRequest)
            // Outbound sales may not search by name.
            try await fixture.json(.get, "/api/v1/contacts/lookup?name=Silva", token: try await fixture.login("outbound@demo.test"))
                .expectProblem(.forbidden)
        }
    }

    @Test("unknown ids and unknown routes are 404 problems; no token is 401")
    func unknown() async throws {
        try await ServerFixture.with { fixture in
            let dpo = try await fixture.login("dpo@demo.test")
            try await fixture.json(.get, "/api/v1/contacts/\(UUID().uuidString)", token: dpo).expectProblem(.notFound)
            try await fixture.json(.get, "/api/v1/contacts/not-a-uuid", token: dpo).expectProblem(.notFound)
            try await fixture.json(.delete, "/api/v1/contacts/\(UUID().uuidString)", token: dpo).expectProblem(.notFound)
            try await fixture.json(.get, "/api/v1/nothing-here", token: dpo).expectProblem(.notFound)
            let anonymous = try await fixture.json(.get, "/api/v1/contacts/lookup?phone=%2B351912345678")
            anonymous.expectProblem(.unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate] == "Bearer")
            try await fixture.json(.get, "/api/v1/auth/me", token: "gl_forged").expectProblem(.unauthorized)
            let wrongMethod = try await fixture.json(HTTPRequest.Method("TRACE")!, "/api/v1/contacts/\(UUID().uuidString)", token: dpo)
            wrongMethod.expectProblem(.methodNotAllowed)
            #expect(wrongMethod.headers[.allow] == "DELETE, GET, PATCH")
        }
    }
}

@Suite("Nulls the document does not allow") struct JSONNullTests {
    @Test("null where the document wants a value is refused and changes nothing; null where it is allowed still works")
    func nulls() async throws {
        try await ServerFixture.with { fixture in
            let admin = try await fixture.login("admin@demo.test")
            let inboundID = try await fixture.userID("inbound@demo.test")
            try await fixture.json(.patch, "/api/v1/users/\(inboundID)", token: admin, body: #"{"name":"Renamed","password":null}"#)
                .expectProblem(.badRequest)
            #expect(try await fixture.services.users.find(try #require(UserID(inboundID)), org: try await fixture.organization())?.name == "Ines Inbound")
            try await fixture.json(.post, "/api/v1/fields", token: admin,
                                   body: #"{"key":"loyaltyTier","label":"Loyalty tier","category":"user.account","specialCategory":false,"purposes":null}"#)
                .expectProblem(.badRequest)
            try await fixture.json(.patch, "/api/v1/users/\(inboundID)", token: admin, body: #"{"teamId":"not-an-id"}"#).expectProblem(.notFound)
            try await fixture.json(.post, "/api/v1/teams", token: admin, body: #"{"name":"Empty","profileId":""}"#).expectProblem(.badRequest)
            let dpo = try await fixture.login("dpo@demo.test")
            #expect(try await fixture.json(.post, "/api/v1/tokens", token: dpo, body: #"{"name":"n","scopes":["contacts.read"],"expiresInDays":null}"#).status == .created)
        }
    }
}
