import Foundation
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
