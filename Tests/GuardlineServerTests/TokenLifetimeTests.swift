import Foundation
import GuardlineCore
import HummingbirdTesting
import Testing

@testable import GuardlineServer

/// A token cannot outlive or out-scope the credential that creates it, so a
/// stolen token cannot be turned into a longer-lived or wider one (ASVS V7).
@Suite("Token lifetimes and scopes") struct TokenLifetimeTests {
    @Test("every token expires: absent means the server's maximum, longer is refused")
    func everyTokenExpires() async throws {
        try await ServerFixture.with { fixture in
            let dpo = try await fixture.login("dpo@demo.test")
            let now = Date()
            // Through a login token (12 h), the default lifetime is cut to the login token's.
            let created = try await fixture.json(.post, "/api/v1/tokens", token: dpo, body: #"{"name":"CRM","scopes":["contacts.read"]}"#)
            #expect(created.status == .created)
            let expires = try #require(Self.expiry(created))
            #expect(expires.timeIntervalSince(now) <= 12 * 3600 + 60)
            try await fixture.json(.post, "/api/v1/tokens", token: dpo, body: #"{"name":"CRM","scopes":["contacts.read"],"expiresInDays":91}"#)
                .expectProblem(.badRequest)
            // Asking for more than the login token has left is refused, not silently cut.
            try await fixture.json(.post, "/api/v1/tokens", token: dpo, body: #"{"name":"CRM","scopes":["contacts.read"],"expiresInDays":30}"#)
                .expectProblem(.forbidden)
            try await fixture.json(.post, "/api/v1/tokens", token: dpo, body: #"{"name":"CRM","scopes":["contacts.read","contacts.read"]}"#)
                .expectProblem(.badRequest)
        }
    }

    @Test("a token mints only narrower, shorter-lived tokens")
    func mintedTokensAreNarrower() async throws {
        try await ServerFixture.with { fixture in
            let dpo = try await fixture.login("dpo@demo.test")
            let parent = try await fixture.json(.post, "/api/v1/tokens", token: dpo,
                                                body: #"{"name":"parent","scopes":["contacts.read","audit.read"],"expiresInDays":0}"#)
            parent.expectProblem(.badRequest)
            let reader = try await fixture.json(.post, "/api/v1/tokens", token: dpo, body: #"{"name":"reader","scopes":["contacts.read"]}"#)
            let readerToken = try #require(reader.object["token"] as? String)
            let readerExpiry = try #require(Self.expiry(reader))
            try await fixture.json(.post, "/api/v1/tokens", token: readerToken, body: #"{"name":"wider","scopes":["audit.read"]}"#)
                .expectProblem(.forbidden)
            try await fixture.json(.post, "/api/v1/tokens", token: readerToken, body: #"{"name":"wider","scopes":["contacts.write"]}"#)
                .expectProblem(.forbidden)
            let child = try await fixture.json(.post, "/api/v1/tokens", token: readerToken, body: #"{"name":"child","scopes":["contacts.read"]}"#)
            #expect(child.status == .created)
            let childExpiry = try #require(Self.expiry(child))
            #expect(childExpiry <= readerExpiry)
        }
    }

    static func expiry(_ response: TestResponse) -> Date? {
        guard let text = (response.object["apiToken"] as? [String: Any])?["expiresAt"] as? String else { return nil }
        return date(text)
    }

    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }
}

@Suite("Bearer tokens resolved from memory") struct BearerCacheTests {
    @Test("a token in use stops at once when revoked or its user is disabled, and follows a team change at once")
    func changesApplyAtOnce() async throws {
        try await ServerFixture.with { fixture in
            let admin = try await fixture.login("admin@demo.test")
            let outbound = try await fixture.login("outbound@demo.test")
            let person = fixture.people[0]
            // Warm the cache.
            #expect(try await fixture.lookup(phone: person["phone"]!, as: outbound, inCall: true).first?.fields == ["phone": person["phone"]!])
            // The agent moves to Inbound Support: their next request sees the address.
            let teams = try await fixture.services.teams.all(org: try await fixture.organization())
            let inboundTeam = try #require(teams.first { $0.name == "Inbound Support" })
            let outboundID = try await fixture.userID("outbound@demo.test")
            #expect(try await fixture.json(.patch, "/api/v1/users/\(outboundID)", token: admin, body: #"{"teamId":"\#(inboundTeam.id)"}"#).status == .ok)
            #expect(try await fixture.lookup(phone: person["phone"]!, as: outbound, inCall: true).first?.fields["address"] == person["address"])
            // Disabled: the same token is refused on its next request.
            #expect(try await fixture.json(.patch, "/api/v1/users/\(outboundID)", token: admin, body: #"{"disabled":true}"#).status == .ok)
            try await fixture.json(.get, "/api/v1/auth/me", token: outbound).expectProblem(.unauthorized)
        }
    }
}

@Suite("API tokens in the console") struct ConsoleTokenTests {
    @Test("signed in to the console, a person creates a 30-day token, shown once, that works and stops when revoked")
    func createAndRevoke() async throws {
        try await ServerFixture.with { fixture in
            let console = ConsoleTests()
            let session = try await console.signIn(fixture, "dpo@demo.test")
            let page = try await console.get(fixture, "/account/tokens", session: session)
            #expect(page.status == .ok)
            #expect(page.text.contains(#"name="scope_audit.read""#))
            let created = try await console.post(fixture, "/account/tokens", form: "name=CRM+sync&scope_contacts.read=on&days=30&password=\(ServerFixture.password)", session: session)
            #expect(created.status == .ok)
            let token = try #require(created.text.firstMatch(of: /id="token-value">(gl_[A-Za-z0-9_-]+)</)?.1)
            #expect(try await fixture.lookup(phone: fixture.people[0]["phone"]!, as: String(token)).count == 1)
            let listed = try await fixture.services.credentials.tokens(
                user: try #require(UserID(try await fixture.userID("dpo@demo.test"))), org: try await fixture.organization())
            let stored = try #require(listed.first)
            #expect(abs(stored.expiresAt.timeIntervalSinceNow - 30 * 86400) < 120)
            // More days than the maximum, or no scope, are refused and create nothing.
            try await console.post(fixture, "/account/tokens", form: "name=Long&scope_contacts.read=on&days=91&password=\(ServerFixture.password)", session: session).expectStatus(.badRequest)
            try await console.post(fixture, "/account/tokens", form: "name=Empty&days=5&password=\(ServerFixture.password)", session: session)
                .expectStatus(.badRequest)
            // A stolen session without the password mints nothing.
            try await console.post(fixture, "/account/tokens", form: "name=Stolen&scope_contacts.read=on&days=90&password=guess-guess-1", session: session)
                .expectStatus(.forbidden)
            #expect(try await fixture.services.credentials.tokens(
                user: try #require(UserID(try await fixture.userID("dpo@demo.test"))), org: try await fixture.organization()).count == 1)
            let revoked = try await console.post(fixture, "/account/tokens/\(stored.id)/revoke", form: "", session: session)
            #expect(revoked.status == .seeOther)
            try await fixture.json(.get, "/api/v1/auth/me", token: String(token)).expectProblem(.unauthorized)
        }
    }
}
