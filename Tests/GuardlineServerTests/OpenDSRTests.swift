import Foundation
import GuardlineCore
import GuardlineStore
import GuardlineTestSupport
import HummingbirdTesting
import Testing

@testable import GuardlineServer

@Suite("OpenDSR endpoints")
struct OpenDSRTests {
    /// The upstream platform's token: an integration token of the DPO, able to write contacts.
    static func platformToken(_ fixture: ServerFixture) async throws -> String {
        let dpo = try await fixture.login("dpo@demo.test")
        let created = try await fixture.json(.post, "/api/v1/tokens", token: dpo, body: #"{"name":"Privacy platform","scopes":["contacts.write"]}"#)
        #expect(created.status == .created, "\(created.text)")
        return try #require(created.object["token"] as? String)
    }

    static func submit(
        _ fixture: ServerFixture, _ token: String, id: String = UUID().uuidString.lowercased(), type: String = "erasure",
        identities: String, submitted: Date = Date()
    ) async throws -> TestResponse {
        try await fixture.json(.post, "/api/v1/opendsr/opengdpr_requests", token: token, body: """
            {"subject_request_id":"\(id)","subject_request_type":"\(type)","submitted_time":"\(ISO8601DateFormatter().string(from: submitted))",
             "subject_identities":[\(identities)],"api_version":"1.0","regulation":"gdpr",
             "status_callback_urls":["https://platform.example/callbacks"]}
            """)
    }

    static func email(_ value: String) -> String { #"{"identity_type":"email","identity_value":"\#(value)","identity_format":"raw"}"# }

    @Test("an erasure sent by a privacy platform: received with its month from submission, retried without a second request, approved by someone else, followed to completed",
          arguments: TestDatabase.engines)
    func erasureFromAPlatform(engine: TestDatabase.Engine) async throws {
        try await ServerFixture.with(engine) { fixture in
            let platform = try await Self.platformToken(fixture)
            let discovery = try await fixture.json(.get, "/api/v1/opendsr/discovery", token: platform)
            #expect(discovery.status == .ok)
            #expect(discovery.object["supported_subject_request_types"] as? [String] == ["access", "portability", "erasure"])

            let external = UUID().uuidString.lowercased()
            let submitted = Date().addingTimeInterval(-3 * 86_400)
            let person = fixture.people[3]
            let created = try await Self.submit(fixture, platform, id: external, identities: Self.email(person["email"]!), submitted: submitted)
            #expect(created.status == .created, "\(created.text)")
            #expect(created.object["subject_request_id"] as? String == external)
            let expected = try #require((created.object["expected_completion_time"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) })
            #expect(abs(expected.timeIntervalSince(RequestDeadline.due(receivedAt: submitted))) < 1)
            let ours = try #require(created.object["guardline_request_id"] as? String)

            // The platform retries: the same request, not a second one.
            let retried = try await Self.submit(fixture, platform, id: external, identities: Self.email(person["email"]!), submitted: submitted)
            #expect(retried.status == .created)
            #expect(retried.object["guardline_request_id"] as? String == ours)

            let status = try await fixture.json(.get, "/api/v1/opendsr/opengdpr_requests/\(external)", token: platform)
            #expect(status.object["request_status"] as? String == "in_progress")
            #expect(status.object["guardline_state"] as? String == "awaitingApproval")

            // Whoever's token sent it verified it: approval takes someone else.
            let dpo = try await fixture.login("dpo@demo.test")
            _ = try await fixture.json(.post, "/api/v1/requests/\(ours)/fulfil", token: dpo).expectProblem(.forbidden)
            let second = try await RequestTests.secondDPO(fixture)
            #expect(try await fixture.json(.post, "/api/v1/requests/\(ours)/fulfil", token: second).status == .ok)
            let done = try await fixture.json(.get, "/api/v1/opendsr/opengdpr_requests/\(external)", token: platform)
            #expect(done.object["request_status"] as? String == "completed")
            let request = try await fixture.json(.get, "/api/v1/requests/\(ours)", token: dpo)
            #expect(request.object["verification"] as? String == "upstreamController")
            #expect(request.object["channel"] as? String == "api")
        }
    }

    @Test("a platform's cancellation: accepted while open, refused once answered")
    func cancellation() async throws {
        try await ServerFixture.with { fixture in
            let platform = try await Self.platformToken(fixture)
            let external = UUID().uuidString.lowercased()
            #expect(try await Self.submit(fixture, platform, id: external, type: "access", identities: Self.email(fixture.people[4]["email"]!)).status == .created)
            let cancelled = try await fixture.json(.delete, "/api/v1/opendsr/opengdpr_requests/\(external)", token: platform)
            #expect(cancelled.status == .accepted, "\(cancelled.text)")
            #expect(cancelled.object["subject_request_id"] as? String == external)
            let status = try await fixture.json(.get, "/api/v1/opendsr/opengdpr_requests/\(external)", token: platform)
            #expect(status.object["request_status"] as? String == "cancelled")
            _ = try await fixture.json(.delete, "/api/v1/opendsr/opengdpr_requests/\(external)", token: platform).expectProblem(.conflict)
        }
    }

    @Test("what a platform cannot do: name nobody, hashed or mixed identities, backdate past a month, reuse an id for another type; agents and other organizations reach nothing")
    func refusals() async throws {
        try await ServerFixture.with { fixture in
            let platform = try await Self.platformToken(fixture)
            let people = fixture.people
            _ = try await Self.submit(fixture, platform, identities: Self.email("nobody.at.all@example.com")).expectProblem(.notFound)
            // The controller's id goes into the audit chain: a UUID only, never free text.
            let named = try await Self.submit(fixture, platform, id: "Maria Silva 1980-02-03", identities: Self.email(people[5]["email"]!))
                .expectProblem(.badRequest)
            #expect(!named.contains("Maria"))
            let many = Array(repeating: Self.email(people[5]["email"]!), count: 11).joined(separator: ",")
            _ = try await Self.submit(fixture, platform, identities: many).expectProblem(.badRequest)
            _ = try await fixture.json(.get, "/api/v1/opendsr/opengdpr_requests/not-a-uuid", token: platform).expectProblem(.notFound)
            _ = try await Self.submit(fixture, platform, identities: #"{"identity_type":"email","identity_value":"ab12","identity_format":"sha256"}"#)
                .expectProblem(.badRequest)
            _ = try await Self.submit(fixture, platform, identities: #"{"identity_type":"ios_advertising_id","identity_value":"x","identity_format":"raw"}"#)
                .expectProblem(.badRequest)
            // Two identities naming two different people name no one.
            _ = try await Self.submit(fixture, platform, identities: Self.email(people[5]["email"]!) + "," + Self.email(people[6]["email"]!))
                .expectProblem(.notFound)
            _ = try await Self.submit(fixture, platform, identities: Self.email(people[5]["email"]!), submitted: Date().addingTimeInterval(-40 * 86_400))
                .expectProblem(.badRequest)
            let reused = UUID().uuidString.lowercased()
            #expect(try await Self.submit(fixture, platform, id: reused, type: "access", identities: Self.email(people[5]["email"]!)).status == .created)
            _ = try await Self.submit(fixture, platform, id: reused, type: "erasure", identities: Self.email(people[5]["email"]!)).expectProblem(.conflict)
            let count = try await RequestStore(fixture.services.data).forContact(
                ContactID(try await RequestTests.contact(fixture, 5))!, org: try await fixture.organization()).count
            #expect(count == 1)

            let agent = try await fixture.login("inbound@demo.test")
            _ = try await fixture.json(.get, "/api/v1/opendsr/discovery", token: agent).expectProblem(.forbidden)
            _ = try await Self.submit(fixture, agent, identities: Self.email(people[7]["email"]!)).expectProblem(.forbidden)

            // Another organization's platform finds neither our people nor our requests.
            let other = try await fixture.anotherOrganization()
            let theirDPO = try await fixture.staff("dpo@other.test", role: .dpo, profile: "Data Protection", org: other)
            _ = try await Self.submit(fixture, theirDPO, identities: Self.email(people[7]["email"]!)).expectProblem(.notFound)
            _ = try await fixture.json(.get, "/api/v1/opendsr/opengdpr_requests/\(reused)", token: theirDPO).expectProblem(.notFound)
            _ = try await fixture.json(.delete, "/api/v1/opendsr/opengdpr_requests/\(reused)", token: theirDPO).expectProblem(.notFound)
        }
    }
}
