import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import GuardlineServer

@Suite("Web console") struct ConsoleTests {
    /// Posts the password form as a browser would; returns the answer and the login CSRF value.
    func submitPassword(_ fixture: ServerFixture, _ email: String) async throws -> (TestResponse, String) {
        let page = try await fixture.client.execute(uri: "/login", method: .get)
        let csrf = try #require(page.text.firstMatch(of: /name="_csrf" value="([^"]+)"/)?.1)
        let csrfCookie = try #require(page.headers[.setCookie]?.firstMatch(of: /gl_login_csrf=([^;]+)/)?.1)
        let form = "_csrf=\(csrf)&email=\(email.replacingOccurrences(of: "@", with: "%40"))&password=\(ServerFixture.password)"
        let response = try await fixture.client.execute(
            uri: "/login", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "gl_login_csrf=\(csrfCookie)"],
            body: ByteBuffer(string: form))
        return (response, String(csrfCookie))
    }

    /// Signs in through the form as a browser would and returns the session cookie.
    func signIn(_ fixture: ServerFixture, _ email: String, expecting next: String = "/lookup") async throws -> String {
        let (response, _) = try await submitPassword(fixture, email)
        #expect(response.status == .seeOther)
        #expect(response.headers[.location] == next)
        let setCookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("gl_session=") })
        #expect(setCookie.contains("HttpOnly"))
        #expect(setCookie.contains("SameSite=Strict"))
        return String(try #require(setCookie.firstMatch(of: /gl_session=([^;]+)/)?.1))
    }

    func get(_ fixture: ServerFixture, _ uri: String, session: String) async throws -> TestResponse {
        try await fixture.client.execute(uri: uri, method: .get, headers: [.cookie: "gl_session=\(session)"])
    }

    /// Posts a form with the session's CSRF token, read from a page as a browser has it.
    func post(_ fixture: ServerFixture, _ uri: String, form: String, session: String) async throws -> TestResponse {
        let page = try await get(fixture, "/lookup", session: session)
        let csrf = try #require(page.text.firstMatch(of: /name="_csrf" value="([^"]+)"/)?.1)
        return try await fixture.client.execute(
            uri: uri, method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "gl_session=\(session)"],
            body: ByteBuffer(string: "_csrf=\(csrf)&" + form))
    }

    @Test("pages carry a strict CSP without inline script, no framing and no sniffing")
    func securityHeaders() async throws {
        try await ServerFixture.with { fixture in
            let page = try await fixture.client.execute(uri: "/login", method: .get)
            #expect(page.status == .ok)
            let csp = try #require(page.headers[.contentSecurityPolicy])
            #expect(csp.contains("frame-ancestors 'none'"))
            #expect(csp.contains("script-src 'self'"))
            #expect(!csp.contains("unsafe-inline"))
            #expect(page.headers[.xContentTypeOptions] == "nosniff")
            #expect(page.headers[.cacheControl] == "no-store")
            #expect(!page.text.contains("<script"))
            let css = try await fixture.client.execute(uri: "/static/console.css", method: .get)
            #expect(css.status == .ok)
        }
    }

    @Test("inbound support sees the caller's address on the screen pop; outbound sales does not even receive it")
    func screenPop() async throws {
        try await ServerFixture.with { fixture in
            let person = fixture.people[0]
            let phone = person["phone"]!.replacingOccurrences(of: "+", with: "%2B")
            // Within the calls the phone system handed them (need-to-know).
            let inboundCall = try await fixture.answeredCall(from: person["phone"]!, agent: "inbound@demo.test")
            let outboundCall = try await fixture.answeredCall(from: person["phone"]!, agent: "outbound@demo.test")
            let inbound = try await post(fixture, "/lookup", form: "phone=\(phone)&email=&name=&interaction=\(inboundCall)",
                                         session: try await signIn(fixture, "inbound@demo.test"))
            #expect(inbound.status == .ok)
            #expect(inbound.text.contains(#"data-field="address" data-access="editable""#))
            #expect(inbound.text.contains(escapeHTML(person["address"]!)))
            let outbound = try await post(fixture, "/lookup", form: "phone=\(phone)&interaction=\(outboundCall)",
                                          session: try await signIn(fixture, "outbound@demo.test"))
            #expect(outbound.status == .ok)
            // A lookup in the URL is not performed: personal data stays out of URLs.
            let byURL = try await get(fixture, "/lookup?phone=\(phone)", session: try await signIn(fixture, "inbound@demo.test"))
            #expect(!byURL.text.contains(escapeHTML(person["address"]!)))
            #expect(outbound.text.contains(#"data-field="phone" data-access="visible""#))
            #expect(!outbound.text.contains(#"data-field="address""#))
            for value in [person["address"]!, person["email"]!, person["name"]!] {
                #expect(!outbound.text.contains(escapeHTML(value)))
            }
        }
    }

    @Test("forms without the session's CSRF token are refused; pages without a session redirect to sign-in")
    func csrfAndSessions() async throws {
        try await ServerFixture.with { fixture in
            let noSession = try await fixture.client.execute(uri: "/lookup", method: .get)
            #expect(noSession.status == .seeOther)
            #expect(noSession.headers[.location] == "/login")
            let forged = try await fixture.client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "email=dpo%40demo.test&password=\(ServerFixture.password)"))
            #expect(forged.status == .forbidden)
            let session = try await signIn(fixture, "dpo@demo.test")
            let before = try await fixture.contactCount()
            let noToken = try await fixture.client.execute(
                uri: "/contacts", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "gl_session=\(session)"],
                body: ByteBuffer(string: "name=Forged+Contact"))
            #expect(noToken.status == .forbidden)
            #expect(try await fixture.contactCount() == before)
            let audit = try await get(fixture, "/audit", session: session)
            #expect(audit.text.contains(#"id="chain-status" class="ok""#))
            let adminOnly = try await get(fixture, "/admin/users", session: session)
            #expect(adminOnly.status == .forbidden)
        }
    }

    private func escapeHTML(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "'", with: "&#39;")
    }
}
