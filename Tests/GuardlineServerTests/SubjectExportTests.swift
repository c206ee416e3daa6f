import Foundation
import GuardlineCore
import GuardlineTestSupport
import HTTPTypes
import HummingbirdTesting
import NIOConcurrencyHelpers
import NIOCore
import Testing

@testable import GuardlineServer

/// The answer to an access or portability request (Art. 15, 20): a ZIP with the data as
/// JSON and as a plain-language page, downloadable for a while by the data protection team.
@Suite("Subject export (Art15, Art20)") struct SubjectExportTests {
    /// The entries of a stored (uncompressed) ZIP, their CRC checked.
    static func entries(_ zip: [UInt8]) throws -> [String: [UInt8]] {
        func le(_ at: Int, _ n: Int) -> Int { (0..<n).reduce(0) { $0 | Int(zip[at + $1]) << (8 * $1) } }
        var entries: [String: [UInt8]] = [:]
        var at = 0
        while at + 30 <= zip.count, le(at, 4) == 0x0403_4b50 {
            let size = le(at + 18, 4), nameLength = le(at + 26, 2), extra = le(at + 28, 2)
            let name = String(decoding: zip[(at + 30)..<(at + 30 + nameLength)], as: UTF8.self)
            let start = at + 30 + nameLength + extra
            let bytes = Array(zip[start..<(start + size)])
            #expect(UInt32(le(at + 14, 4)) == CRC32.checksum(bytes), "CRC of \(name)")
            entries[name] = bytes
            at = start + size
        }
        #expect(le(zip.count - 22, 4) == 0x0605_4b50, "end of central directory")
        #expect(le(zip.count - 10, 4) + le(zip.count - 6, 4) == zip.count - 22, "the directory ends where its end record begins")
        return entries
    }

    @Test("an access request is answered with the person's data, conversations, consents and who opened their record", arguments: TestDatabase.engines)
    func access(engine: TestDatabase.Engine) async throws {
        let now = NIOLockedValueBox(Date())
        try await ServerFixture.with(engine, clock: WallClock { now.withLockedValue { $0 } }) { fixture in
            let person = fixture.people[4]
            let dpo = try await fixture.login("dpo@demo.test")
            let inbound = try await fixture.login("inbound@demo.test")
            let id = try #require(try await fixture.lookup(phone: person["phone"]!, as: dpo).first?["id"] as? String)
            let call = try await fixture.answeredCall(from: person["phone"]!, agent: "inbound@demo.test")
            #expect(try await fixture.json(.post, "/api/v1/contacts/\(id)/consents", token: inbound, body: """
                {"purpose":"outbound_marketing","channel":"phone","decision":"granted","interactionId":"\(call)"}
                """).status == .created)
            let logged = try await fixture.json(.post, "/api/v1/contacts/\(id)/interactions", token: dpo, body: """
                {"channel":"email","direction":"inbound","subject":"My bill","body":"<script>alert(1)</script> card 4111 1111 1111 1111, thanks"}
                """)
            #expect(logged.status == .created, "\(logged.text)")

            let filed = try await fixture.json(.post, "/api/v1/requests", token: dpo, body: #"{"kind":"access","contactId":"\#(id)","channel":"letter"}"#)
            let request = try #require(filed.object["id"] as? String)
            try await fixture.json(.get, "/api/v1/requests/\(request)/export", token: dpo).expectProblem(.conflict)
            #expect(try await fixture.json(.post, "/api/v1/requests/\(request)/verify", token: dpo, body: #"{"method":"identityDocument"}"#).status == .ok)
            let answered = try await fixture.json(.post, "/api/v1/requests/\(request)/fulfil", token: dpo)
            #expect(answered.object["state"] as? String == "completed", "\(answered.text)")

            // Agents do not download a person's whole record, nor does an integration's token.
            try await fixture.json(.get, "/api/v1/requests/\(request)/export", token: inbound).expectProblem(.forbidden)
            let minted = try await fixture.json(.post, "/api/v1/tokens", token: dpo, body: #"{"name":"dsr","scopes":["contacts.write"]}"#)
            let token = try #require(minted.object["token"] as? String, "\(minted.text)")
            try await fixture.json(.get, "/api/v1/requests/\(request)/export", token: token).expectProblem(.forbidden)
            let download = try await fixture.json(.get, "/api/v1/requests/\(request)/export", token: dpo)
            #expect(download.status == .ok)
            #expect(download.headers[.contentType] == "application/zip")
            #expect(download.headers[.contentDisposition]?.contains("attachment; filename=\"guardline-access-") == true, "\(download.headers)")
            let files = try Self.entries(Array(buffer: download.body))
            #expect(Set(files.keys) == ["data.json", "index.html"])

            let dataFile = try #require(files["data.json"])
            let json = try #require(try JSONSerialization.jsonObject(with: Data(dataFile)) as? [String: Any])
            #expect(json["format"] as? String == "guardline.subject-export/1")
            let fields = (json["fields"] as? [[String: Any]]) ?? []
            #expect(fields.contains { $0["key"] as? String == "name" && $0["value"] as? String == person["name"] })
            #expect(fields.contains { $0["key"] as? String == "phone" && $0["value"] as? String == person["phone"] })
            let purposes = (json["purposes"] as? [[String: Any]]) ?? []
            #expect(purposes.contains { $0["key"] as? String == "outbound_marketing" && ($0["lawfulBasis"] as? String)?.contains("Consent") == true })
            #expect(((json["consents"] as? [[String: Any]]) ?? []).contains { $0["purpose"] as? String == "outbound_marketing" && $0["decision"] as? String == "granted" })
            let conversations = (json["interactions"] as? [[String: Any]]) ?? []
            #expect(conversations.count == 2)
            let email = try #require(conversations.first { $0["channel"] as? String == "email" })
            let body = ((email["content"] as? [String: Any])?["body"] as? String) ?? ""
            #expect(body.contains("<script>") && !body.contains("4111 1111 1111 1111"), "as stored: redacted")
            let requests = (json["requests"] as? [[String: Any]]) ?? []
            #expect(requests.contains { $0["id"] as? String == request })
            // Who opened the record: by role and team, never by name.
            let accesses = (json["accessLog"] as? [[String: Any]]) ?? []
            #expect(accesses.count >= 4)
            #expect(accesses.contains { ($0["by"] as? String)?.hasPrefix("an agent") == true })
            #expect(accesses.contains { $0["by"] as? String == "the data protection team" })
            let staffNames = try await fixture.services.users.all(org: try await fixture.organization()).map(\.name)
            for name in staffNames { #expect(!accesses.contains { ($0["by"] as? String)?.contains(name) == true }) }
            #expect(!((json["sources"] as? [String]) ?? []).isEmpty)

            // The page says the same in plain words, escaped.
            let html = String(decoding: try #require(files["index.html"]), as: UTF8.self)
            #expect(html.contains("<html lang=\"en\">"))
            #expect(html.contains(person["name"]!.replacingOccurrences(of: "'", with: "&#39;")) || html.contains(person["name"]!))
            #expect(html.contains("&lt;script&gt;") && !html.contains("<script>"))
            #expect(html.contains("Who opened your record"))
            // Nothing boxed-nil or empty where a fact belongs.
            #expect(!html.contains("nil") && !html.contains("Since ,"))
            #expect(html.contains("The use of your data is not restricted."))
            #expect(!html.contains("your reference: )"))

            // Each download is recorded with the fields it held.
            let audit = try await fixture.json(.get, "/api/v1/audit?contactId=\(id)&action=request.export", token: dpo)
            let entry = try #require((audit.object["items"] as? [[String: Any]])?.first)
            #expect((entry["fields"] as? [String])?.contains("name") == true)
            #expect((entry["fields"] as? [String])?.contains("interactionContent") == true)

            // Only for a week; then the person asks again.
            now.withLockedValue { $0 = $0.addingTimeInterval(RequestDesk.downloadWindow + 60) }
            let later = try await fixture.login("dpo@demo.test")
            try await fixture.json(.get, "/api/v1/requests/\(request)/export", token: later).expectProblem(.gone)
        }
    }

    @Test("the package tells what Art. 15 asks beyond the data: recipients, transfers, automated decisions, the authority, stage and dates, campaigns, holds, rights, and the recordings' audio itself",
          arguments: TestDatabase.engines)
    func completeness(engine: TestDatabase.Engine) async throws {
        try await ServerFixture.with(engine) { fixture in
            let person = fixture.people[5]
            let admin = try await fixture.login("admin@demo.test")
            let dpo = try await fixture.login("dpo@demo.test")
            let facts = try await fixture.json(.put, "/api/v1/privacy-facts", token: admin, body: """
                {"recipients":["Our telephony provider (processor)"],"transfers":["United States: cloud hosting, standard contractual clauses"],
                 "authority":"Comissão Nacional de Proteção de Dados (CNPD), www.cnpd.pt"}
                """)
            #expect(facts.status == .ok, "\(facts.text)")
            // Agents cannot rewrite what people are told.
            let inbound = try await fixture.login("inbound@demo.test")
            try await fixture.json(.put, "/api/v1/privacy-facts", token: inbound, body: #"{"recipients":[],"transfers":[],"authority":"x"}"#)
                .expectProblem(.forbidden)
            try await fixture.json(.put, "/api/v1/privacy-facts", token: admin, body: #"{"recipients":[""],"transfers":[],"authority":"x"}"#)
                .expectProblem(.badRequest)

            let pbx = try await fixture.ctiToken()
            let call = try await fixture.answeredCall(from: person["phone"]!, agent: "inbound@demo.test", pbx: pbx)
            let contact = try #require(try await fixture.lookup(phone: person["phone"]!, as: dpo).first?["id"] as? String)
            #expect(try await fixture.json(.post, "/api/v1/contacts/\(contact)/consents", token: inbound, body: """
                {"purpose":"call_recording","channel":"phone","decision":"granted","interactionId":"\(call)"}
                """).status == .created)
            let uploaded = try await fixture.client.execute(
                uri: "/api/v1/interactions/\(call)/recording", method: .put,
                headers: [.authorization: "Bearer \(pbx)", .contentType: "audio/wav"], body: ByteBuffer(bytes: RecordingTests.audio))
            #expect(uploaded.status == .created, "\(uploaded.text)")
            #expect(try await fixture.json(.post, "/api/v1/contacts/\(contact)/holds", token: dpo, body: #"{"ground":"invoices","fields":["name"]}"#).status == .created)

            let filed = try await fixture.json(.post, "/api/v1/requests", token: dpo, body: #"{"kind":"access","contactId":"\#(contact)","channel":"letter"}"#)
            let request = try #require(filed.object["id"] as? String)
            _ = try await fixture.json(.post, "/api/v1/requests/\(request)/verify", token: dpo, body: #"{"method":"identityDocument"}"#)
            #expect(try await fixture.json(.post, "/api/v1/requests/\(request)/fulfil", token: dpo).status == .ok)
            let files = try Self.entries(Array(buffer: try await fixture.json(.get, "/api/v1/requests/\(request)/export", token: dpo).body))
            #expect(files["recordings/\(call).wav"] == RecordingTests.audio)
            let data = try #require(files["data.json"])
            let json = try #require(try JSONSerialization.jsonObject(with: Data(data)) as? [String: Any])
            let stated = try #require(json["facts"] as? [String: Any])
            #expect(stated["recipients"] as? [String] == ["Our telephony provider (processor)"])
            #expect((stated["authority"] as? String)?.contains("CNPD") == true)
            #expect(json["stage"] as? String != nil)
            #expect(json["recordSince"] as? String != nil)
            #expect(((json["holds"] as? [[String: Any]]) ?? []).contains { ($0["fields"] as? [String]) == ["name"] })
            #expect(((json["rights"] as? [String]) ?? []).count >= 6)
            let page = String(decoding: try #require(files["index.html"]), as: UTF8.self)
            #expect(page.contains("standard contractual clauses"))
            #expect(page.contains("No decision about you is taken by automated means alone"))
            #expect(page.contains("Its audio is in this package: recordings/\(call).wav"))
            #expect(page.contains("Invoices the law obliges us to keep"))
        }
    }

    @Test("no package for other kinds, unknown requests, another organization, or a person erased since")
    func refusals() async throws {
        try await ServerFixture.with { fixture in
            let dpo = try await fixture.login("dpo@demo.test")
            let id = try #require(try await fixture.lookup(phone: fixture.people[6]["phone"]!, as: dpo).first?["id"] as? String)
            let erasure = try #require(try await fixture.json(.post, "/api/v1/requests", token: dpo,
                                                              body: #"{"kind":"erasure","contactId":"\#(id)","channel":"email"}"#).object["id"] as? String)
            try await fixture.json(.get, "/api/v1/requests/\(erasure)/export", token: dpo).expectProblem(.badRequest)
            try await fixture.json(.get, "/api/v1/requests/\(UUID().uuidString)/export", token: dpo).expectProblem(.notFound)
            try await fixture.json(.get, "/api/v1/requests/\(erasure)/export").expectProblem(.unauthorized)

            let portability = try #require(try await fixture.json(.post, "/api/v1/requests", token: dpo,
                                                                  body: #"{"kind":"portability","contactId":"\#(id)","channel":"email"}"#).object["id"] as? String)
            #expect(try await fixture.json(.post, "/api/v1/requests/\(portability)/verify", token: dpo, body: #"{"method":"inPerson"}"#).status == .ok)
            #expect(try await fixture.json(.post, "/api/v1/requests/\(portability)/fulfil", token: dpo).status == .ok)
            #expect(try await fixture.json(.get, "/api/v1/requests/\(portability)/export", token: dpo).status == .ok)
            // Erased since (directly, once the open erasure request is withdrawn): nothing left to give.
            try await fixture.json(.delete, "/api/v1/contacts/\(id)", token: dpo).expectProblem(.conflict)
            #expect(try await fixture.json(.post, "/api/v1/requests/\(erasure)/cancel", token: dpo).status == .ok)
            #expect(try await fixture.json(.delete, "/api/v1/contacts/\(id)", token: dpo).status == .noContent)
            try await fixture.json(.get, "/api/v1/requests/\(portability)/export", token: dpo).expectProblem(.gone)
        }
    }

    @Test("a package holding special categories leaves only with someone whose profile opens them (Art. 9)")
    func specialCategories() async throws {
        try await ServerFixture.with { fixture in
            let services = fixture.services
            let org = try await fixture.organization()
            let base = try #require(try await services.profiles.all(org: org).first { $0.name == "Data Protection" })
            let wider = AccessProfile(
                id: .make(), orgID: org, name: "Data Protection (Art. 9)", fields: base.fields.merging([FieldKey("healthNotes"): .editable]) { $1 },
                capabilities: base.capabilities.union([.specialCategories]), createdAt: Date(), updatedAt: Date())
            try await services.profiles.create(wider)
            let art9 = try await fixture.staff("dpo9@demo.test", role: .dpo, profileID: wider.id)
            let dpo = try await fixture.login("dpo@demo.test")
            let id = try #require(try await fixture.lookup(phone: fixture.people[8]["phone"]!, as: dpo).first?["id"] as? String)
            let noted = try await fixture.json(.patch, "/api/v1/contacts/\(id)", token: art9, body: #"{"fields":{"healthNotes":"asthma, uses an inhaler"}}"#)
            #expect(noted.status == .ok, "\(noted.text)")

            let request = try #require(try await fixture.json(.post, "/api/v1/requests", token: dpo,
                                                              body: #"{"kind":"access","contactId":"\#(id)","channel":"email"}"#).object["id"] as? String)
            #expect(try await fixture.json(.post, "/api/v1/requests/\(request)/verify", token: dpo, body: #"{"method":"identityDocument"}"#).status == .ok)
            #expect(try await fixture.json(.post, "/api/v1/requests/\(request)/fulfil", token: dpo).status == .ok)
            try await fixture.json(.get, "/api/v1/requests/\(request)/export", token: dpo).expectProblem(.forbidden)
            let download = try await fixture.json(.get, "/api/v1/requests/\(request)/export", token: art9)
            #expect(download.status == .ok)
            let dataFile = try #require(try Self.entries(Array(buffer: download.body))["data.json"])
            let json = try #require(try JSONSerialization.jsonObject(with: Data(dataFile)) as? [String: Any])
            let health = ((json["fields"] as? [[String: Any]]) ?? []).first { $0["key"] as? String == "healthNotes" }
            #expect(health?["value"] as? String == "asthma, uses an inhaler")
            #expect(health?["specialCategory"] as? Bool == true)
        }
    }
}
