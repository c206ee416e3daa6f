import Foundation
import GuardlineCore
import GuardlineStore
import Testing

@testable import GuardlineServer

/// Password guessing from the outside: in parallel, across accounts from one
/// address, and against the same address in two tenants (ASVS V6.3).
@Suite("Sign-in throttling and tenants") struct SignInTests {
    @Test("guesses sent in parallel are counted before the password is checked")
    func parallelGuesses() async throws {
        try await ServerFixture.with { fixture in
            let wrong = #"{"email":"outbound@demo.test","password":"not-the-password"}"#
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<20 {
                    group.addTask { Int(try await fixture.json(.post, "/api/v1/auth/login", body: wrong).status.code) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 401 }.count == 5, "\(statuses.sorted())")
            #expect(statuses.filter { $0 == 429 }.count == 15)
            let refused = try await fixture.json(.post, "/api/v1/auth/login", body: wrong)
            refused.expectProblem(.tooManyRequests)
            #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 > 0)
        }
    }

    @Test("one address spraying many accounts is stopped; another address is not")
    func perSourceAddress() async throws {
        try await ServerFixture.with { fixture in
            let authenticator = fixture.services.authenticator
            func attempt(_ email: String, from address: String, password: String = "wrong-password-123") async -> GuardlineError.Code? {
                await RequestOrigin.$current.withValue(RequestOrigin(address: address, tls: false)) {
                    do {
                        _ = try await authenticator.signIn(email: email, password: password, channel: "test")
                        return nil
                    } catch let error as GuardlineError {
                        return error.code
                    } catch {
                        return .unavailable
                    }
                }
            }
            let limit = fixture.services.configuration.loginAttemptsPerSource
            for index in 0..<limit { #expect(await attempt("user\(index)@spray.test", from: "203.0.113.7") == .unauthorized) }
            #expect(await attempt("fresh@spray.test", from: "203.0.113.7") == .tooManyAttempts)
            #expect(await attempt("dpo@demo.test", from: "203.0.113.7", password: ServerFixture.password) == .tooManyAttempts)
            #expect(await attempt("dpo@demo.test", from: "198.51.100.4", password: ServerFixture.password) == nil)
            // Old attempts are deleted as new ones come, so the table stays bounded.
            let stored = try await LoginAttemptStore(fixture.services.data).count()
            #expect(stored <= 2 * limit + 2)
        }
    }

    @Test("staff email is unique per organization: creating a user says nothing of other tenants, and each signs in to their own")
    func sameEmailInTwoTenants() async throws {
        try await ServerFixture.with { fixture in
            let services = fixture.services
            let other = try await services.organizations.create(name: "Other Center", clock: services.clock)
            // Its accounts sign in with a password alone here; two-step sign-in has tests of its own.
            try await services.organizations.setMFARoles([], org: other.id)
            let admin = StaffUser(id: .make(), orgID: other.id, email: "admin@other.test", name: "Other Admin", role: .admin,
                                  teamID: nil, profileID: nil, disabled: false, createdAt: Date())
            try await services.users.create(admin, passwordHash: try await services.passwords.hash(ServerFixture.password))
            let otherAdmin = try await fixture.login("admin@other.test")
            let created = try await fixture.json(.post, "/api/v1/users", token: otherAdmin, body: """
                {"email":"dpo@demo.test","name":"Their DPO","password":"another-password-456","role":"dpo"}
                """)
            #expect(created.status == .created, "\(created.text)")
            // A duplicate within the organization is still refused.
            try await fixture.json(.post, "/api/v1/users", token: otherAdmin, body: """
                {"email":"dpo@demo.test","name":"Twice","password":"another-password-456","role":"dpo"}
                """).expectProblem(.conflict)
            let ours = try await fixture.json(.get, "/api/v1/auth/me", token: try await fixture.login("dpo@demo.test"))
            #expect((ours.object["user"] as? [String: Any])?["name"] as? String == "Dana Protection")
            let theirs = try await fixture.json(.post, "/api/v1/auth/login", body: #"{"email":"dpo@demo.test","password":"another-password-456"}"#)
            #expect(theirs.status == .ok)
            #expect((theirs.object["user"] as? [String: Any])?["name"] as? String == "Their DPO")
        }
    }
}

/// A stolen session or token used to scrape the directory is slowed to an agent's pace.
@Suite("Per-user contact rate limit") struct ContactRateLimitTests {
    @Test("lookups beyond the per-minute budget get 429 with Retry-After; another user is not affected")
    func budget() async throws {
        try await ServerFixture.with(contactRequestsPerMinute: 5) { fixture in
            let inbound = try await fixture.login("inbound@demo.test")
            for person in fixture.people.prefix(5) { #expect(try await fixture.lookup(phone: person["phone"]!, as: inbound).count == 1) }
            let refused = try await fixture.json(.post, "/api/v1/contacts/lookup", token: inbound, body: #"{"phone":"\#(fixture.people[5]["phone"]!)"}"#)
            refused.expectProblem(.tooManyRequests)
            #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(try await fixture.lookup(phone: fixture.people[5]["phone"]!, as: try await fixture.login("outbound@demo.test")).count == 1)
        }
    }
}

@Suite("Rate limit cost by contacts") struct ContactRateLimitCostTests {
    @Test("a list page costs as many contacts as it may return; a name search a page of them")
    func pageCost() async throws {
        try await ServerFixture.with(contactRequestsPerMinute: 100) { fixture in
            let dpo = try await fixture.login("dpo@demo.test")
            #expect(try await fixture.json(.get, "/api/v1/contacts?limit=60", token: dpo).status == .ok)
            try await fixture.json(.get, "/api/v1/contacts?limit=60", token: dpo).expectProblem(.tooManyRequests)
            // Phone lookups cost one each; the 40 left allow a name search (20) and then not a second list page.
            #expect(try await fixture.lookup(phone: fixture.people[0]["phone"]!, as: dpo).count == 1)
            let name = fixture.people[0]["name"]!.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            #expect(try await fixture.json(.get, "/api/v1/contacts/lookup?name=\(name)", token: dpo).status == .ok)
            try await fixture.json(.get, "/api/v1/contacts?limit=30", token: dpo).expectProblem(.tooManyRequests)
        }
    }
}
