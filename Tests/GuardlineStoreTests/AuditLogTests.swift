import Foundation
import GuardlineCore
import GuardlineStore
import GuardlineTestSupport
import Logging
import SQLKit
import Testing

@Suite("Audit log") struct AuditLogTests {
    func records(_ org: OrganizationID, _ count: Int, actor: String = "tester") -> [AuditRecord] {
        (0..<count).map {
            AuditRecord(orgID: org, at: Date(), actorKind: .user, actorID: actor, action: "contact.read",
                        contactID: .make(), fields: ["name", "phone:masked"], context: "test \($0)")
        }
    }

    func verify(_ log: AuditLog, _ org: OrganizationID) async throws -> ChainVerifier {
        var verifier = ChainVerifier()
        try await log.verify(org: org, into: &verifier)
        verifier.finish(expectedHead: try await log.head(org: org))
        return verifier
    }

    @Test("appends form one chain per organization that verifies (Art5_2)", arguments: TestDatabase.engines)
    func appendAndVerify(engine: TestDatabase.Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let log = AuditLog(fixture.data, checkpointInterval: 10)
            try await log.append(records(fixture.orgA.id, 25) + records(fixture.orgB.id, 3), sign: fixture.sign)
            try await log.append(records(fixture.orgA.id, 5), sign: fixture.sign)
            let verifierA = try await verify(log, fixture.orgA.id)
            #expect(verifierA.failure == nil)
            #expect(verifierA.checked == 30)
            #expect(try await verify(log, fixture.orgB.id).checked == 3)
            let checkpoints = try await log.checkpoints(org: fixture.orgA.id)
            #expect(checkpoints.map(\.seq) == [10, 20, 30])
            for checkpoint in checkpoints {
                #expect(fixture.ring.checkpointSigner.verify(checkpoint.signature, org: fixture.orgA.id, seq: checkpoint.seq, hash: checkpoint.hash))
            }
            let newest = try await log.entries(org: fixture.orgA.id, .init(limit: 2))
            #expect(newest.map(\.seq) == [30, 29])
            #expect(newest[0].record.fields == ["name", "phone:masked"])
        }
    }

    @Test("a contact's entries are found across index segments, newest first, paged, and only in its organization",
          .timeLimit(.minutes(1)), arguments: TestDatabase.engines)
    func entriesOfAContact(engine: TestDatabase.Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let log = AuditLog(fixture.data, checkpointInterval: 100_000)
            let contact = ContactID.make()
            // 9,000 entries span three of SQLite's 4,096-entry index segments; the contact
            // appears in each, and once in another organization's chain.
            var records = records(fixture.orgA.id, 9_000)
            let marked = [5, 4_095, 4_096, 4_097, 8_999]
            for index in marked { records[index].contactID = contact }
            try await log.append(records, sign: fixture.sign)
            var other = self.records(fixture.orgB.id, 1)
            other[0].contactID = contact
            try await log.append(other, sign: fixture.sign)

            let all = try await log.entries(org: fixture.orgA.id, .init(contactID: contact))
            #expect(all.map(\.seq) == marked.reversed().map { Int64($0 + 1) })
            let page = try await log.entries(org: fixture.orgA.id, .init(contactID: contact, before: 4_098, limit: 2))
            #expect(page.map(\.seq) == [4_097, 4_096])
            let oldest = try await log.entries(org: fixture.orgA.id, .init(contactID: contact, before: 4_096, limit: 5))
            #expect(oldest.map(\.seq) == [6])
            #expect(try await log.entries(org: fixture.orgA.id, .init(contactID: contact, before: 0)).isEmpty)
            // A cursor far past the chain's end (any API caller can send one) pages from the end, at once.
            let farCursor = try await log.entries(org: fixture.orgA.id, .init(contactID: contact, before: 999_999_999_999_999_999))
            #expect(farCursor.map(\.seq) == all.map(\.seq))
            #expect(try await log.entries(org: fixture.orgA.id, .init(contactID: .make())).isEmpty)
            #expect(try await log.entries(org: fixture.orgB.id, .init(contactID: contact)).map(\.seq) == [1])
        }
    }

    /// 4 makes SQLite verify the 12-entry chain in two halves, as it does long chains.
    static let verifyThresholds: [Int64] = [100_000, 4]

    /// A chain of `entries` in organization A, verified in parts from `threshold` entries on,
    /// and the SQL connection to tamper with it.
    func withChain(
        _ engine: TestDatabase.Engine, _ threshold: Int64, entries: Int,
        _ body: (AuditLog, OrganizationID, any SQLDatabase) async throws -> Void
    ) async throws {
        try await StoreFixture.with(engine) { fixture in
            let log = AuditLog(fixture.data, parallelVerifyThreshold: threshold)
            try await log.append(records(fixture.orgA.id, entries), sign: fixture.sign)
            try await body(log, fixture.orgA.id, fixture.data.sql)
        }
    }

    @Test("an altered, deleted or reordered row is found, in one pass or in halves",
          arguments: TestDatabase.engines, verifyThresholds)
    func tamper(engine: TestDatabase.Engine, threshold: Int64) async throws {
        try await withChain(engine, threshold, entries: 12) { log, org, sql in
            try await sql.raw("UPDATE audit_event SET fields = 'address' WHERE org_id = \(bind: org.description) AND seq = 5").run()
            #expect(try await verify(log, org).failure?.seq == 5)
            try await sql.raw("UPDATE audit_event SET fields = 'name,phone:masked' WHERE org_id = \(bind: org.description) AND seq = 5").run()
            #expect(try await verify(log, org).failure == nil)

            // Entry 7 is the first of the second half when the chain is split.
            try await sql.raw("UPDATE audit_event SET context = 'edited' WHERE org_id = \(bind: org.description) AND seq = 7").run()
            #expect(try await verify(log, org).failure?.seq == 7)
            try await sql.raw("UPDATE audit_event SET context = 'test 6' WHERE org_id = \(bind: org.description) AND seq = 7").run()
            let restored = try await verify(log, org)
            #expect(restored.failure == nil)
            #expect(restored.checked == 12)

            try await sql.raw("DELETE FROM audit_event WHERE org_id = \(bind: org.description) AND seq = 8").run()
            let missing = try await verify(log, org).failure
            #expect(missing?.seq == 8)
            #expect(missing?.problem.contains("missing") == true)
        }
    }

    @Test("entries past a rolled-back head, or a stray entry before the first, are found, in one pass or in parts",
          arguments: TestDatabase.engines, verifyThresholds)
    func outsideTheHead(engine: TestDatabase.Engine, threshold: Int64) async throws {
        try await withChain(engine, threshold, entries: 12) { log, org, sql in
            let head = try #require(try await log.head(org: org))
            let eighth = try #require(try await log.entries(org: org, .init(before: 9, limit: 1)).first)
            try await sql.raw("UPDATE audit_head SET seq = 8, hash = \(bind: Data(eighth.hash)) WHERE org_id = \(bind: org.description)").run()
            let rolledBack = try await verify(log, org)
            #expect(rolledBack.failure?.problem.contains("recorded head") == true)
            #expect(rolledBack.checked == 12)
            try await sql.raw("UPDATE audit_head SET seq = \(bind: head.seq), hash = \(bind: Data(head.hash)) WHERE org_id = \(bind: org.description)").run()
            #expect(try await verify(log, org).failure == nil)

            try await sql.raw("UPDATE audit_event SET seq = 0 WHERE org_id = \(bind: org.description) AND seq = 1").run()
            #expect(try await verify(log, org).failure?.seq == 0)
        }
    }

    @Test("a swap of two entries' sequence numbers is found at the first", arguments: TestDatabase.engines, verifyThresholds)
    func reorder(engine: TestDatabase.Engine, threshold: Int64) async throws {
        try await withChain(engine, threshold, entries: 6) { log, org, sql in
            try await sql.raw("UPDATE audit_event SET seq = 100 WHERE org_id = \(bind: org.description) AND seq = 3").run()
            try await sql.raw("UPDATE audit_event SET seq = 3 WHERE org_id = \(bind: org.description) AND seq = 4").run()
            try await sql.raw("UPDATE audit_event SET seq = 4 WHERE org_id = \(bind: org.description) AND seq = 100").run()
            #expect(try await verify(log, org).failure?.seq == 3)
        }
    }

    @Test("on PostgreSQL, entries appended in a transaction that rolls back leave no trace, and the chain goes on where it was",
          arguments: TestDatabase.engines.filter { $0 == .postgres })
    func appendInsideTransaction(engine: TestDatabase.Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let org = fixture.orgA.id
            let log = AuditLog(fixture.data, checkpointInterval: 5)
            #expect(log.appendsInTransaction)
            try await log.append(records(org, 3), sign: fixture.sign)
            struct Abandoned: Error {}
            await #expect(throws: Abandoned.self) {
                try await fixture.data.transaction { db in
                    let entries = try await log.append(records(org, 4), in: db, sign: fixture.sign)
                    #expect(entries.map(\.seq) == [4, 5, 6, 7])
                    throw Abandoned()
                }
            }
            #expect(try await log.head(org: org)?.seq == 3)
            #expect(try await log.checkpoints(org: org).isEmpty)
            try await fixture.data.transaction { db in _ = try await log.append(records(org, 2), in: db, sign: fixture.sign) }
            let verifier = try await verify(log, org)
            #expect(verifier.failure == nil)
            #expect(verifier.checked == 5)
            #expect(try await log.checkpoints(org: org).map(\.seq) == [5])
        }
    }

    @Test("two writers on separate connection pools (two servers) keep one valid chain", arguments: TestDatabase.engines)
    func concurrentWriters(engine: TestDatabase.Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let org = fixture.orgA.id
            let second = try await SQLStore.open(fixture.database.store.data, attachingAuditTrail: true, logger: Logger(label: "second"))
            let logs = [AuditLog(fixture.data, checkpointInterval: 50), AuditLog(second, checkpointInterval: 50)]
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (index, log) in logs.enumerated() {
                        for batch in 0..<10 {
                            group.addTask { try await log.append(records(org, 10, actor: "server\(index)-\(batch)"), sign: fixture.sign) }
                        }
                    }
                    try await group.waitForAll()
                }
            } catch {
                try? await second.shutdown()
                throw error
            }
            try await second.shutdown()
            let verifier = try await verify(logs[0], org)
            #expect(verifier.failure == nil)
            #expect(verifier.checked == 200)
            #expect(try await logs[0].checkpoints(org: org).map(\.seq) == [50, 100, 150, 200])
        }
    }
}
