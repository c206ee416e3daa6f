import Foundation
import GuardlineCore
import HTTPTypes
import HummingbirdTesting
import NIOConcurrencyHelpers
import Testing

@testable import GuardlineServer

/// Cookies, HSTS, session lifetimes and metrics as a browser and a scraper meet them (ASVS V3, V7).
@Suite("Transport and session security") struct TransportSecurityTests {
    @Test("behind a TLS-terminating proxy, the session cookie is Secure with the __Host- prefix, and HSTS is sent")
    func tlsCookies() async throws {
        try await ServerFixture.with(configure: { $0.trustProxyTLS = true }) { fixture in
            let (response, _) = try await ConsoleTests().submitPassword(fixture, "dpo@demo.test")
            let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("__Host-gl_session=") })
            #expect(cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("Path=/"))
            #expect(!cookie.contains("Domain"))
            #expect(response.headers[.strictTransportSecurity]?.hasPrefix("max-age=") == true)
            let value = try #require(cookie.firstMatch(of: /__Host-gl_session=([^;]+)/)?.1)
            let page = try await fixture.client.execute(uri: "/lookup", method: .get, headers: [.cookie: "__Host-gl_session=\(value)"])
            #expect(page.status == .ok)
            // The plain name is not accepted in its place.
            let plain = try await fixture.client.execute(uri: "/lookup", method: .get, headers: [.cookie: "gl_session=\(value)"])
            #expect(plain.status == .seeOther)
        }
    }

    @Test("over plain HTTP there is no HSTS and no Secure cookie (the demo on localhost)")
    func plainHTTP() async throws {
        try await ServerFixture.with { fixture in
            let (response, _) = try await ConsoleTests().submitPassword(fixture, "dpo@demo.test")
            #expect(response.headers[.strictTransportSecurity] == nil)
            #expect(response.headers[values: .setCookie].contains { $0.hasPrefix("gl_session=") && !$0.contains("Secure") })
        }
    }

    @Test("a console session ends 12 hours after sign-in, however busy")
    func absoluteLifetime() async throws {
        let now = NIOLockedValueBox(Date())
        let clock = WallClock { now.withLockedValue { $0 } }
        try await ServerFixture.with(clock: clock, configure: { $0.sessionIdleTimeout = 24 * 3600 }) { fixture in
            let console = ConsoleTests()
            let session = try await console.signIn(fixture, "dpo@demo.test")
            now.withLockedValue { $0 = $0.addingTimeInterval(11 * 3600) }
            #expect(try await console.get(fixture, "/lookup", session: session).status == .ok)
            now.withLockedValue { $0 = $0.addingTimeInterval(2 * 3600) }
            let expired = try await console.get(fixture, "/lookup", session: session)
            #expect(expired.status == .seeOther)
            #expect(expired.headers[.location] == "/login")
        }
    }

    @Test("/metrics is not served on the public port without its token")
    func metricsGated() async throws {
        try await ServerFixture.with { fixture in
            let response = try await fixture.client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .notFound)
        }
        try await ServerFixture.with(configure: { $0.metricsToken = "metrics-token-0123456789" }) { fixture in
            let anonymous = try await fixture.client.execute(uri: "/metrics", method: .get)
            #expect(anonymous.status == .unauthorized)
            let wrong = try await fixture.client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer nope"])
            #expect(wrong.status == .unauthorized)
            let scraper = try await fixture.client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer metrics-token-0123456789"])
            #expect(scraper.status == .ok)
        }
    }
}
