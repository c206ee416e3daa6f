import Foundation
import GuardlineCore
import GuardlineStore
import GuardlineTestSupport
import HTTPTypes
import HummingbirdTesting
import NIOConcurrencyHelpers
import NIOCore
import Testing

@testable import GuardlineServer

/// Keeps what the portal sends, for a test to read as the person would.
final class RecordingOutbox: Outbox {
    private let sent = NIOLockedValueBox<[OutboundMessage]>([])

    func deliver(_ message: OutboundMessage) async throws { sent.withLockedValue { $0.append(message) } }

    var messages: [OutboundMessage] { sent.withLockedValue { $0 } }

    func messages(to recipient: OutboundMessage.Recipient) -> [OutboundMessage] { messages.filter { $0.to == recipient } }

    /// The next message to `recipient` beyond the `after` already seen, waiting for its send (it runs after the answer).
    func next(to recipient: OutboundMessage.Recipient, after seen: Int = 0) async throws -> OutboundMessage {
        for _ in 0..<200 {
            let found = messages(to: recipient)
            if found.count > seen { return found[seen] }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw GuardlineError(.unavailable, "no message arrived")
    }

    func code(to recipient: OutboundMessage.Recipient, after seen: Int = 0) async throws -> String {
        let body = try await next(to: recipient, after: seen).body
        return String(try #require(body.firstMatch(of: /\b(\d{6})\b/)?.1))
    }
}

/// A browser on the privacy portal: its cookies and the form tokens of the pages it saw.
struct PortalVisitor {
    let fixture: ServerFixture
    let org: OrganizationID
    var cookies: [String: String] = [:]
    var formToken = ""

    var base: String { "/privacy/\(org)" }

    init(_ fixture: ServerFixture, org: OrganizationID? = nil) async throws {
        self.fixture = fixture
        if let org { self.org = org } else { self.org = try await fixture.organization() }
    }

    mutating func get(_ path: String) async throws -> TestResponse {
        let response = try await fixture.client.execute(uri: path, method: .get, headers: cookieHeader)
        keep(response)
        return response
    }

    mutating func post(_ path: String, _ form: [String: String]) async throws -> TestResponse {
        var headers = cookieHeader
        headers[.contentType] = "application/x-www-form-urlencoded"
        let body = form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
        let response = try await fixture.client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
        keep(response)
        return response
    }

    /// Asks for a code for `address`; answers the challenge the portal redirected to (or the refusal).
    mutating func askCode(_ address: String) async throws -> (response: TestResponse, challenge: String?) {
        _ = try await get(base)
        let response = try await post("\(base)/code", ["_csrf": formToken, "address": address])
        let challenge = response.headers[.location]?.firstMatch(of: /c=([A-Za-z0-9_-]+)/).map { String($0.1) }
        return (response, challenge)
    }

    mutating func enter(_ code: String, challenge: String) async throws -> TestResponse {
        _ = try await get("\(base)/code?c=\(challenge)")
        return try await post("\(base)/verify", ["_csrf": formToken, "c": challenge, "code": code])
    }

    /// The whole sign-in, as the person does it: the code read from the message.
    mutating func signIn(_ recipient: OutboundMessage.Recipient, address: String, outbox: RecordingOutbox) async throws {
        let seen = outbox.messages(to: recipient).count
        let challenge = try #require(try await askCode(address).challenge)
        let response = try await enter(try await outbox.code(to: recipient, after: seen), challenge: challenge)
        #expect(response.status == .seeOther)
        #expect(response.headers[.location] == "\(base)/me")
    }

    var signedIn: Bool { cookies["gl_portal"].map { !$0.isEmpty } ?? false }

    /// The page's CSRF value, for a signed-in form.
    mutating func home() async throws -> (page: String, csrf: String) {
        let response = try await get("\(base)/me")
        let page = String(buffer: response.body)
        return (page, page.firstMatch(of: /name="_csrf" value="([^"]+)"/).map { String($0.1) } ?? "")
    }

    private var cookieHeader: HTTPFields {
        var headers = HTTPFields()
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        return headers
    }

    private mutating func keep(_ response: TestResponse) {
        for header in response.headers[values: .setCookie] {
            guard let match = header.firstMatch(of: /^([^=]+)=([^;]*)/) else { continue }
            cookies[String(match.1)] = String(match.2)
        }
        if let token = String(buffer: response.body).firstMatch(of: /name="_csrf" value="([^"]+)"/) { formToken = String(token.1) }
    }
}

@Suite("privacy portal")
struct PortalTests {
    /// The audit entries of `action` about the contact, once some are written (messages are
    /// sent, and their entries appended, after the answer); none after two seconds.
    static func eventually(_ fixture: ServerFixture, contact: String, action: String) async throws -> [AuditEntry] {
        let org = try await fixture.organization()
        for _ in 0..<100 {
            let entries = try await fixture.services.auditLog.entries(org: org, .init(contactID: ContactID(contact)!, action: action, limit: 10))
            if !entries.isEmpty { return entries }
            try await Task.sleep(for: .milliseconds(20))
        }
        return []
    }

