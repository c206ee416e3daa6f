import Foundation
import GuardlineCore
import GuardlineCrypto
import GuardlineStore
import HTTPTypes
import HummingbirdTesting
import NIOConcurrencyHelpers
import NIOCore
import Testing

@testable import GuardlineServer

/// Staff two-step sign-in (ASVS V6): set up in the console, asked after the
/// password by the console and the API, never accepted twice, throttled, and
/// required for admin and DPO in a new organization.
@Suite("Two-step sign-in") struct StaffMFATests {
    @Test("an agent turns it on in the console; the API then needs a code, refuses a replay and takes a recovery code once")
    func enrolAndSignIn() async throws {
        try await ServerFixture.with { fixture in
            let console = ConsoleTests()
            let session = try await console.signIn(fixture, "inbound@demo.test")
            let page = try await console.get(fixture, "/account/mfa", session: session)
            #expect(page.status == .ok)
            #expect(page.text.contains("<svg") && page.text.contains("role=\"img\""))
            let uri = try #require(page.text.firstMatch(of: /id="mfa-uri">([^<]+)</)?.1)
            #expect(uri.hasPrefix("otpauth://totp/Guardline:inbound%40demo.test?secret="))
            let totp = try Self.totp(from: page.text)
            let password = "password=\(ServerFixture.password)"
            try await console.post(fixture, "/account/mfa", form: "code=000000&\(password)", session: session).expectStatus(.badRequest)
            // A session alone (no password) does not turn it on: someone who glimpsed the key cannot either.
            try await console.post(fixture, "/account/mfa", form: "code=\(totp.code(at: Date()))&password=wrong-password-1", session: session)
                .expectStatus(.forbidden)
            let confirmed = try await console.post(fixture, "/account/mfa", form: "code=\(totp.code(at: Date()))&\(password)", session: session)
            #expect(confirmed.status == .ok)
            let codes = confirmed.text.matches(of: /<li><code>([A-Z2-7]{5}-[A-Z2-7]{5})<\/code><\/li>/).map { String($0.1) }
            #expect(codes.count == 10)
            // The password-only session that turned it on has ended.
            #expect(try await console.get(fixture, "/lookup", session: session).status == .seeOther)

            // The secret is stored sealed: neither its text nor its bytes are in the database file.
            let raw = try Data(contentsOf: URL(fileURLWithPath: "\(fixture.database.directory)/guardline.sqlite"))
            #expect(raw.range(of: Data(totp.base32Secret.utf8)) == nil)
            #expect(raw.range(of: Data(totp.secret)) == nil)

            let login = #"{"email":"inbound@demo.test","password":"\#(ServerFixture.password)"}"#
            let asked = try await fixture.json(.post, "/api/v1/auth/login", body: login)
            #expect(asked.expectProblem(.unauthorized).contains("one-time code"))
            func withCode(_ code: String) -> String {
                #"{"email":"inbound@demo.test","password":"\#(ServerFixture.password)","code":"\#(code)"}"#
            }
            // A wrong password with a right code is still just a wrong password.
            let next = totp.code(at: Date().addingTimeInterval(30))
            try await fixture.json(.post, "/api/v1/auth/login", body: #"{"email":"inbound@demo.test","password":"wrong-password-1","code":"\#(next)"}"#)
                .expectProblem(.unauthorized)
            #expect(try await fixture.json(.post, "/api/v1/auth/login", body: withCode(next)).status == .ok)
            try await fixture.json(.post, "/api/v1/auth/login", body: withCode(next)).expectProblem(.unauthorized)
            #expect(try await fixture.json(.post, "/api/v1/auth/login", body: withCode(codes[0])).status == .ok)
            try await fixture.json(.post, "/api/v1/auth/login", body: withCode(codes[0])).expectProblem(.unauthorized)

            let audit = try await fixture.json(.get, "/api/v1/audit?action=auth.mfa_enrol", token: try await fixture.login("dpo@demo.test"))
            #expect((audit.object["items"] as? [Any])?.count == 1)
        }
    }

    @Test("wrong codes are throttled per account, with Retry-After")
    func codesThrottled() async throws {
        try await ServerFixture.with { fixture in
            _ = try await Self.enrol(fixture, "outbound@demo.test")
            let wrong = #"{"email":"outbound@demo.test","password":"\#(ServerFixture.password)","code":"123456"}"#
            var statuses: [Int] = []
            for _ in 0..<6 { statuses.append(Int(try await fixture.json(.post, "/api/v1/auth/login", body: wrong).status.code)) }
            // One wrong code in a million is the right one; the sixth attempt is refused either way.
            #expect(statuses.last == 429)
            #expect(statuses.dropLast().allSatisfy { $0 == 401 || $0 == 200 })
        }
    }

    @Test("a new organization requires it for admin and DPO: the API refuses until it is set up, the console allows only the set-up")
    func requiredForAdminAndDPO() async throws {
        try await ServerFixture.with { fixture in
            let services = fixture.services
            let other = try await services.organizations.create(name: "Strict Center", clock: services.clock)
            #expect(try await services.organizations.mfaRoles(other.id) == [.admin, .dpo])
            let admin = StaffUser(id: .make(), orgID: other.id, email: "admin@strict.test", name: "Strict Admin", role: .admin,
                                  teamID: nil, profileID: nil, disabled: false, createdAt: Date())
            try await services.users.create(admin, passwordHash: try await services.passwords.hash(ServerFixture.password))
            let refused = try await fixture.json(.post, "/api/v1/auth/login", body: #"{"email":"admin@strict.test","password":"\#(ServerFixture.password)"}"#)
            #expect(refused.expectProblem(.forbidden).contains("two-step"))
            let console = ConsoleTests()
            let session = try await console.signIn(fixture, "admin@strict.test", expecting: "/account/mfa")
            let users = try await console.get(fixture, "/admin/users", session: session)
            #expect(users.status == .seeOther)
            #expect(users.headers[.location] == "/account/mfa")
            #expect(try await console.get(fixture, "/account/mfa", session: session).status == .ok)
        }
    }

    @Test("the console asks for the code after the password, before any session exists")
    func consoleSecondStep() async throws {
        try await ServerFixture.with { fixture in
            let totp = try await Self.enrol(fixture, "supervisor@demo.test")
            let console = ConsoleTests()
            let (response, loginCSRF) = try await console.submitPassword(fixture, "supervisor@demo.test")
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/login/code")
            #expect(!response.headers[values: .setCookie].contains { $0.hasPrefix("gl_session=") })
            let challenge = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("gl_login_challenge=") }?
                .firstMatch(of: /gl_login_challenge=([^;]+)/)?.1)
            let cookies = "gl_login_csrf=\(loginCSRF); gl_login_challenge=\(challenge)"
            let wrong = try await fixture.client.execute(
                uri: "/login/code", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookies],
                body: ByteBuffer(string: "_csrf=\(loginCSRF)&code=000000"))
            #expect(wrong.status == .unauthorized)
            let right = try await fixture.client.execute(
                uri: "/login/code", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookies],
                body: ByteBuffer(string: "_csrf=\(loginCSRF)&code=\(totp.code(at: Date().addingTimeInterval(30)))"))
            #expect(right.status == .seeOther)
            #expect(right.headers[values: .setCookie].contains { $0.hasPrefix("gl_session=") })
        }
    }

    @Test("sign-in takes as long for an unknown account as for a wrong password, two-step accounts included")
    func timing() async throws {
        // A real cost, so that the password check dominates as it does in production and
        // other tests running beside this one add noise, not a verdict.
        try await ServerFixture.with(passwordCost: 10) { fixture in
            _ = try await Self.enrol(fixture, "dpo@demo.test")
            func median(_ email: String, index: Int) async throws -> Double {
                var samples: [Double] = []
                for attempt in 0..<4 {
                    // Fresh addresses each time: the throttle must not answer before the password check.
                    let body = #"{"email":"\#(email)","password":"wrong-password-\#(index)-\#(attempt)"}"#
                    let start = ContinuousClock.now
                    let response = try await fixture.json(.post, "/api/v1/auth/login", body: body)
                    // Milliseconds, whole seconds included: under load a sign-in may pass a second.
                    let took = (ContinuousClock.now - start).components
                    samples.append(Double(took.seconds) * 1_000 + Double(took.attoseconds) / 1e15)
                    #expect(response.status == .unauthorized)
                }
                return samples.sorted()[samples.count / 2]
            }
            var unknown: [Double] = []
            var known: [Double] = []
            // Interleaved, so both see the same machine load; accounts vary to stay under the throttle.
            for round in 0..<3 {
                unknown.append(try await median("nobody\(round)@demo.test", index: round))
                known.append(try await median(["dpo@demo.test", "inbound@demo.test", "outbound@demo.test"][round], index: round))
            }
            let a = unknown.sorted()[1], b = known.sorted()[1]
            // Both are one bcrypt at the same cost; a gap would tell accounts apart.
            #expect(max(a, b) / min(a, b) < 2.0, "unknown \(unknown) ms, wrong password \(known) ms")
        }
    }

    @Test("a key shown on the set-up page and not confirmed within 10 minutes is replaced")
    func pendingExpires() async throws {
        let now = NIOLockedValueBox(Date())
        try await ServerFixture.with(clock: WallClock { now.withLockedValue { $0 } }) { fixture in
            let user = try #require(try await fixture.services.users.all(org: try await fixture.organization()).first { $0.email == "supervisor@demo.test" })
            let first = try await fixture.services.mfa.beginEnrolment(for: user)
            #expect(try await fixture.services.mfa.beginEnrolment(for: user).secret == first.secret, "a reload keeps the key")
            now.withLockedValue { $0 = $0.addingTimeInterval(11 * 60) }
            let oldSecret = try #require(Base32.decode(first.secret))
            let old = try #require(TOTP(secret: oldSecret))
            await #expect(throws: GuardlineError.self) {
                _ = try await fixture.services.mfa.confirmEnrolment(for: user, code: old.code(at: now.withLockedValue { $0 }))
            }
            #expect(try await fixture.services.mfa.beginEnrolment(for: user).secret != first.secret)
        }
    }

    static func totp(from page: String) throws -> TOTP {
        let text = try #require(page.firstMatch(of: /id="mfa-secret">([A-Z2-7 ]+)</)?.1)
        let secret = try #require(Base32.decode(String(text)))
        return try #require(TOTP(secret: secret))
    }

    /// Turns two-step sign-in on for a demo account, as its set-up page would.
    static func enrol(_ fixture: ServerFixture, _ email: String) async throws -> TOTP {
        let users = try await fixture.services.users.all(org: try await fixture.organization())
        let user = try #require(users.first { $0.email == email })
        let enrolment = try await fixture.services.mfa.beginEnrolment(for: user)
        let secret = try #require(Base32.decode(enrolment.secret))
        let totp = try #require(TOTP(secret: secret))
        _ = try await fixture.services.mfa.confirmEnrolment(for: user, code: totp.code(at: Date()))
        return totp
    }
}

extension TestResponse {
    func expectStatus(_ status: HTTPResponse.Status, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(self.status == status, "body: \(text)", sourceLocation: sourceLocation)
    }
}
