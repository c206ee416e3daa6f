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
        clock: WallClock = .system, configure: @Sendable (inout ServerConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (ServerFixture) async throws -> Void
    ) async throws {
        try await TestDatabase.with(engine) { database in
            var configuration = ServerConfiguration(
                dataDirectory: database.directory, databaseURL: database.databaseURL, passwordCost: passwordCost, auditCheckpointInterval: 25,
                contactRequestsPerMinute: contactRequestsPerMinute)
            configure(&configuration)
            let services = try await GuardlineServices.open(configuration, clock: clock, logger: Logger(label: "test"))
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

    func lookup(phone: String, as token: String) async throws -> [[String: Any]] {
        let encoded = phone.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? phone
        let response = try await json(.get, "/api/v1/contacts/lookup?phone=\(encoded)", token: token)
        #expect(response.status == .ok)
        return response.object["items"] as? [[String: Any]] ?? []
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