    /// The SQLite data and audit files as they sit on disk, write-ahead logs included.
    static func rawDatabase(_ fixture: ServerFixture) -> Data {
        ["guardline.sqlite", "guardline.sqlite-wal", "guardline-audit.sqlite", "guardline-audit.sqlite-wal"].reduce(into: Data()) { all, name in
            all += (try? Data(contentsOf: URL(fileURLWithPath: "\(fixture.database.directory)/\(name)"))) ?? Data()
        }
    }

    static func person(_ fixture: ServerFixture, _ index: Int) -> (email: String, recipient: OutboundMessage.Recipient) {
        let email = fixture.people[index]["email"]!.lowercased()
        return (email, .email(email))
    }

    @Test("a code to the address on record opens the person's own page; the sign-in is audited as the person", arguments: TestDatabase.engines)
    func signInWithACode(engine: TestDatabase.Engine) async throws {
        let outbox = RecordingOutbox()
        try await ServerFixture.with(engine, outbox: outbox) { fixture in
            let (email, recipient) = Self.person(fixture, 1)
            var visitor = try await PortalVisitor(fixture)
            try await visitor.signIn(recipient, address: email.uppercased(), outbox: outbox)
            #expect(visitor.signedIn)
            let cookie = try #require(visitor.cookies["gl_portal"])
            let (page, _) = try await visitor.home()
            #expect(page.contains(fixture.people[1]["name"]!))
            #expect(page.contains(email))
            // Another person's page is not reachable with it: it opens the one person only.
            #expect(!page.contains(fixture.people[2]["name"]!))
            let id = try await RequestTests.contact(fixture, 1)
            let entries = try await fixture.services.auditLog.entries(org: visitor.org, .init(contactID: ContactID(id)!, limit: 500))
            let signIn = try #require(entries.first { $0.record.action == "portal.signin" })
            #expect(signIn.record.actorKind == .subject)
            #expect(signIn.record.actorID == id)
            #expect(entries.contains { $0.record.action == "portal.read" && $0.record.actorKind == .subject })
            // The database keeps the code and the cookie only as keyed hashes, and never the address.
            if engine == .sqlite {
                let raw = Self.rawDatabase(fixture)
                #expect(raw.range(of: Data(cookie.utf8)) == nil)
                #expect(raw.range(of: Data(email.utf8)) == nil)
            }
        }
    }

