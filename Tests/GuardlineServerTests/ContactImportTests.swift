import Foundation
import GuardlineCore
import GuardlineStore
import GuardlineTestSupport
import SQLKit
import Testing

@testable import GuardlineServer

/// Contacts imported from CSV with their consent (Art. 7(1): the controller can show
/// that the person consented): a bad row stores nothing unless only the valid rows are
/// asked for, and every consent names the file's hash and its line as evidence.
@Suite("Contact import from CSV (Art7_1)") struct ContactImportTests {
    static let file = """
        name,phone,email,stage,consent:outbound_marketing:phone,consent:call_recording:phone
        Ana Importada,+351 961 000 001,ana.importada@example.com,customer,granted,refused
        "Silva, Bruno",+351961000002,,prospect,refused,
        Carla,12345,,customer,granted,
        Duarte,+351961000004,,lead,granted,
        Eva,+351961000001,,customer,,

        """

    func principal(_ fixture: ServerFixture, _ email: String) async throws -> Principal {
        let org = try await fixture.organization()
        let user = try #require(try await fixture.services.users.all(org: org).first { $0.email == email })
        return try await fixture.services.authenticator.operatorPrincipal(for: user)
    }

    func count(_ fixture: ServerFixture, _ table: String) async throws -> Int {
        try await fixture.services.data.sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?.decode(column: "n", as: Int.self) ?? -1
    }

    @Test("a file with bad rows stores nothing; with valid-only, the good rows and their consent with the file's hash", arguments: TestDatabase.engines)
    func allOrNothing(engine: TestDatabase.Engine) async throws {
        try await ServerFixture.with(engine) { fixture in
            let dpo = try await principal(fixture, "dpo@demo.test")
            let contactsBefore = try await fixture.contactCount()
            let refused = try await fixture.services.imports.run(Data(Self.file.utf8), validOnly: false, by: dpo)
            #expect(refused.rows == 5)
            #expect(refused.imported == 0)
            #expect(refused.problems.map(\.line) == [4, 5, 6])
            #expect(refused.problems[0].reason.contains("phone"))
            #expect(refused.problems[1].reason.contains("outbound_marketing"), "a lead is not asked about marketing")
            #expect(refused.problems[2].reason.contains("line 2"), "the same number twice")
            #expect(!refused.problemsCSV.contains("12345") && !refused.problemsCSV.contains("961"), "the report names lines, not values")
            #expect(try await fixture.contactCount() == contactsBefore)
            #expect(try await count(fixture, "consent_event") == 0)

            let imported = try await fixture.services.imports.run(Data(Self.file.utf8), validOnly: true, by: dpo)
            #expect(imported.imported == 2)
            #expect(imported.fileHash == refused.fileHash)
            #expect(try await fixture.contactCount() == contactsBefore + 2)
            let inbound = try await fixture.login("inbound@demo.test")
            let found = try await fixture.lookup(phone: "+351961000001", as: inbound, inCall: true)
            let id = try #require(found.first?["id"] as? String)
            #expect((found.first?["fields"] as? [String: Any])?["name"] as? String == "Ana Importada")
            let history = try await fixture.json(.get, "/api/v1/contacts/\(id)/consents", token: inbound).object["history"] as? [[String: Any]] ?? []
            #expect(Set(history.compactMap { $0["decision"] as? String }) == ["granted", "refused"])
            for event in history {
                #expect(event["source"] as? String == "import")
                #expect(event["evidence"] as? String == "import \(imported.fileHash) line 2")
            }
            let bruno = try await fixture.lookup(phone: "+351961000002", as: inbound, inCall: true)
            #expect((bruno.first?["fields"] as? [String: Any])?["name"] as? String == "Silva, Bruno")

            // The same file again makes nobody twice: a second record would escape the first one's withdrawals.
            let again = try await fixture.services.imports.run(Data(Self.file.utf8), validOnly: true, by: dpo)
            #expect(again.imported == 0)
            #expect(again.problems.filter { $0.reason.hasPrefix("Already a contact") }.map(\.line) == [2, 3])
            #expect(try await fixture.contactCount() == contactsBefore + 2)

            let dpoToken = try await fixture.login("dpo@demo.test")
            let audit = try await fixture.json(.get, "/api/v1/audit?limit=100", token: dpoToken).object["items"] as? [[String: Any]] ?? []
            let imports = audit.filter { $0["action"] as? String == "contact.import" }.compactMap { $0["context"] as? String }
            #expect(imports.count == 3)
            #expect(imports.contains { $0.hasSuffix("problems 3 refused") })
            // Finding people already held is a lookup by their number: each one found is recorded by id.
            let matches = audit.filter { $0["action"] as? String == "contact.import.match" }
            #expect(Set(matches.compactMap { $0["contactId"] as? String }).count == 2)
            #expect(matches.allSatisfy { ($0["context"] as? String)?.contains(again.fileHash) == true })
            #expect(!audit.map { "\($0)" }.joined().contains("961000001"), "no number in the audit trail")
        }
    }

    @Test("a header that names no known column, a consent column for a contract purpose, or an importer who may not create is refused")
    func refusals() async throws {
        try await ServerFixture.with { fixture in
            let dpo = try await principal(fixture, "dpo@demo.test")
            for header in ["name,phone,favouriteColour", "name,consent:customer_support:phone", "name,consent:call_recording:email", "name,name", ""] {
                await #expect(throws: GuardlineError.self, "\(header)") {
                    try await fixture.services.imports.run(Data("\(header)\nAna,x\n".utf8), validOnly: true, by: dpo)
                }
            }
            await #expect(throws: GuardlineError.self) {
                try await fixture.services.imports.run(Data("name,phone\n\"Ana,+351961000009\n".utf8), validOnly: true, by: dpo)
            }
            let supervisor = try await principal(fixture, "supervisor@demo.test")
            let denied = await #expect(throws: GuardlineError.self) {
                try await fixture.services.imports.run(Data("name\nAna\n".utf8), validOnly: true, by: supervisor)
            }
            #expect(denied?.code == .forbidden)
            // The inbound agent creates contacts one at a time; a bulk import is the DPO's unless a profile grants it.
            let agent = try await principal(fixture, "inbound@demo.test")
            let bulk = await #expect(throws: GuardlineError.self) {
                try await fixture.services.imports.run(Data("name\nAna\n".utf8), validOnly: true, by: agent)
            }
            #expect(bulk?.code == .forbidden)
            #expect(bulk?.message.contains("import contacts in bulk") == true)
            var profile = try #require(try await fixture.services.profiles.all(org: try await fixture.organization()).first { $0.name == "Inbound Support" })
            profile.capabilities.insert(.importContacts)
            try await fixture.services.profiles.replace(profile)
            fixture.services.profileCache.invalidate(profile.id, org: profile.orgID)
            // Granted the import, they still may not write the birth date (masked to them): that row is refused.
            let inbound = try await principal(fixture, "inbound@demo.test")
            let report = try await fixture.services.imports.run(
                Data("name,birthDate,stage\nAna,1980-01-02,customer\nRui,,customer\n".utf8), validOnly: true, by: inbound)
            #expect(report.imported == 1)
            #expect(report.problems.map(\.line) == [2])
            #expect(try await count(fixture, "consent_event") == 0)
        }
    }
}
