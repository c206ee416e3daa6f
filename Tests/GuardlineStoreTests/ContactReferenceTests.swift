import Foundation
import GuardlineCore
import GuardlineStore
import GuardlineTestSupport
import Logging
import SQLKit
import Testing

@testable import GuardlineStore

@Suite("Contact references") struct ContactReferenceTests {
    @Test("references count up per organization, are found by, and read back with the contact", arguments: TestDatabase.engines)
    func numbering(engine: TestDatabase.Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = ContactStore(fixture.data)
            var refsA: [ContactReference] = []
            for index in 0..<3 {
                let (contact, terms, _) = try fixture.sealedContact(org: fixture.orgA.id, fields: [.name: "Person \(index)"])
                refsA.append(try await store.insert(contact, terms: terms))
            }
            let (other, otherTerms, _) = try fixture.sealedContact(org: fixture.orgB.id, fields: [.name: "Other"])
            #expect(try await store.insert(other, terms: otherTerms) == ContactReference(1))
            #expect(refsA.map(\.number) == [1, 2, 3])
            #expect(refsA[1].description == "C-000002")
            let found = try #require(try await store.find(reference: refsA[2], org: fixture.orgA.id))
            #expect(found.reference == refsA[2])
            // Another organization's number 2 is not ours.
            #expect(try await store.find(reference: ContactReference(2), org: fixture.orgB.id) == nil)
            #expect(ContactReference(parsing: "c-2") == ContactReference(2))
            #expect(ContactReference(parsing: "C-0") == nil && ContactReference(parsing: "C2") == nil && ContactReference(parsing: "x") == nil)
        }
    }

    @Test("migration 11 numbers existing contacts in creation order, per organization", arguments: TestDatabase.engines)
    func backfill(engine: TestDatabase.Engine) async throws {
        try await TestDatabase.with(engine) { database in
            let data = try await SQLStore.open(database.store.data, attachingAuditTrail: true, logger: Logger(label: "test"))
            do {
                let before = DataMigrations.all.filter { $0.version < 11 }
                try await Migrator(store: data, migrations: before, table: "schema_migration").run()
                let orgs = try await [StoreFixture.bareOrganization("A", in: data), StoreFixture.bareOrganization("B", in: data)]
                var ids: [[ContactID]] = [[], []]
                for index in 0..<5 {
                    let id = ContactID.make(at: Date(timeIntervalSince1970: 1_700_000_000 + Double(index)))
                    let org = orgs[index % 2].id
                    ids[index % 2].append(id)
                    try await data.sql.raw("""
                        INSERT INTO contact (id, org_id, sealed_fields, created_at, updated_at)
                        VALUES (\(bind: id.description), \(bind: org.description), \(bind: Data()), 0, 0)
                        """).run()
                }
                try await Migrator.data(data).run()
                let store = ContactStore(data)
                for (org, expected) in zip(orgs, ids) {
                    let references = try await store.references(expected, org: org.id)
                    #expect(expected.map { references[$0]?.number } == Array(1...Int64(expected.count)).map { Optional($0) })
                }
                let next = try StoreFixture.sealed(org: orgs[0].id)
                #expect(try await store.insert(next.0, terms: next.1) == ContactReference(Int64(ids[0].count + 1)))
            } catch {
                try? await data.shutdown()
                throw error
            }
            try await data.shutdown()
        }
    }
}

extension StoreFixture {
    static func sealed(org: OrganizationID) throws -> (SealedContact, [IndexTerm]) {
        (SealedContact(id: .make(), orgID: org, fields: [:], createdAt: Date(), updatedAt: Date()), [])
    }
}