    @Test("an address nobody holds gets the same answer and no message; no code opens anything for it", arguments: TestDatabase.engines)
    func unknownAddress(engine: TestDatabase.Engine) async throws {
        let outbox = RecordingOutbox()
        try await ServerFixture.with(engine, outbox: outbox) { fixture in
            var visitor = try await PortalVisitor(fixture)
            let known = try await visitor.askCode(Self.person(fixture, 3).email)
            let unknown = try await visitor.askCode("nobody.here@example.com")
            #expect(known.response.status == unknown.response.status)
            #expect(unknown.response.status == .seeOther)
            #expect(unknown.challenge != nil)
            _ = try await outbox.next(to: Self.person(fixture, 3).recipient)
            try await Task.sleep(for: .milliseconds(200))
            #expect(outbox.messages(to: .email("nobody.here@example.com")).isEmpty)
            for guess in ["000000", "123456", "999999"] {
                let answer = try await visitor.enter(guess, challenge: try #require(unknown.challenge))
                #expect(answer.status == .badRequest)
                #expect(String(buffer: answer.body).contains("not right"))
            }
            #expect(!visitor.signedIn)
        }
    }

    @Test("three wrong codes spend a challenge: the right one no longer works; an expired code neither")
    func attemptsAndExpiry() async throws {
        let outbox = RecordingOutbox()
        let now = NIOLockedValueBox(Date())
        try await ServerFixture.with(clock: WallClock { now.withLockedValue { $0 } }, outbox: outbox) { fixture in
            let (email, recipient) = Self.person(fixture, 4)
            var visitor = try await PortalVisitor(fixture)
            let challenge = try #require(try await visitor.askCode(email).challenge)
            let code = try await outbox.code(to: recipient)
            let wrong = code == "000000" ? "111111" : "000000"
            for _ in 0..<3 { #expect(try await visitor.enter(wrong, challenge: challenge).status == .badRequest) }
            #expect(try await visitor.enter(code, challenge: challenge).status == .badRequest)
            #expect(!visitor.signedIn)

            let second = try #require(try await visitor.askCode(email).challenge)
            let fresh = try await outbox.code(to: recipient, after: 1)
            now.withLockedValue { $0 = $0.addingTimeInterval(OneTimeCode.lifetime + 1) }
            #expect(try await visitor.enter(fresh, challenge: second).status == .badRequest)
            #expect(!visitor.signedIn)
        }
    }

    @Test("codes to one address are rationed: the fourth within the window is refused with Retry-After, and sends nothing")
    func codesAreRationed() async throws {
        let outbox = RecordingOutbox()
        try await ServerFixture.with(outbox: outbox) { fixture in
            let (email, recipient) = Self.person(fixture, 5)
            var visitor = try await PortalVisitor(fixture)
            for _ in 0..<OneTimeCode.perAddress { #expect(try await visitor.askCode(email).response.status == .seeOther) }
            let refused = try await visitor.askCode(email)
            #expect(refused.response.status == .tooManyRequests)
            #expect(refused.response.headers[.retryAfter] != nil)
            // The same holds for an address nobody holds: the refusal says nothing about who exists.
            for _ in 0..<OneTimeCode.perAddress { _ = try await visitor.askCode("ghost@example.com") }
            #expect(try await visitor.askCode("ghost@example.com").response.status == .tooManyRequests)
            try await Task.sleep(for: .milliseconds(200))
            #expect(outbox.messages(to: recipient).count == OneTimeCode.perAddress)
        }
    }

    @Test("a form without the page's token, a malformed address, and a session of another organization are all refused")
    func formsAndTenants() async throws {
        let outbox = RecordingOutbox()
        try await ServerFixture.with(outbox: outbox) { fixture in
            let (email, recipient) = Self.person(fixture, 6)
            var visitor = try await PortalVisitor(fixture)
            _ = try await visitor.get(visitor.base)
            let forged = try await visitor.post("\(visitor.base)/code", ["_csrf": "forged", "address": email])
            #expect(forged.status == .badRequest)
            // A form another site posts, with the page's own token and cookie, is refused too (Sec-Fetch-Site).
            _ = try await visitor.get(visitor.base)
            var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", HTTPField.Name("Sec-Fetch-Site")!: "cross-site"]
            headers[.cookie] = visitor.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            let crossSite = try await fixture.client.execute(
                uri: "\(visitor.base)/code", method: .post, headers: headers,
                body: ByteBuffer(string: "_csrf=\(visitor.formToken)&address=\(email.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"))
            #expect(crossSite.status == .badRequest)
            #expect(try await visitor.askCode("not an address").response.status == .badRequest)
            try await Task.sleep(for: .milliseconds(100))
            #expect(outbox.messages(to: recipient).isEmpty)

            try await visitor.signIn(recipient, address: email, outbox: outbox)
            // A signed-in form without its CSRF value records nothing.
            let before = try await ConsentStore(fixture.services.data).events(contact: ContactID(try await RequestTests.contact(fixture, 6))!, org: visitor.org)
            let noToken = try await visitor.post("\(visitor.base)/consents", ["purpose": "outbound_marketing", "channel": "email", "decision": "granted"])
            #expect(noToken.headers[.location]?.contains("error=form") == true)
            let after = try await ConsentStore(fixture.services.data).events(contact: ContactID(try await RequestTests.contact(fixture, 6))!, org: visitor.org)
            #expect(before.count == after.count)

            // The session cookie means nothing on another organization's portal, or at an unknown one.
            let other = try await fixture.anotherOrganization()
            var elsewhere = try await PortalVisitor(fixture, org: other)
            elsewhere.cookies = visitor.cookies
            let page = try await elsewhere.get("/privacy/\(other)/me")
            #expect(page.status == .seeOther)
            #expect(page.headers[.location]?.hasSuffix("?ended=1") == true)
            #expect(try await elsewhere.get("/privacy/\(UUID())/me").status == .notFound)
        }
    }

    @Test("consent given and withdrawn on the portal, one button each way, recorded as the person's own with the notice shown",
          arguments: TestDatabase.engines)
    func consentBothWays(engine: TestDatabase.Engine) async throws {
        let outbox = RecordingOutbox()
        try await ServerFixture.with(engine, outbox: outbox) { fixture in
            let (email, recipient) = Self.person(fixture, 7)
            let id = ContactID(try await RequestTests.contact(fixture, 7))!
            var visitor = try await PortalVisitor(fixture)
            try await visitor.signIn(recipient, address: email, outbox: outbox)
            let first = try await visitor.home()
            var csrf = first.csrf
            let notice = try #require(first.page.firstMatch(of: /name="notice" value="([0-9a-f-]+)"/).map { String($0.1) })
            // A decision on a notice other than the one in force (it changed since the page was opened) is refused.
            let stale = try await visitor.post("\(visitor.base)/consents", [
                "_csrf": csrf, "purpose": "outbound_marketing", "channel": "email", "decision": "granted", "notice": UUID().uuidString])
            #expect(stale.status == .conflict)
            #expect(try await ConsentStore(fixture.services.data).events(contact: id, org: visitor.org).isEmpty)
            let granted = try await visitor.post("\(visitor.base)/consents", [
                "_csrf": csrf, "purpose": "outbound_marketing", "channel": "email", "decision": "granted", "notice": notice])
            #expect(granted.headers[.location]?.hasSuffix("done=consent") == true)
            let page = try await visitor.home()
            #expect(page.page.contains("Withdraw consent"))
            csrf = page.csrf
            _ = try await visitor.post("\(visitor.base)/consents", [
                "_csrf": csrf, "purpose": "outbound_marketing", "channel": "email", "decision": "withdrawn", "notice": notice])
            let events = try await ConsentStore(fixture.services.data).events(contact: id, org: visitor.org)
            #expect(events.map(\.decision) == [.granted, .withdrawn])
            #expect(events.allSatisfy { $0.source == .portal && $0.capturedBy == nil })
            let current = try await fixture.services.notices.current(.notice, purpose: nil, org: visitor.org)
            #expect(current.id.uuidString.lowercased() == notice)
            #expect(events.allSatisfy { $0.noticeHash == current.hash })
            // A purpose that does not rest on consent takes none.
            let basis = try await visitor.post("\(visitor.base)/consents", [
                "_csrf": csrf, "purpose": "billing", "channel": "email", "decision": "granted", "notice": notice])
            #expect(basis.status == .badRequest)
            #expect(try await ConsentStore(fixture.services.data).events(contact: id, org: visitor.org).count == 2)
        }
    }

    @Test("an access request from the portal: verified by its code, answered by the DPO, the person told in their language and downloading it; nobody else can",
          arguments: TestDatabase.engines)
    func accessEndToEnd(engine: TestDatabase.Engine) async throws {
        let outbox = RecordingOutbox()
        try await ServerFixture.with(engine, outbox: outbox) { fixture in
            let (email, recipient) = Self.person(fixture, 8)
            var visitor = try await PortalVisitor(fixture)
            _ = try await visitor.get("\(visitor.base)?lang=pt")
            try await visitor.signIn(recipient, address: email, outbox: outbox)
            let csrf = try await visitor.home().csrf
            let filed = try await visitor.post("\(visitor.base)/requests", ["_csrf": csrf, "kind": "access"])
            #expect(filed.headers[.location]?.hasSuffix("done=request") == true)
            let home = String(buffer: try await visitor.get(try #require(filed.headers[.location])).body)
            #expect(home.contains("Recebemos o seu pedido. Responderemos até"))

            let dpo = try await fixture.login("dpo@demo.test")
            let contact = try await RequestTests.contact(fixture, 8)
            let list = try await fixture.json(.get, "/api/v1/contacts/\(contact)/requests", token: dpo)
            let request = try #require((try JSONSerialization.jsonObject(with: Data(buffer: list.body)) as? [String: Any])?["items"] as? [[String: Any]]).first
            let id = try #require(request?["id"] as? String)
            #expect(request?["state"] as? String == "inProgress")
            #expect(request?["channel"] as? String == "portal")
            #expect(request?["verification"] as? String == "emailCode")

            // Not yet answered: nothing to download.
            #expect(try await visitor.get("\(visitor.base)/requests/\(id)/export").status == .conflict)
            let seen = outbox.messages(to: recipient).count
            #expect(try await fixture.json(.post, "/api/v1/requests/\(id)/fulfil", token: dpo).status == .ok)
            let told = try await outbox.next(to: recipient, after: seen)
            #expect(told.body.contains("Respondido"))

            let download = try await visitor.get("\(visitor.base)/requests/\(id)/export")
            #expect(download.status == .ok)
            #expect(download.headers[.contentType] == "application/zip")
            let entries = try SubjectExportTests.entries(Array(buffer: download.body))
            #expect(String(decoding: try #require(entries["data.json"]), as: UTF8.self).contains(email))
            let audit = try await fixture.services.auditLog.entries(org: visitor.org, .init(contactID: ContactID(contact)!, limit: 500))
            #expect(audit.contains { $0.record.action == "request.export" && $0.record.actorKind == .subject })

            // Another person signed in cannot fetch it, nor can someone with no session.
            let (otherEmail, otherRecipient) = Self.person(fixture, 9)
            var other = try await PortalVisitor(fixture)
            try await other.signIn(otherRecipient, address: otherEmail, outbox: outbox)
            #expect(try await other.get("\(other.base)/requests/\(id)/export").status == .notFound)
            var stranger = try await PortalVisitor(fixture)
            #expect(try await stranger.get("\(stranger.base)/requests/\(id)/export").status == .seeOther)
        }
    }

    @Test("an erasure from the portal waits for the team, then erases the person, ends their session and tells them it is done",
          arguments: TestDatabase.engines)
    func erasureFromThePortal(engine: TestDatabase.Engine) async throws {
        let outbox = RecordingOutbox()
        try await ServerFixture.with(engine, outbox: outbox) { fixture in
            let (email, recipient) = Self.person(fixture, 10)
            let contact = try await RequestTests.contact(fixture, 10)
            var visitor = try await PortalVisitor(fixture)
            try await visitor.signIn(recipient, address: email, outbox: outbox)
            let csrf = try await visitor.home().csrf
            _ = try await visitor.post("\(visitor.base)/requests", ["_csrf": csrf, "kind": "erasure"])
            let dpo = try await fixture.login("dpo@demo.test")
            let list = try await fixture.json(.get, "/api/v1/contacts/\(contact)/requests", token: dpo)
            let request = try #require((try JSONSerialization.jsonObject(with: Data(buffer: list.body)) as? [String: Any])?["items"] as? [[String: Any]]).first
            let id = try #require(request?["id"] as? String)
            #expect(request?["state"] as? String == "awaitingApproval")
            let seen = outbox.messages(to: recipient).count
            #expect(try await fixture.json(.post, "/api/v1/requests/\(id)/fulfil", token: dpo).status == .ok)
            #expect(try await outbox.next(to: recipient, after: seen).body.contains("Completed"))
            let page = try await visitor.get("\(visitor.base)/me")
            #expect(page.status == .seeOther)
            #expect(try await visitor.askCode(email).challenge != nil)
            try await Task.sleep(for: .milliseconds(200))
            #expect(outbox.messages(to: recipient).count == seen + 1)
        }
    }

    @Test("a correction from the portal is sealed and waits for approval; the team sees the values, the audit only the field names")
    func correctionFromThePortal() async throws {
        let outbox = RecordingOutbox()
        try await ServerFixture.with(outbox: outbox) { fixture in
            let (email, recipient) = Self.person(fixture, 11)
            let contact = try await RequestTests.contact(fixture, 11)
            var visitor = try await PortalVisitor(fixture)
            try await visitor.signIn(recipient, address: email, outbox: outbox)
            let csrf = try await visitor.home().csrf
            _ = try await visitor.post("\(visitor.base)/requests", ["_csrf": csrf, "kind": "rectification", "field": "name", "value": "Quintina Portalegre"])
            let dpo = try await fixture.login("dpo@demo.test")
            let list = try await fixture.json(.get, "/api/v1/contacts/\(contact)/requests", token: dpo)
            let id = try #require(((try JSONSerialization.jsonObject(with: Data(buffer: list.body)) as? [String: Any])?["items"] as? [[String: Any]])?.first?["id"] as? String)
            let shown = String(buffer: try await fixture.json(.get, "/api/v1/requests/\(id)", token: dpo).body)
            #expect(shown.contains("Quintina Portalegre"))
            #expect(Self.rawDatabase(fixture).range(of: Data("Quintina Portalegre".utf8)) == nil)
            let audit = try await fixture.services.auditLog.entries(org: visitor.org, .init(contactID: ContactID(contact)!, limit: 500))
            #expect(audit.allSatisfy { !($0.record.context ?? "").contains("Quintina") })
            #expect(try await fixture.json(.post, "/api/v1/requests/\(id)/fulfil", token: dpo).status == .ok)
            #expect(try await visitor.home().page.contains("Quintina Portalegre"))
        }
    }

    @Test("the DPO's extension is told to the person, with the new date")
    func extensionIsTold() async throws {
        let outbox = RecordingOutbox()
        try await ServerFixture.with(outbox: outbox) { fixture in
            let (email, recipient) = Self.person(fixture, 0)
            var visitor = try await PortalVisitor(fixture)
            try await visitor.signIn(recipient, address: email, outbox: outbox)
            _ = try await visitor.post("\(visitor.base)/requests", ["_csrf": try await visitor.home().csrf, "kind": "portability"])
            let dpo = try await fixture.login("dpo@demo.test")
            let contact = try await RequestTests.contact(fixture, 0)
            let list = try await fixture.json(.get, "/api/v1/contacts/\(contact)/requests", token: dpo)
            let id = try #require(((try JSONSerialization.jsonObject(with: Data(buffer: list.body)) as? [String: Any])?["items"] as? [[String: Any]])?.first?["id"] as? String)
            let seen = outbox.messages(to: recipient).count
            let extended = try await fixture.json(.post, "/api/v1/requests/\(id)/extend", token: dpo, body: #"{"months":2,"reason":"complexity"}"#)
            #expect(extended.status == .ok)
            let due = try #require((try JSONSerialization.jsonObject(with: Data(buffer: extended.body)) as? [String: Any])?["dueAt"] as? String)
            let told = try await outbox.next(to: recipient, after: seen)
            #expect(told.body.contains(String(due.prefix(10))))
            #expect(told.body.contains("Art. 12(3)"))
        }
    }

    @Test("what an outsider sends before any code: a header of semicolons, no relay configured, too many tries on one address")
    func outsiderEdges() async throws {
        let now = NIOLockedValueBox(Date())
        let outbox = RecordingOutbox()
        try await ServerFixture.with(clock: WallClock { now.withLockedValue { $0 } }, outbox: outbox) { fixture in
            let org = try await fixture.organization()
            for header in [";", "en,;", ";;,pt"] {
                let page = try await fixture.client.execute(uri: "/privacy/\(org)", method: .get, headers: [.acceptLanguage: header])
                #expect(page.status == .ok, "Accept-Language: \(header)")
            }
            // Ten tries a day on codes to one address, whatever the codes: the right one then opens nothing.
            let (email, recipient) = Self.person(fixture, 2)
            var visitor = try await PortalVisitor(fixture)
            var tries = 0
            for round in 0..<4 {
                if round == 3 { now.withLockedValue { $0 = $0.addingTimeInterval(OneTimeCode.window + 1) } }
                let challenge = try #require(try await visitor.askCode(email).challenge)
                let code = try await outbox.code(to: recipient, after: round)
                let wrong = code == "000000" ? "111111" : "000000"
                for _ in 0..<(round == 3 ? 1 : 3) {
                    #expect(try await visitor.enter(wrong, challenge: challenge).status == .badRequest)
                    tries += 1
                }
                if round == 3 {
                    #expect(tries == OneTimeCode.triesPerAddressPerDay)
                    #expect(try await visitor.enter(code, challenge: challenge).status == .badRequest)
                    #expect(!visitor.signedIn)
                }
            }
        }
        // Without a relay (and outside the demo) the portal sends nothing and says why, storing nothing.
        try await ServerFixture.with { fixture in
            var visitor = try await PortalVisitor(fixture)
            let refused = try await visitor.askCode(Self.person(fixture, 3).email)
            #expect(refused.response.status == .serviceUnavailable)
            #expect(refused.challenge == nil)
            #expect(!FileManager.default.fileExists(atPath: fixture.services.configuration.outboxFile))
        }
    }

    @Test("on the portal a person objects only to uses resting on legitimate interests; a consent they withdraw with its button")
    func objectionsFromThePortal() async throws {
        let outbox = RecordingOutbox()
        try await ServerFixture.with(outbox: outbox) { fixture in
            let (email, recipient) = Self.person(fixture, 6)
            var visitor = try await PortalVisitor(fixture)
            try await visitor.signIn(recipient, address: email, outbox: outbox)
            let csrf = try await visitor.home().csrf
            let refused = try await visitor.post("\(visitor.base)/requests", ["_csrf": csrf, "kind": "objection", "purpose": "outbound_marketing"])
            #expect(refused.status == .badRequest)
            let filed = try await visitor.post("\(visitor.base)/requests", ["_csrf": csrf, "kind": "objection", "purpose": "identity_verification"])
            #expect(filed.headers[.location]?.hasSuffix("done=request") == true)
            let contact = ContactID(try await RequestTests.contact(fixture, 6))!
            #expect(try await RequestStore(fixture.services.data).forContact(contact, org: visitor.org).map(\.purpose) == ["identity_verification"])
        }
    }

    @Test("a refusal tells the person why and where to complain, and that they were told is in the audit chain")
    func refusalIsExplained() async throws {
        let outbox = RecordingOutbox()
        try await ServerFixture.with(outbox: outbox) { fixture in
            let (email, recipient) = Self.person(fixture, 7)
            var visitor = try await PortalVisitor(fixture)
            try await visitor.signIn(recipient, address: email, outbox: outbox)
            _ = try await visitor.post("\(visitor.base)/requests", ["_csrf": try await visitor.home().csrf, "kind": "restriction"])
            let dpo = try await fixture.login("dpo@demo.test")
            let contact = try await RequestTests.contact(fixture, 7)
            let list = try await fixture.json(.get, "/api/v1/contacts/\(contact)/requests", token: dpo)
            let id = try #require(((list.object["items"] as? [[String: Any]])?.first)?["id"] as? String)
            let seen = outbox.messages(to: recipient).count
            #expect(try await fixture.json(.post, "/api/v1/requests/\(id)/reject", token: dpo, body: #"{"reason":"manifestlyUnfounded"}"#).status == .ok)
            let told = try await outbox.next(to: recipient, after: seen)
            #expect(told.body.contains("manifestly unfounded"))
            #expect(told.body.contains("data protection authority"))
            let noticed = try await Self.eventually(fixture, contact: contact, action: "request.notice")
            #expect(noticed.contains { $0.record.fields == ["email"] && !($0.record.context ?? "").contains("@") })
        }
    }

    @Test("an agent who changes a customer's email to their own gets no code at it for a week: no signing in as the customer")
    func changedAddressGetsNoCode() async throws {
        let outbox = RecordingOutbox()
        try await ServerFixture.with(outbox: outbox) { fixture in
            let person = fixture.people[9]
            let inbound = try await fixture.login("inbound@demo.test")
            let call = try await fixture.answeredCall(from: person["phone"]!, agent: "inbound@demo.test")
            let contact = try await RequestTests.contact(fixture, 9)
            let changed = try await fixture.json(.patch, "/api/v1/contacts/\(contact)?interactionId=\(call)", token: inbound,
                                                 body: #"{"fields":{"email":"mallory@example.com"}}"#)
            #expect(changed.status == .ok, "\(changed.text)")
            var visitor = try await PortalVisitor(fixture)
            let asked = try await visitor.askCode("mallory@example.com")
            #expect(asked.response.status == .seeOther)
            #expect(!(try await Self.eventually(fixture, contact: contact, action: "portal.code.withheld")).isEmpty)
            #expect(outbox.messages(to: .email("mallory@example.com")).isEmpty)

            // An integration resending a record as it was (the same email) changes no address: codes still go.
            let other = fixture.people[10]
            let otherID = try await RequestTests.contact(fixture, 10)
            let dpo = try await fixture.login("dpo@demo.test")
            #expect(try await fixture.json(.patch, "/api/v1/contacts/\(otherID)", token: dpo,
                                           body: #"{"fields":{"email":"\#(other["email"]!)","name":"\#(other["name"]!)"}}"#).status == .ok)
            _ = try await visitor.askCode(other["email"]!)
            _ = try await outbox.next(to: .email(other["email"]!.lowercased()))
        }
    }

    @Test("the development outbox writes whole messages to a file only its owner reads, and logs no address")
    func developmentOutbox() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("outbox-\(UUID()).log").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let outbox = DevelopmentOutbox(path: path)
        try await outbox.deliver(OutboundMessage(to: .email("ana@example.com"), subject: "Code", body: "Your code is 123456."))
        try await outbox.deliver(OutboundMessage(to: .phone("+351912345678"), subject: "Code", body: "Your code is 654321."))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("To: ana@example.com"))
        #expect(text.contains("123456") && text.contains("654321"))
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode & 0o077 == 0)
        #expect(OutboundMessage.Recipient.email("ana@example.com").masked == "a•••@example.com")
        // Sources: an IPv6 /64 is one; a mapped IPv4 address is itself; what does not parse counts as itself, without a trap.
        #expect(PrivacyPortal.sourceKey("2001:db8:1:2:aaaa::1") == PrivacyPortal.sourceKey("2001:db8:1:2:bbbb:cccc:dddd:eeee"))
        #expect(PrivacyPortal.sourceKey("2001:db8:1:2::1") != PrivacyPortal.sourceKey("2001:db8:1:3::1"))
        #expect(PrivacyPortal.sourceKey("::ffff:192.0.2.7") == "192.0.2.7")
        #expect(PrivacyPortal.sourceKey("1:2:3:4:5:6:7:8:9::") == "1:2:3:4:5:6:7:8:9::")
        #expect(PrivacyPortal.sourceKey("192.0.2.7") == "192.0.2.7")
        #expect(!OutboundMessage.Recipient.phone("+351912345678").masked.contains("912345"))
    }

    @Test("the SMTP URL is checked at start: scheme, sender, and no password over plain SMTP")
    func smtpSettings() throws {
        let relay = try SMTPOutbox(url: "smtps://mailer:s%40cret@mail.example.com?from=privacy@example.com&sms=sms.example.net")
        #expect(relay.tls && relay.port == 465 && relay.host == "mail.example.com" && relay.sendsTexts)
        #expect(relay.from == "privacy@example.com")
        #expect(throws: GuardlineError.self) { try SMTPOutbox(url: "smtp://mailer:secret@mail.example.com?from=privacy@example.com") }
        #expect(throws: GuardlineError.self) { try SMTPOutbox(url: "smtp://mail.example.com") }
        #expect(throws: GuardlineError.self) { try SMTPOutbox(url: "http://mail.example.com?from=a@b.c") }
        #expect(throws: GuardlineError.self) { try SMTPOutbox(url: "smtp://mail.example.com?from=a@b.c%0D%0ARCPT") }
        let text = SMTPOutbox.compose(OutboundMessage(to: .email("a@b.c"), subject: "Código\r\nBcc: x@y.z", body: "line\r\n.\r\nQUIT"),
                                      from: "p@example.com", to: "a@b.c", date: Date(timeIntervalSince1970: 0))
        #expect(!text.contains("Bcc: x@y.z"))
        #expect(!text.contains("\r\n.\r\n"))
    }
}
