import Foundation
import GuardlineCore
import GuardlineStore
import GuardlineTestSupport
import Logging
import SQLKit
import Testing

@testable import GuardlineServer

@Suite("Audit trail (Art5_2, Art30, Art32)") struct AuditTrailTests {
    @Test("a lookup is recorded with who, which fields and the context, never the values")
    func lookupRecorded() async throws {
        try await ServerFixture.with { fixture in
            let person = fixture.people[4]
            let inbound = try await fixture.login("inbound@demo.test")
            let id = try #require(try await fixture.lookup(phone: person["phone"]!, as: inbound, inCall: true).first?["id"] as? String)
            let dpo = try await fixture.login("dpo@demo.test")
            let me = try await fixture.json(.get, "/api/v1/auth/me", token: inbound)
            let inboundID = try #require((me.object["user"] as? [String: Any])?["id"] as? String)
            let audit = try await fixture.json(.get, "/api/v1/audit?contactId=\(id)&action=contact.lookup", token: dpo)
            let entry = try #require((audit.object["items"] as? [[String: Any]])?.first)
            #expect(entry["actorId"] as? String == inboundID)
            #expect(entry["actorKind"] as? String == "user")
            #expect((entry["fields"] as? [String])?.contains("address") == true)
            #expect((entry["fields"] as? [String])?.contains("birthDate:masked") == true)
            #expect((entry["context"] as? String)?.hasPrefix("api lookup by phone; interaction ") == true)
            let everything = try await fixture.json(.get, "/api/v1/audit?limit=200", token: dpo).text
            for value in person.values where value.count > 3 { #expect(!everything.contains(value), "audit holds a value") }
            // Agents do not read the audit log.
            try await fixture.json(.get, "/api/v1/audit", token: inbound).expectProblem(.forbidden)
        }
    }

    @Test("verification passes, then names the first altered entry")
    func verifyAndTamper() async throws {
        try await ServerFixture.with { fixture in
            let dpo = try await fixture.login("dpo@demo.test")
            let intact = try await fixture.json(.get, "/api/v1/audit/verify", token: dpo)
            #expect(intact.object["intact"] as? Bool == true)
            let checked = try #require(intact.object["checked"] as? Int)
            #expect(checked > 12)
            #expect(intact.object["lastCheckpointSeq"] as? Int == (checked >= 25 ? 25 * (checked / 25) : nil))
            let org = try await fixture.organization()
            try await fixture.services.data.sql.raw("""
                UPDATE audit_event SET context = 'nothing to see' WHERE org_id = \(bind: org.description) AND seq = 7
                """).run()
            // The page's verification goes on from where it last stopped; a full walk finds the old entry altered.
            let broken = try await fixture.json(.get, "/api/v1/audit/verify?full=true", token: dpo)
            #expect(broken.object["intact"] as? Bool == false)
            #expect(broken.object["firstBadSeq"] as? Int == 7)
        }
    }

    @Test("sign-ins, failed sign-ins and profile changes are recorded")
    func administrativeEvents() async throws {
        try await ServerFixture.with { fixture in
            try await fixture.json(.post, "/api/v1/auth/login", body: #"{"email":"inbound@demo.test","password":"wrong-password"}"#)
                .expectProblem(.unauthorized)
            let admin = try await fixture.login("admin@demo.test")
            let profiles = try await fixture.json(.get, "/api/v1/access-profiles", token: admin)
            let outbound = try #require((profiles.object["items"] as? [[String: Any]])?.first { $0["name"] as? String == "Outbound Sales" })
            let id = try #require(outbound["id"] as? String)
            let replaced = try await fixture.json(.put, "/api/v1/access-profiles/\(id)", token: admin, body: """
                {"name":"Outbound Sales","fields":{"phone":{"access":"visible"},"name":{"access":"masked","mask":"initials"}},"capabilities":[]}
                """)
            #expect(replaced.status == .ok)
            let dpo = try await fixture.login("dpo@demo.test")
            let actions = try await fixture.json(.get, "/api/v1/audit?limit=200", token: dpo).object["items"] as? [[String: Any]] ?? []
            let names = Set(actions.compactMap { $0["action"] as? String })
            #expect(names.isSuperset(of: ["auth.login", "auth.login_failed", "profile.update", "contact.create"]))
            let change = try #require(actions.first { $0["action"] as? String == "profile.update" })
            #expect((change["context"] as? String)?.contains("name=masked") == true)
        }
    }

    @Test("the audit must be written for the data to leave: a failing audit store refuses the read")
    func failClosed() async throws {
        try await ServerFixture.with { fixture in
            let inbound = try await fixture.login("inbound@demo.test")
            try await fixture.services.data.sql.raw("DROP TABLE audit_head").run()
            let response = try await fixture.json(.get, "/api/v1/contacts/lookup?phone=\(fixture.people[0]["phone"]!.replacingOccurrences(of: "+", with: "%2B"))", token: inbound)
            response.expectProblem(.serviceUnavailable)
            #expect(!response.text.contains(fixture.people[0]["name"]!))
        }
    }

    @Test("a change that fails leaves no entry claiming it: on PostgreSQL none (one transaction), on SQLite a .failed entry after it",
          arguments: TestDatabase.engines)
    func failedChangeClaimsNothing(engine: TestDatabase.Engine) async throws {
        try await ServerFixture.with(engine) { fixture in
            let dpo = try await fixture.login("dpo@demo.test")
            let id = try #require(try await fixture.lookup(phone: fixture.people[1]["phone"]!, as: dpo).first?["id"] as? String)
            // A fault in the data store. On PostgreSQL it strikes at COMMIT, after the audit
            // entry is linked in the same transaction; on SQLite the entry is already written.
            let db = fixture.services.data.sql
            switch engine {
            case .postgres:
                try await db.raw("CREATE FUNCTION injected_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected'; END $$").run()
                try await db.raw("""
                    CREATE CONSTRAINT TRIGGER injected_fault AFTER UPDATE ON contact DEFERRABLE INITIALLY DEFERRED
                    FOR EACH ROW EXECUTE FUNCTION injected_fault()
                    """).run()
            case .sqlite:
                try await db.raw("CREATE TRIGGER injected_fault BEFORE UPDATE ON contact BEGIN SELECT RAISE(ABORT, 'injected'); END").run()
            }
            let refused = try await fixture.json(.patch, "/api/v1/contacts/\(id)", token: dpo, body: #"{"fields":{"address":"Rua do Ouro 1, 1100-060 Lisboa"}}"#)
            #expect(refused.status.code >= 500, "\(refused.text) \(id)")
            let entries = try await fixture.json(.get, "/api/v1/audit?contactId=\(id)&limit=50", token: dpo).object["items"] as? [[String: Any]] ?? []
            let actions = entries.compactMap { $0["action"] as? String }.filter { $0.hasPrefix("contact.update") }
            switch engine {
            case .postgres: #expect(actions.isEmpty)
            case .sqlite: #expect(actions == ["contact.update.failed", "contact.update"])
            }
            #expect(try await fixture.json(.get, "/api/v1/audit/verify?full=true", token: dpo).object["intact"] as? Bool == true)
        }
    }

    @Test("an audit store that cannot write refuses the change and leaves the contact as it was", arguments: TestDatabase.engines)
    func unwritableAuditRefusesChange(engine: TestDatabase.Engine) async throws {
        try await ServerFixture.with(engine) { fixture in
            let dpo = try await fixture.login("dpo@demo.test")
            let person = fixture.people[2]
            let id = try #require(try await fixture.lookup(phone: person["phone"]!, as: dpo).first?["id"] as? String)
            let db = fixture.services.data.sql
            switch engine {
            case .postgres: try await db.raw("ALTER TABLE audit_event ADD CONSTRAINT injected_fault CHECK (seq < 0) NOT VALID").run()
            case .sqlite: try await db.raw("CREATE TRIGGER audit.injected_fault BEFORE INSERT ON audit_event BEGIN SELECT RAISE(ABORT, 'injected'); END").run()
            }
            try await fixture.json(.patch, "/api/v1/contacts/\(id)", token: dpo, body: #"{"fields":{"name":"Changed Unrecorded"}}"#)
                .expectProblem(.serviceUnavailable)
            switch engine {
            case .postgres: try await db.raw("ALTER TABLE audit_event DROP CONSTRAINT injected_fault").run()
            case .sqlite: try await db.raw("DROP TRIGGER audit.injected_fault").run()
            }
            let contact = try await fixture.json(.get, "/api/v1/contacts/\(id)", token: dpo)
            #expect((contact.object["fields"] as? [String: Any])?["name"] as? String == person["name"])
        }
    }

    @Test("an erasure the audit cannot record erases nothing: the contact and its key stay", arguments: TestDatabase.engines)
    func unwritableAuditRefusesErasure(engine: TestDatabase.Engine) async throws {
        try await ServerFixture.with(engine) { fixture in
            let dpo = try await fixture.login("dpo@demo.test")
            let person = fixture.people[3]
            let id = try #require(try await fixture.lookup(phone: person["phone"]!, as: dpo).first?["id"] as? String)
            let db = fixture.services.data.sql
            switch engine {
            case .postgres: try await db.raw("ALTER TABLE audit_event ADD CONSTRAINT injected_fault CHECK (seq < 0) NOT VALID").run()
            case .sqlite: try await db.raw("CREATE TRIGGER audit.injected_fault BEFORE INSERT ON audit_event BEGIN SELECT RAISE(ABORT, 'injected'); END").run()
            }
            try await fixture.json(.delete, "/api/v1/contacts/\(id)", token: dpo).expectProblem(.serviceUnavailable)
            switch engine {
            case .postgres: try await db.raw("ALTER TABLE audit_event DROP CONSTRAINT injected_fault").run()
            case .sqlite: try await db.raw("DROP TRIGGER audit.injected_fault").run()
            }
            let contact = try await fixture.json(.get, "/api/v1/contacts/\(id)", token: dpo)
            #expect((contact.object["fields"] as? [String: Any])?["name"] as? String == person["name"])
        }
    }

    @Test("a key the key store would not destroy is destroyed by erasing again; the contact is gone from answers meanwhile",
          arguments: TestDatabase.engines)
    func erasureFinishesShredding(engine: TestDatabase.Engine) async throws {
        try await ServerFixture.with(engine) { fixture in
            let dpo = try await fixture.login("dpo@demo.test")
            let person = fixture.people[5]
            let id = try #require(try await fixture.lookup(phone: person["phone"]!, as: dpo).first?["id"] as? String)
            let contact = try #require(ContactID(id))
            let keys = fixture.services.keys.sql
            switch engine {
            case .postgres:
                try await keys.raw("CREATE FUNCTION guardline_keys.injected_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected'; END $$").run()
                try await keys.raw("""
                    CREATE TRIGGER injected_fault BEFORE DELETE ON guardline_keys.subject_key
                    FOR EACH ROW EXECUTE FUNCTION guardline_keys.injected_fault()
                    """).run()
            case .sqlite:
                try await keys.raw("CREATE TRIGGER injected_fault BEFORE DELETE ON subject_key BEGIN SELECT RAISE(ABORT, 'injected'); END").run()
            }
            let first = try await fixture.json(.delete, "/api/v1/contacts/\(id)", token: dpo)
            #expect(first.expectProblem(.serviceUnavailable).contains("erase it again"))
            try await fixture.json(.get, "/api/v1/contacts/\(id)", token: dpo).expectProblem(.notFound)
            let org = try await fixture.organization()
            #expect(try await SubjectKeyVault(fixture.services.keys).wrapped(contact: contact, org: org) != nil)
            try await keys.raw(engine == .postgres ? "DROP TRIGGER injected_fault ON guardline_keys.subject_key" : "DROP TRIGGER injected_fault").run()
            #expect(try await fixture.json(.delete, "/api/v1/contacts/\(id)", token: dpo).status == .noContent)
            #expect(try await SubjectKeyVault(fixture.services.keys).wrapped(contact: contact, org: org) == nil)
            try await fixture.json(.delete, "/api/v1/contacts/\(id)", token: dpo).expectProblem(.notFound)
            let entries = try await fixture.json(.get, "/api/v1/audit?contactId=\(id)&limit=50", token: dpo).object["items"] as? [[String: Any]] ?? []
            // The first erasure stopped before its receipt; the second finished the shredding and wrote it.
            #expect(entries.compactMap { $0["action"] as? String }.filter { $0.hasPrefix("contact.erase") }
                == ["contact.erase.receipt", "contact.erase.key", "contact.erase"])
            let receipt = entries.first { $0["action"] as? String == "contact.erase.receipt" }?["context"] as? String
            #expect(receipt?.contains("resumed=1 key=destroyed sig=") == true)
        }
    }

    @Test("a data directory whose audit trail file is gone does not start on a new, empty chain")
    func missingAuditTrailFile() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let configuration = ServerConfiguration(dataDirectory: database.directory, databaseURL: nil, passwordCost: 4)
            let services = try await GuardlineServices.open(configuration, logger: Logger(label: "test"))
            try await DemoSeeder(services).seed(password: "a long test password", contacts: 2, logger: Logger(label: "test"))
            try await services.shutdown()

            let trail = "\(database.directory)/guardline-audit.sqlite"
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: trail + suffix) }
            await #expect {
                try await GuardlineServices.open(configuration, logger: Logger(label: "test"))
            } throws: { error in
                let refusal = error as? GuardlineError
                return refusal?.code == .unavailable && refusal?.message.contains("guardline-audit.sqlite") == true
            }
        }
    }
}
