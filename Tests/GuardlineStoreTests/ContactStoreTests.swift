import Foundation
import GuardlineCore
import GuardlineCrypto
import GuardlineStore
import GuardlineTestSupport
import Testing

@Suite("Contact store") struct ContactStoreTests {
    let maria: [FieldKey: String] = [.name: "Maria Silva", .phone: "+351912345789", .email: "maria@example.com", .address: "Rua Augusta 100"]

    @Test("a sealed contact is found by caller ID, email and name tokens, and reads back intact", arguments: TestDatabase.engines)
    func lookup(engine: TestDatabase.Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = ContactStore(fixture.data)
            let (contact, terms, key) = try fixture.sealedContact(org: fixture.orgA.id, fields: maria)
            try await store.insert(contact, terms: terms)
            let index = fixture.ring.blindIndex
            let org = fixture.orgA.id
            let byPhone = try await store.lookup(kind: "phone", hashes: [index.hash(.phone, "+351912345789", org: org)], org: org)
            #expect(byPhone.map(\.id) == [contact.id])
            let byEmail = try await store.lookup(kind: "email", hashes: [index.hash(.email, "maria@example.com", org: org)], org: org)
            #expect(byEmail.map(\.id) == [contact.id])
            let byName = try await store.lookup(kind: "name", hashes: ["silva", "maria"].map { index.hash(.nameToken, $0, org: org) }, org: org)
            #expect(byName.map(\.id) == [contact.id])
            let wrongName = try await store.lookup(kind: "name", hashes: ["maria", "santos"].map { index.hash(.nameToken, $0, org: org) }, org: org)
            #expect(wrongName.isEmpty)
            let found = try #require(try await store.find(contact.id, org: org))
            let cipher = FieldCipher(key: key, org: org, contact: contact.id)
            #expect(try cipher.open(found.fields[.address]!, field: .address) == "Rua Augusta 100")
        }
    }

    @Test("one organization cannot find or change another's contact", arguments: TestDatabase.engines)
    func tenantIsolation(engine: TestDatabase.Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = ContactStore(fixture.data)
            let (contact, terms, _) = try fixture.sealedContact(org: fixture.orgA.id, fields: maria)
            try await store.insert(contact, terms: terms)
            let orgB = fixture.orgB.id
            #expect(try await store.find(contact.id, org: orgB) == nil)
            // Org B's index key space differs: the same phone hashes differently.
            let phoneB = fixture.ring.blindIndex.hash(.phone, "+351912345789", org: orgB)
            #expect(try await store.lookup(kind: "phone", hashes: [phoneB], org: orgB).isEmpty)
            // Even org A's hash does not reach across organizations.
            let phoneA = fixture.ring.blindIndex.hash(.phone, "+351912345789", org: fixture.orgA.id)
            #expect(try await store.lookup(kind: "phone", hashes: [phoneA], org: orgB).isEmpty)
            var hijack = contact
            hijack.orgID = orgB
            #expect(try await store.replace(hijack, terms: []) == false)
            #expect(try await store.erase(contact.id, org: orgB, at: Date()) == nil)
            #expect(try await store.find(contact.id, org: fixture.orgA.id) != nil)
        }
    }

    @Test("erasure leaves a tombstone without fields or index terms (Art17)", arguments: TestDatabase.engines)
    func erase(engine: TestDatabase.Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = ContactStore(fixture.data)
            let vault = SubjectKeyVault(fixture.keys)
            let org = fixture.orgA.id
            let (contact, terms, key) = try fixture.sealedContact(org: org, fields: maria)
            try await vault.put(try key.wrapped(by: fixture.ring, org: org, contact: contact.id), contact: contact.id, org: org, at: Date())
            try await store.insert(contact, terms: terms)
            #expect(try await vault.destroy(contact: contact.id, org: org))
            #expect(try await store.erase(contact.id, org: org, at: Date())?.fields == maria.count)
            #expect(try await store.find(contact.id, org: org) == nil)
            #expect(try await vault.wrapped(contact: contact.id, org: org) == nil)
            let phone = fixture.ring.blindIndex.hash(.phone, "+351912345789", org: org)
            #expect(try await store.lookup(kind: "phone", hashes: [phone], org: org).isEmpty)
            #expect(try await store.erase(contact.id, org: org, at: Date()) == nil)
        }
    }

    @Test("replace rewrites fields and index terms", arguments: TestDatabase.engines)
    func replace(engine: TestDatabase.Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = ContactStore(fixture.data)
            let org = fixture.orgA.id
            let (contact, terms, _) = try fixture.sealedContact(org: org, fields: maria)
            try await store.insert(contact, terms: terms)
            var moved = maria
            moved[.phone] = "+351919999999"
            let (_, newTerms, key) = try fixture.sealedContact(org: org, fields: moved)
            var updated = contact
            updated.fields[.phone] = try FieldCipher(key: key, org: org, contact: contact.id).seal("+351919999999", field: .phone)
            #expect(try await store.replace(updated, terms: newTerms))
            let index = fixture.ring.blindIndex
            #expect(try await store.lookup(kind: "phone", hashes: [index.hash(.phone, "+351912345789", org: org)], org: org).isEmpty)
            #expect(try await store.lookup(kind: "phone", hashes: [index.hash(.phone, "+351919999999", org: org)], org: org).map(\.id) == [contact.id])
        }
    }

    @Test("contacts sharing a caller ID come back in id order, at most `limit` of them, erased ones left out",
          arguments: TestDatabase.engines)
    func sharedPhone(engine: TestDatabase.Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = ContactStore(fixture.data)
            let org = fixture.orgA.id
            let household = try (0..<4).map { try fixture.sealedContact(org: org, fields: [.name: "Household \($0)", .phone: "+351912345000"]) }
            // Inserted in descending id order, so that insertion order is not id order.
            for (contact, terms, _) in household.sorted(by: { $0.0.id.description > $1.0.id.description }) {
                try await store.insert(contact, terms: terms)
            }
            var ids = household.map(\.0.id)
            ids.sort { $0.description < $1.description }
            let hash = [fixture.ring.blindIndex.hash(.phone, "+351912345000", org: org)]
            #expect(try await store.lookup(kind: "phone", hashes: hash, org: org).map(\.id) == ids)
            #expect(try await store.lookup(kind: "phone", hashes: hash, org: org, limit: 2).map(\.id) == Array(ids.prefix(2)))
            _ = try await store.erase(ids[0], org: org, at: Date())
            #expect(try await store.lookup(kind: "phone", hashes: hash, org: org).map(\.id) == Array(ids.dropFirst()))
        }
    }

    @Test("pages of contacts follow creation order and stay inside the organization", arguments: TestDatabase.engines)
    func paging(engine: TestDatabase.Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = ContactStore(fixture.data)
            var ids: [ContactID] = []
            for index in 0..<5 {
                let (contact, terms, _) = try fixture.sealedContact(org: fixture.orgA.id, fields: [.name: "Person \(index)"])
                try await store.insert(contact, terms: terms)
                ids.append(contact.id)
            }
            let (other, otherTerms, _) = try fixture.sealedContact(org: fixture.orgB.id, fields: [.name: "Elsewhere"])
            try await store.insert(other, terms: otherTerms)
            let first = try await store.page(org: fixture.orgA.id, after: nil, limit: 3)
            let second = try await store.page(org: fixture.orgA.id, after: first.last?.id, limit: 3)
            #expect((first + second).map(\.id) == ids.sorted { $0.description < $1.description })
            #expect(try await store.count(org: fixture.orgA.id) == 5)
        }
    }
}
