import Foundation
import Testing

@testable import GuardlineServer

@Suite("Bearer tokens") struct TokenTests {
    @Test("a scoped integration token can read but not write, and dies when revoked")
    func scopedToken() async throws {
        try await ServerFixture.with { fixture in
            let dpo = try await fixture.login("dpo@demo.test")
            let created = try await fixture.json(.post, "/api/v1/tokens", token: dpo, body: #"{"name":"CRM sync","scopes":["contacts.read"]}"#)
            #expect(created.status == .created)
            let token = try #require(created.object["token"] as? String)
            let id = try #require((created.object["apiToken"] as? [String: Any])?["id"] as? String)
            #expect(token.hasPrefix("gl_"))
            #expect(try await fixture.lookup(phone: fixture.people[0]["phone"]!, as: token).count == 1)
            try await fixture.json(.post, "/api/v1/contacts", token: token, body: #"{"fields":{"name":"Nope"}}"#).expectProblem(.forbidden)
            try await fixture.json(.get, "/api/v1/audit", token: token).expectProblem(.forbidden)
            let listed = try await fixture.json(.get, "/api/v1/tokens", token: dpo).object["items"] as? [[String: Any]]
            #expect(listed?.map { $0["name"] as? String } == ["CRM sync"])
            // The token's use is audited under the token, acting for its user.
            let uses = try await fixture.json(.get, "/api/v1/audit?action=token.use", token: dpo).object["items"] as? [[String: Any]]
            #expect(uses?.first?["actorId"] as? String == id)
            #expect(try await fixture.json(.delete, "/api/v1/tokens/\(id)", token: dpo).status == .noContent)
            try await fixture.json(.get, "/api/v1/auth/me", token: token).expectProblem(.unauthorized)
            // Nobody grants more than they hold.
            try await fixture.json(.post, "/api/v1/tokens", token: try await fixture.login("inbound@demo.test"),
                                   body: #"{"name":"x","scopes":["audit.read"]}"#).expectProblem(.forbidden)
        }
    }

    @Test("logout revokes the login token; wrong passwords are throttled per account")
    func logoutAndThrottle() async throws {
        try await ServerFixture.with { fixture in
            let token = try await fixture.login("inbound@demo.test")
            #expect(try await fixture.json(.post, "/api/v1/auth/logout", token: token).status == .noContent)
            try await fixture.json(.get, "/api/v1/auth/me", token: token).expectProblem(.unauthorized)
            let wrong = #"{"email":"outbound@demo.test","password":"not-the-password"}"#
            var statuses: [Int] = []
            for _ in 0..<6 { statuses.append(Int(try await fixture.json(.post, "/api/v1/auth/login", body: wrong).status.code)) }
            #expect(statuses == [401, 401, 401, 401, 401, 429])
            // The right password is refused too while the account is throttled...
            try await fixture.json(.post, "/api/v1/auth/login", body: #"{"email":"outbound@demo.test","password":"\#(ServerFixture.password)"}"#)
                .expectProblem(.tooManyRequests)
            // ...and an unknown account answers exactly like a wrong password.
            let unknown = try await fixture.json(.post, "/api/v1/auth/login", body: #"{"email":"nobody@demo.test","password":"whatever-123"}"#)
            let wrongPassword = try await fixture.json(.post, "/api/v1/auth/login", body: #"{"email":"dpo@demo.test","password":"whatever-123"}"#)
            #expect(unknown.expectProblem(.unauthorized) == wrongPassword.expectProblem(.unauthorized))
        }
    }

    @Test("the OpenAPI document is served and names every operation")
    func openAPIDocument() async throws {
        try await ServerFixture.with { fixture in
            let response = try await fixture.json(.get, "/api/v1/openapi.json")
            #expect(response.status == .ok)
            let paths = try #require(response.object["paths"] as? [String: [String: Any]])
            let operations = paths.values.flatMap { $0.values.compactMap { ($0 as? [String: Any])?["operationId"] as? String } }
            #expect(Set(operations).isSuperset(of: ["login", "lookupContacts", "createContact", "verifyAudit", "replaceAccessProfile"]))
            #expect(response.object["openapi"] as? String == "3.1.0")
        }
    }
}
