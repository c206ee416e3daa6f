import Foundation
import GuardlineCore
import GuardlineCrypto
import GuardlineStore
import GuardlineTestSupport
import Testing

@testable import GuardlineServer

@Suite("Encryption at rest and erasure (Art17, Art32)") struct ErasureAndEncryptionTests {
    @Test("erasure destroys the subject key, so even a copy of the row stays unreadable")
    func cryptoShredding() async throws {
        try await ServerFixture.with { fixture in
            let person = fixture.people[5]
            let dpo = try await fixture.login("dpo@demo.test")
            let id = try #require(try await fixture.lookup(phone: person["phone"]!, as: dpo).first?["id"] as? String)
            let org = try await fixture.organization()
            let contactID = try #require(ContactID(id))
            // A "backup" of the sealed row, taken before erasure.
            let backup = try #require(try await ContactStore(fixture.services.data).find(contactID, org: org))
            let vault = SubjectKeyVault(fixture.services.keys)
            #expect(try await vault.wrapped(contact: contactID, org: org) != nil)

            let erased = try await fixture.json(.delete, "/api/v1/contacts/\(id)", token: dpo)
            #expect(erased.status == .noContent)
            try await fixture.json(.get, "/api/v1/contacts/\(id)", token: dpo).expectProblem(.notFound)
            #expect(try await fixture.lookup(phone: person["phone"]!, as: dpo).isEmpty)
            #expect(try await vault.wrapped(contact: contactID, org: org) == nil)
            // Without the key no ciphertext opens: every key tried fails authentication.
            let guess = FieldCipher(key: .generate(), org: org, contact: contactID)
            #expect(throws: CipherError.self) { try guess.open(backup.fields[.name]!, field: .name) }
            // Agents may not erase.
            let other = try #require(try await fixture.lookup(phone: fixture.people[6]["phone"]!, as: dpo).first?["id"] as? String)
            try await fixture.json(.delete, "/api/v1/contacts/\(other)", token: try await fixture.login("inbound@demo.test"))
                .expectProblem(.forbidden)
        }
    }

    @Test("the raw database files hold none of the contacts' names, phones, emails or addresses", arguments: TestDatabase.engines)
    func noPlaintextAtRest(engine: TestDatabase.Engine) async throws {
        try await ServerFixture.with(engine) { fixture in
            let dpo = try await fixture.login("dpo@demo.test")
            let updated = try #require(try await fixture.lookup(phone: fixture.people[0]["phone"]!, as: dpo).first?["id"] as? String)
            _ = try await fixture.json(.patch, "/api/v1/contacts/\(updated)", token: dpo, body: #"{"fields":{"address":"Rua Augusta 100, 1100-053 Lisboa"}}"#)
            let raw: Data
            switch engine {
            case .sqlite:
                // Checkpoint the WAL so the main files hold everything, then read every file.
                _ = try await fixture.services.data.sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").all()
                let files = try FileManager.default.contentsOfDirectory(atPath: fixture.database.directory)
                #expect(files.contains("guardline.sqlite") && files.contains("guardline-audit.sqlite"))
                #expect(files.contains("keys.sqlite") && files.contains("master.key"))
                raw = try files.reduce(into: Data()) { $0 += try Data(contentsOf: URL(fileURLWithPath: "\(fixture.database.directory)/\($1)")) }
            case .postgres:
                raw = try pgDump(try #require(fixture.database.databaseURL))
                #expect(raw.count > 10_000)
            }
            let text = String(decoding: raw, as: UTF8.self)
            var needles = fixture.people.flatMap { [$0["name"]!, $0["phone"]!, $0["email"]!, $0["address"]!] }
            needles += fixture.people.map { String($0["phone"]!.dropFirst()) } + ["Rua Augusta 100"]
            for needle in needles { #expect(!text.contains(needle), "found in clear at rest: \(needle.prefix(4))…") }
        }
    }

    private func pgDump(_ url: String) throws -> Data {
        let process = Process()
        let candidates = ["/usr/bin/pg_dump"] + (try FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")).map { "/usr/lib/postgresql/\($0)/bin/pg_dump" }
        process.executableURL = URL(fileURLWithPath: try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0) }))
        process.arguments = ["--dbname", url, "--no-owner"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return data
    }
}

@Suite("Subject key cache and erasure races") struct SubjectKeyCacheTests {
    @Test("a key fetched before an erasure cannot be put back into the cache after it")
    func noResurrection() {
        let cache = SubjectKeyCache(capacity: 10)
        let contact = ContactID.make()
        let key = SubjectKey.generate()
        cache.put(key, for: contact)
        #expect(cache.get(contact) != nil)
        cache.evict(contact)
        cache.put(key, for: contact)
        #expect(cache.get(contact) == nil)
    }
}

@Suite("A half-finished erasure") struct HalfErasedContactTests {
    @Test("a live contact whose key is already destroyed is left out of answers, which still serve the others")
    func keylessContact() async throws {
        try await ServerFixture.with { fixture in
            let dpo = try await fixture.login("dpo@demo.test")
            let person = fixture.people[0]
            let id = try #require(try await fixture.lookup(phone: person["phone"]!, as: dpo).first?["id"] as? String)
            let contact = try #require(ContactID(id))
            // The key is shredded, the tombstone never landed (a crash between the two steps).
            fixture.services.contacts.keyCache.evict(contact)
            #expect(try await SubjectKeyVault(fixture.services.keys).destroy(contact: contact, org: try await fixture.organization()))
            #expect(try await fixture.lookup(phone: person["phone"]!, as: dpo).isEmpty)
            let page = try await fixture.json(.get, "/api/v1/contacts?limit=200", token: dpo)
            let ids = (page.object["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(ids.count == fixture.people.count - 1)
            #expect(!ids.contains(id))
        }
    }
}
