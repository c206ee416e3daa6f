import Foundation
import GuardlineCore
@testable import GuardlineStore
import GuardlineTestSupport
import Logging
import SQLKit
import Testing

/// Migration 2 rebuilds SQLite's audit table in chain order; a chain written
/// before it must come through whole and keep growing after it.
@Suite("Audit table migration") struct AuditMigrationTests {
    @Test("a chain written under migration 1 verifies after migration 2 and keeps its head", arguments: TestDatabase.engines)
    func chainSurvives(engine: TestDatabase.Engine) async throws {
        try await TestDatabase.with(engine) { database in
            let data = try await SQLStore.open(database.store.data, logger: Logger(label: "test"))
            do {
                let first = Migrator(store: data, migrations: [DataMigrations.foundation], table: "schema_migration")
                #expect(try await first.run() == [1])
                let org = try await OrganizationStore(data).create(name: "Org", clock: .system)
                let log = AuditLog(data, checkpointInterval: 5)
                let sign: AuditLog.Sign = { _, _, hash in (hash, hash) }
                let records = (0..<12).map {
                    AuditRecord(orgID: org.id, at: Date(), actorKind: .user, actorID: "agent", action: "contact.read",
                                contactID: .make(), fields: ["name", "phone:masked"], context: "before \($0)")
                }
                try await log.append(records, sign: sign)

                #expect(try await Migrator.data(data).run() == [2])
                try await log.append([AuditRecord(orgID: org.id, at: Date(), actorKind: .user, actorID: "agent",
                                                  action: "contact.read", contactID: nil, fields: [], context: "after")], sign: sign)
                var verifier = ChainVerifier()
                try await log.verify(org: org.id, into: &verifier)
                verifier.finish(expectedHead: try await log.head(org: org.id))
                #expect(verifier.failure == nil)
                #expect(verifier.checked == 13)
                #expect(try await log.head(org: org.id)?.seq == 13)
                #expect(try await log.checkpoints(org: org.id).map(\.seq) == [5, 10])
                if engine == .sqlite {
                    let table = try await data.sql.raw("SELECT sql FROM sqlite_master WHERE name = 'audit_event'").first()
                    #expect(try table?.decode(column: "sql", as: String.self).contains("WITHOUT ROWID") == true)
                }
            } catch {
                try? await data.shutdown()
                throw error
            }
            try await data.shutdown()
        }
    }
}
