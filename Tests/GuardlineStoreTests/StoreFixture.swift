import Foundation
import GuardlineCore
import GuardlineCrypto
import GuardlineStore
import GuardlineTestSupport
import Logging

/// Opened, migrated stores on a throwaway database, with two organizations.
struct StoreFixture {
    let database: TestDatabase
    let data: SQLStore
    let keys: SQLStore
    let orgA: Organization
    let orgB: Organization
    let ring = KeyRing(master: .init(size: .bits256))
    let clock = WallClock.system

    /// An organization row alone, for tests that stop the schema at an older migration
    /// (`OrganizationStore.create` writes what the newest schema holds).
    static func bareOrganization(_ name: String, in data: SQLStore) async throws -> (id: OrganizationID, name: String) {
        let id = OrganizationID.make(at: Date())
        try await data.sql.raw("""
            INSERT INTO organization (id, name, created_at)
            VALUES (\(bind: id.description), \(bind: name), \(bind: Int64(Date().timeIntervalSince1970 * 1000)))
            """).run()
        return (id, name)
    }

    static func with(_ engine: TestDatabase.Engine, _ body: (StoreFixture) async throws -> Void) async throws {
        try await TestDatabase.with(engine) { database in
            let logger = Logger(label: "test")
            let data = try await SQLStore.open(database.store.data, attachingAuditTrail: true, logger: logger)
            let keys = database.store.keys == database.store.data ? data : try await SQLStore.open(database.store.keys, attachingAuditTrail: false, logger: logger)
            do {
                try await Migrator.data(data).run()
                try await Migrator.keys(keys).run()
                let orgs = OrganizationStore(data)
                let fixture = StoreFixture(
                    database: database, data: data, keys: keys,
                    orgA: try await orgs.create(name: "Org A", clock: .system), orgB: try await orgs.create(name: "Org B", clock: .system))
                try await body(fixture)
            } catch {
                if keys !== data { try? await keys.shutdown() }
                try? await data.shutdown()
                throw error
            }
            if keys !== data { try await keys.shutdown() }
            try await data.shutdown()
        }
    }

    /// A contact of `org` sealed under a fresh key, with its index terms.
    func sealedContact(org: OrganizationID, fields: [FieldKey: String]) throws -> (SealedContact, [IndexTerm], SubjectKey) {
        let id = ContactID.make()
        let key = SubjectKey.generate()
        let cipher = FieldCipher(key: key, org: org, contact: id)
        var sealed: [FieldKey: [UInt8]] = [:]
        for (field, value) in fields { sealed[field] = try cipher.seal(value, field: field) }
        let terms = ring.blindIndex.terms(for: fields, org: org).map { IndexTerm(kind: $0.kind.rawValue, hash: $0.hash) }
        return (SealedContact(id: id, orgID: org, fields: sealed, createdAt: Date(), updatedAt: Date()), terms, key)
    }

    func sign(_ org: OrganizationID, _ seq: Int64, _ hash: [UInt8]) throws -> (signature: [UInt8], publicKey: [UInt8]) {
        (try ring.checkpointSigner.sign(org: org, seq: seq, hash: hash), ring.checkpointSigner.publicKey)
    }
}
