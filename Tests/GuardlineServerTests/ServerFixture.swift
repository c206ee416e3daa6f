import Foundation
import GuardlineCore
import GuardlineStore
import GuardlineTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import GuardlineServer

/// A Guardline with the demo organization (a few contacts) on a throwaway
/// database, driven through the router as a client would.
struct ServerFixture {
    static let password = "Test-password-1234"

    let services: GuardlineServices
    let database: TestDatabase
    let client: any TestClientProtocol

    static func with(
        _ engine: TestDatabase.Engine = .sqlite, contacts: Int = 12, passwordCost: UInt8 = 4, contactRequestsPerMinute: Int = 600,
        clock: WallClock = .system, outbox: (any Outbox)? = nil, configure: @Sendable (inout ServerConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (ServerFixture) async throws -> Void
    ) async throws {
        try await TestDatabase.with(engine) { database in
            var configuration = ServerConfiguration(
                dataDirectory: database.directory, databaseURL: database.databaseURL, passwordCost: passwordCost, auditCheckpointInterval: 25,
                contactRequestsPerMinute: contactRequestsPerMinute)
            configure(&configuration)
            let services = try await GuardlineServices.open(configuration, clock: clock, outbox: outbox, logger: Logger(label: "test"))
            do {
                try await DemoSeeder(services).seed(password: password, contacts: contacts, logger: Logger(label: "test"))
                let app = Application(router: try await buildRouter(services: services))
                try await app.test(.router) { client in
                    try await body(ServerFixture(services: services, database: database, client: client))
                }
            } catch {
                try? await services.shutdown()
                throw error
            }
            try await services.shutdown()
        }
    }

    /// The demo people, in the order the seeder created them.
    var people: [[String: String]] { DemoPeople.make(count: 12) }

    // MARK: Requests

    func json(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, body: String? = nil,
              headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    func login(_ email: String) async throws -> String {
        let response = try await json(.post, "/api/v1/auth/login", body: #"{"email":"\#(email)","password":"\#(Self.password)"}"#)
        #expect(response.status == .ok)
        return try #require(response.object["token"] as? String)
    }

    /// A member of staff, signed in: `profile` names one of the organization's access profiles
    /// (or an id given), `org` defaults to the demo organization; answers their session token.
    func staff(_ email: String, role: Role, profile: String? = nil, profileID: AccessProfileID? = nil, org: OrganizationID? = nil) async throws -> String {
        var tenant = org
        if tenant == nil { tenant = try await organization() }
        let org = try #require(tenant)
        var chosen = profileID
        if let profile { chosen = try #require(try await services.profiles.all(org: org).first { $0.name == profile }).id }
        let user = StaffUser(id: .make(), orgID: org, email: email, name: email, role: role, teamID: nil, profileID: chosen,
                             disabled: false, createdAt: Date())
        try await services.users.create(user, passwordHash: try await services.passwords.hash(Self.password))
        return try await login(email)
    }

    /// A second organization, signing in with a password alone (two-step sign-in has tests of its own).
    func anotherOrganization() async throws -> OrganizationID {
        let other = try await services.organizations.create(name: "Other Center", clock: services.clock)
        try await services.organizations.setMFARoles([], org: other.id)
        return other.id
    }

    /// A lookup by caller ID. `inCall`: from within a call the PBX announced as answered by the
    /// token's user (need-to-know: agent profiles open a contact in full only there).
    func lookup(phone: String, as token: String, inCall: Bool = false) async throws -> [[String: Any]] {
        let encoded = phone.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? phone
        var context = ""
        if inCall {
            let me = try await json(.get, "/api/v1/auth/me", token: token)
            let email = try #require((me.object["user"] as? [String: Any])?["email"] as? String)
            context = "&interactionId=" + (try await answeredCall(from: phone, agent: email))
        }
        let response = try await json(.get, "/api/v1/contacts/lookup?phone=\(encoded)\(context)", token: token)
        #expect(response.status == .ok)
        return response.object["items"] as? [[String: Any]] ?? []
    }

    /// An integration token for the phone system (`cti.events`), made by the admin.
    func ctiToken() async throws -> String {
        let admin = try await login("admin@demo.test")
        let created = try await json(.post, "/api/v1/tokens", token: admin, body: #"{"name":"PBX","scopes":["cti.events"]}"#)
        #expect(created.status == .created, "\(created.text)")
        return try #require(created.object["token"] as? String)
    }

    /// A call from `phone` the PBX announces as ringing, then answered by `agent`: its interaction id.
    func answeredCall(from phone: String, agent: String, callID: String = "call-\(UUID().uuidString)", pbx: String? = nil) async throws -> String {
        let token: String
        if let pbx { token = pbx } else { token = try await ctiToken() }
        var id: String?
        for kind in ["ringing", "answered"] {
            let posted = try await json(.post, "/api/v1/cti/events", token: token, body: """
                {"type":"\(kind)","callId":"\(callID)","from":"\(phone)","queue":"support","agent":"\(agent)"}
                """)
            #expect(posted.status == .accepted, "\(posted.text)")
            id = posted.object["interactionId"] as? String
        }
        return try #require(id)
    }

    func contactCount() async throws -> Int {
        try await ContactStore(services.data).count(org: try await organization())
    }

    func organization() async throws -> OrganizationID {
        try #require(try await services.organizations.find(named: DemoSeeder.organizationName)).id
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var object: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }

    /// Asserts an RFC 9457 problem answer with this status, and returns its detail.
    @discardableResult
    func expectProblem(_ status: HTTPResponse.Status, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        #expect(self.status == status, "body: \(text)", sourceLocation: sourceLocation)
        #expect(headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
        #expect(object["status"] as? Int == Int(status.code), sourceLocation: sourceLocation)
        let detail = object["detail"] as? String ?? ""
        #expect(!detail.isEmpty, sourceLocation: sourceLocation)
        return detail
    }
}

extension [String: Any] {
    var fields: [String: String] { self["fields"] as? [String: String] ?? [:] }
}
