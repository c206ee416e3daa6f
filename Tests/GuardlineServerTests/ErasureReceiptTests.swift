import Foundation
import GuardlineCore
import GuardlineCrypto
import GuardlineStore
import GuardlineTestSupport
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import GuardlineServer

/// Erasure as a request answers it (Art. 17): everything held about the person goes, the
/// key first of all, a signed receipt says what, and a backup taken before it stays dark.
@Suite("Erasure, completely (Art17)") struct ErasureReceiptTests {
    static func erase(_ fixture: ServerFixture, _ contact: String, _ dpo: String) async throws {
        let filed = try await fixture.json(.post, "/api/v1/requests", token: dpo, body: #"{"kind":"erasure","contactId":"\#(contact)","channel":"email"}"#)
        let request = try #require(filed.object["id"] as? String)
        #expect(try await fixture.json(.post, "/api/v1/requests/\(request)/verify", token: dpo, body: #"{"method":"identityDocument"}"#).status == .ok)
        // Whoever verified does not approve an erasure, nor erase the person directly meanwhile.
        try await fixture.json(.post, "/api/v1/requests/\(request)/fulfil", token: dpo).expectProblem(.forbidden)
        try await fixture.json(.delete, "/api/v1/contacts/\(contact)", token: dpo).expectProblem(.conflict)
        let done = try await fixture.json(.post, "/api/v1/requests/\(request)/fulfil", token: try await RequestTests.secondDPO(fixture))
        #expect(done.object["state"] as? String == "completed", "\(done.text)")
    }

    @Test("the person's interactions, recordings, consents and objections go; their number stays suppressed; a signed receipt lists it",
          arguments: TestDatabase.engines)
    func everythingGoes(engine: TestDatabase.Engine) async throws {
        try await ServerFixture.with(engine) { fixture in
            let person = fixture.people[3]
            let dpo = try await fixture.login("dpo@demo.test")
            let supervisor = try await fixture.login("supervisor@demo.test")
            let id = try #require(try await fixture.lookup(phone: person["phone"]!, as: dpo).first?["id"] as? String)
            let pbx = try await fixture.ctiToken()
            let call = try await fixture.answeredCall(from: person["phone"]!, agent: "inbound@demo.test", pbx: pbx)
            let inbound = try await fixture.login("inbound@demo.test")
            #expect(try await fixture.json(.post, "/api/v1/contacts/\(id)/consents", token: inbound, body: """
                {"purpose":"call_recording","channel":"phone","decision":"granted","interactionId":"\(call)"}
                """).status == .created)
            let stored = try await fixture.client.execute(
                uri: "/api/v1/interactions/\(call)/recording", method: .put,
                headers: [.authorization: "Bearer \(pbx)", .contentType: "audio/wav"], body: ByteBuffer(bytes: RecordingTests.audio))
            #expect(stored.status == .created, "\(stored.text)")
            #expect(try await fixture.json(.post, "/api/v1/contacts/\(id)/objections", token: dpo, body: #"{"purpose":"outbound_marketing"}"#).status == .ok)
            let suppressedBefore = try await fixture.json(.get, "/api/v1/suppressions", token: supervisor).object["phone"] as? Int ?? 0
            let files = RecordingTests().recordingFiles(fixture)
            #expect(files.count == 1)

            try await Self.erase(fixture, id, dpo)

            // Rows: none left about the person but the tombstone and their requests.
            let org = try await fixture.organization()
            let contact = try #require(ContactID(id))
            let data = fixture.services.data
            #expect(try await InteractionStore(data).forContact(contact, org: org, limit: 10).isEmpty)
            #expect(try await RecordingStore(data).find(interaction: try #require(InteractionID(call)), org: org) == nil)
            #expect(try await ConsentStore(data).events(contact: contact, org: org).isEmpty)
            #expect(try await RequestStore(data).forContact(contact, org: org).count == 1)
            #expect(RecordingTests().recordingFiles(fixture).isEmpty)
            for file in files { #expect(!FileManager.default.fileExists(atPath: file)) }
            try await fixture.json(.get, "/api/v1/interactions/\(call)", token: dpo).expectProblem(.notFound)
            // They objected: their number stays on the suppression list, as their own entry.
            #expect(try await fixture.json(.get, "/api/v1/suppressions", token: supervisor).object["phone"] as? Int == suppressedBefore + 1)

            // The receipt: what was removed, signed with the audit signing key, naming no one.
            let audit = try await fixture.json(.get, "/api/v1/audit?contactId=\(id)&action=contact.erase.receipt", token: dpo)
            let context = try #require((audit.object["items"] as? [[String: Any]])?.first?["context"] as? String)
            #expect(context.hasPrefix("guardline-erasure-receipt/1 org=\(org) contact=\(id) "))
            for part in ["interactions=1", "recordings=1", "consentEvents=1", "objections=1", "keptSuppressed=", "recordingFilesLeft=0", "key=destroyed"] {
                #expect(context.contains(part), "\(context)")
            }
            let fieldCount = try #require(context.firstMatch(of: /fields=(\d+)/).flatMap { Int($0.1) })
            #expect(fieldCount >= 4)
            let text = try #require(context.components(separatedBy: " sig=").first)
            let signature = try #require(context.components(separatedBy: " sig=").last)
            let bytes = stride(from: 0, to: signature.count, by: 2).compactMap { i -> UInt8? in
                let start = signature.index(signature.startIndex, offsetBy: i)
                return UInt8(signature[start..<signature.index(start, offsetBy: 2)], radix: 16)
            }
            #expect(fixture.services.ring.checkpointSigner.verify(bytes, receipt: text))
            #expect(!fixture.services.ring.checkpointSigner.verify(bytes, receipt: text.replacingOccurrences(of: "interactions=1", with: "interactions=0")))
            for field in ["name", "phone", "email", "address"] { #expect(!context.contains(person[field]!)) }
        }
    }

    @Test("a backup taken before an erasure cannot be read with the keys that remain, and restoring it does not bring the person back")
    func backupStaysDark() async throws {
        try await ServerFixture.with { fixture in
            let person = fixture.people[5]
            let dpo = try await fixture.login("dpo@demo.test")
            var ids: [ContactID] = []
            for other in fixture.people {
                if let raw = try await fixture.lookup(phone: other["phone"]!, as: dpo).first?["id"] as? String, let id = ContactID(raw) { ids.append(id) }
            }
            let id = try #require(try await fixture.lookup(phone: person["phone"]!, as: dpo).first?["id"] as? String)
            let contact = try #require(ContactID(id))
            let org = try await fixture.organization()

            // The "backup": every file of the data directory, the write-ahead logs emptied first.
            let live = fixture.database.directory
            _ = try await fixture.services.data.sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").all()
            let backup = FileManager.default.temporaryDirectory.appendingPathComponent("guardline-backup-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: backup, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: backup) }
            for file in try FileManager.default.contentsOfDirectory(atPath: live) where file.hasPrefix("guardline") {
                try FileManager.default.copyItem(atPath: "\(live)/\(file)", toPath: "\(backup)/\(file)")
            }

            try await Self.erase(fixture, id, dpo)

            // The copy still holds the sealed row; no key that remains opens it.
            let copy = try await SQLStore.open(.sqlite(path: "\(backup)/guardline.sqlite"), attachingAuditTrail: true, logger: Logger(label: "backup"))
            let sealed = try #require(try await ContactStore(copy).find(contact, org: org))
            try await copy.shutdown()
            let vault = SubjectKeyVault(fixture.services.keys)
            #expect(try await vault.wrapped(contact: contact, org: org) == nil)
            var tried = 0
            for other in ids where other != contact {
                guard let wrapped = try await vault.wrapped(contact: other, org: org) else { continue }
                let key = try SubjectKey.unwrap(wrapped, by: fixture.services.ring, org: org, contact: other)
                for (field, box) in sealed.fields {
                    #expect(throws: (any Error).self) { try FieldCipher(key: key, org: org, contact: contact).open(box, field: field) }
                }
                tried += 1
            }
            #expect(tried == ids.count - 1)

            // Restored: the old data files beside today's keys. The person is found by their
            // old index terms at most, and nothing of them opens.
            let restored = FileManager.default.temporaryDirectory.appendingPathComponent("guardline-restored-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: restored, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: restored) }
            for file in try FileManager.default.contentsOfDirectory(atPath: live) where !file.hasPrefix("guardline") && !file.hasPrefix("recordings") {
                try FileManager.default.copyItem(atPath: "\(live)/\(file)", toPath: "\(restored)/\(file)")
            }
            for file in try FileManager.default.contentsOfDirectory(atPath: backup) {
                try FileManager.default.copyItem(atPath: "\(backup)/\(file)", toPath: "\(restored)/\(file)")
            }
            let services = try await GuardlineServices.open(ServerConfiguration(dataDirectory: restored, passwordCost: 4), logger: Logger(label: "restored"))
            do {
                let user = try #require(try await services.users.find(email: "dpo@demo.test", org: org))
                let profile = try #require(try await services.profiles.all(org: org).first { $0.name == "Data Protection" })
                let principal = Principal(user: user, authorization: Authorization(role: .dpo, profile: profile, scopes: nil), credential: .session)
                let found = try await services.contacts.lookup(.phone(person["phone"]!), by: principal, channel: "api")
                #expect(!found.contains { $0.fields.values.contains(person["name"]!) })
                await #expect(throws: GuardlineError.self) { _ = try await services.contacts.read(contact, by: principal, reason: nil) }
                // Everyone else is still there, readable.
                let other = try #require(ids.first { $0 != contact })
                #expect(try await services.contacts.read(other, by: principal, reason: nil).fields["name"] != nil)
            } catch {
                try? await services.shutdown()
                throw error
            }
            try await services.shutdown()
        }
    }
}
