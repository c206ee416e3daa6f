import Foundation
import GuardlineCore
@testable import GuardlineStore
import GuardlineTestSupport
import Logging
import SQLKit
import Testing

/// Migration 2 rebuilds SQLite's audit table in chain order, migration 3
/// moves it to a file of its own, migration 4 hands the head to the appender
/// and migration 5 indexes contacts by segment; a chain written before them
/// must come through whole, keep growing after them and still be searchable.
@Suite("Audit table migration") struct AuditMigrationTests {
    @Test("a chain written under migration 1 verifies after migrations 2 to 5 and keeps its head",
          arguments: TestDatabase.engines, [false, true])
    func chainSurvives(engine: TestDatabase.Engine, copiedBeforeACrash: Bool) async throws {
        try await TestDatabase.with(engine) { database in
            let data = try await SQLStore.open(database.store.data, attachingAuditTrail: true, logger: Logger(label: "test"))
            do {
                let first = Migrator(store: data, migrations: [DataMigrations.foundation], table: "schema_migration")
                #expect(try await first.run() == [1])
                let org = try await StoreFixture.bareOrganization("Org", in: data)
                let log = AuditLog(data, checkpointInterval: 5)
                let sign: AuditLog.Sign = { _, _, hash in (hash, hash) }
                let records = (0..<12).map {
                    AuditRecord(orgID: org.id, at: Date(), actorKind: .user, actorID: "agent", action: "contact.read",
                                contactID: .make(), fields: ["name", "phone:masked"], context: "before \($0)")
                }
                try await log.append(records, sign: sign)

                #expect(try await Migrator(store: data, migrations: [DataMigrations.clusteredAudit], table: "schema_migration").run() == [2])
                if copiedBeforeACrash {
                    // The copy committed, then the process died before the originals were dropped.
                    let copy = DataMigrations.auditTrailFile.prepare(data)
                    try await data.transaction { db in
                        for statement in copy { try await db.raw(SQLQueryString(statement)).run() }
                    }
                }
                #expect(try await Migrator.data(data).run() == DataMigrations.all.map(\.version).filter { $0 >= 3 })
                try await log.append([AuditRecord(orgID: org.id, at: Date(), actorKind: .user, actorID: "agent",
                                                  action: "contact.read", contactID: nil, fields: [], context: "after")], sign: sign)
                var verifier = ChainVerifier()
                try await log.verify(org: org.id, into: &verifier)
                verifier.finish(expectedHead: try await log.head(org: org.id))
                #expect(verifier.failure == nil)
                #expect(verifier.checked == 13)
                #expect(try await log.head(org: org.id)?.seq == 13)
                #expect(try await log.checkpoints(org: org.id).map(\.seq) == [5, 10])
                let found = try await log.entries(org: org.id, .init(contactID: records[3].contactID))
                #expect(found.map(\.seq) == [4])
                if engine == .sqlite, case .sqlite(let path) = database.store.data {
                    let moved = try await data.sql.raw("SELECT sql FROM audit.sqlite_master WHERE name = 'audit_event'").first()
                    #expect(try moved?.decode(column: "sql", as: String.self).contains("WITHOUT ROWID") == true)
                    let left = try await data.sql.raw("SELECT name FROM main.sqlite_master WHERE name LIKE 'audit%'").all()
                    #expect(left.isEmpty)
                    // The appender moved the head past the entry written after the migrations, with no trigger left.
                    let triggers = try await data.sql.raw("SELECT name FROM audit.sqlite_master WHERE type = 'trigger'").all()
                    #expect(triggers.isEmpty)
                    let indexes = try await data.sql.raw("SELECT name FROM audit.sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all()
                    #expect(try indexes.map { try $0.decode(column: "name", as: String.self) } == ["audit_event_contact_segment"])
                    #expect(FileManager.default.fileExists(atPath: DatabaseLocation.auditTrailPath(forDataFile: path)))
                }
            } catch {
                try? await data.shutdown()
                throw error
            }
            try await data.shutdown()
        }
    }

    @Test("subject keys stored under the first key-store migration are still found, and destroyed, after the second",
          arguments: TestDatabase.engines)
    func keysSurvive(engine: TestDatabase.Engine) async throws {
        try await TestDatabase.with(engine) { database in
            let keys = try await SQLStore.open(database.store.keys, attachingAuditTrail: false, logger: Logger(label: "test"))
            do {
                let first = Migrator(store: keys, migrations: [KeyMigrations.subjectKeys], table: KeyMigrations.table(keys, "schema_migration"))
                #expect(try await first.run() == [1])
                let vault = SubjectKeyVault(keys)
                let org = OrganizationID.make()
                let contacts = (0..<3).map { _ in ContactID.make() }
                for (index, contact) in contacts.enumerated() {
                    try await vault.put([UInt8](repeating: UInt8(index), count: 60), contact: contact, org: org, at: Date())
                }
                #expect(try await Migrator.keys(keys).run() == [2])
                let moved = SubjectKeyVault(keys)
                for (index, contact) in contacts.enumerated() {
                    #expect(try await moved.wrapped(contact: contact, org: org) == [UInt8](repeating: UInt8(index), count: 60))
                }
                #expect(try await moved.wrapped(contact: contacts[0], org: .make()) == nil)
                #expect(try await moved.destroy(contact: contacts[1], org: org))
                #expect(try await moved.wrapped(contact: contacts[1], org: org) == nil)
                #expect(try await moved.count() == 2)
                if engine == .sqlite {
                    let table = try await keys.sql.raw("SELECT sql FROM sqlite_master WHERE name = 'subject_key'").first()
                    #expect(try table?.decode(column: "sql", as: String.self).contains("WITHOUT ROWID") == true)
                }
            } catch {
                try? await keys.shutdown()
                throw error
            }
            try await keys.shutdown()
        }
    }
}
