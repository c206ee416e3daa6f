import Foundation
import GuardlineCore
import GuardlineStore
import GuardlineTestSupport
import Logging
import SQLKit
import Testing

@testable import GuardlineServer

/// The audit trail survives what a database administrator could do to it: its
/// tail deleted and its head moved back is caught by the witness outside the
/// database; verifying a busy chain reports no false break; its file syncs
/// every commit (Art. 5(2), Art. 32).
@Suite("Audit witness and durability") struct AuditWitnessTests {
    @Test("with a syslog witness, each checkpoint also leaves as an RFC 5424 message holding the witness file's line")
    func syslogCopy() async throws {
        let receiver = try UDPReceiver()
        defer { receiver.close() }
        try await ServerFixture.with(configure: { $0.auditWitnessSyslog = "udp://127.0.0.1:\(receiver.port)" }) { fixture in
            let inbound = try await fixture.login("inbound@demo.test")
            for person in fixture.people { _ = try await fixture.lookup(phone: person["phone"]!, as: inbound) }
            let org = try await fixture.organization()
            let witnessed = try #require(try fixture.services.verification.witness?.latest(org: org))
            var messages: [String] = []
            while let message = receiver.receive() { messages.append(message) }
            let line = AuditWitness.line(witnessed)
            let copy = try #require(messages.first { $0.hasSuffix(" - " + line) }, "\(messages)")
            #expect(copy.hasPrefix("<110>1 "))
            #expect(copy.contains(" guardline ") && copy.contains(" audit-checkpoint - v1 \(org) "))
            let interval = fixture.services.configuration.auditCheckpointInterval
            #expect(messages.count == Int(witnessed.seq / interval))
        }
        #expect(throws: GuardlineError.self) { try SyslogWitness("tcp://loghost") }
        #expect(throws: GuardlineError.self) { try SyslogWitness("udp://") }
        #expect(try SyslogWitness("unix:/dev/log").destination == .unix(path: "/dev/log"))
        #expect(throws: GuardlineError.self) { try SyslogWitness("unix:/" + String(repeating: "a", count: 200)) }
        #expect(try SyslogWitness("udp://192.0.2.10").destination == .udp(host: "192.0.2.10", port: 514))
    }

    @Test("deleting the last entries and resetting the head is caught by the witnessed checkpoint")
    func truncatedTail() async throws {
        try await ServerFixture.with { fixture in
            let inbound = try await fixture.login("inbound@demo.test")
            for person in fixture.people { _ = try await fixture.lookup(phone: person["phone"]!, as: inbound) }
            for person in fixture.people { _ = try await fixture.lookup(phone: person["phone"]!, as: inbound) }
            let org = try await fixture.organization()
            let report = try await fixture.services.verification.verify(org: org)
            #expect(report.intact)
            let lastCheckpoint = try #require(report.lastCheckpointSeq)
            #expect(lastCheckpoint >= 25)
            let witnessed = try #require(try fixture.services.verification.witness?.latest(org: org))
            #expect(witnessed.seq == lastCheckpoint)

            // What an attacker with the database (but not the witness) does: cut the chain back
            // before the last checkpoint and make head and checkpoints agree with the cut.
            let keep = lastCheckpoint - 3
            let sql = fixture.services.data.sql
            try await sql.raw("DELETE FROM audit_event WHERE org_id = \(bind: org.description) AND seq > \(bind: keep)").run()
            try await sql.raw("DELETE FROM audit_checkpoint WHERE org_id = \(bind: org.description) AND seq > \(bind: keep)").run()
            try await sql.raw("""
                UPDATE audit_head SET seq = \(bind: keep),
                    hash = (SELECT hash FROM audit_event WHERE org_id = \(bind: org.description) AND seq = \(bind: keep))
                WHERE org_id = \(bind: org.description)
                """).run()
            let cut = try await fixture.services.verification.verify(org: org)
            #expect(!cut.intact)
            #expect(cut.failure?.problem.contains("witness") == true, "\(String(describing: cut.failure))")
            #expect(cut.failure?.seq == keep + 1)
        }
    }

    @Test("verifying while screen pops append reports no entry missing")
    func liveVerify() async throws {
        try await ServerFixture.with { fixture in
            let inbound = try await fixture.login("inbound@demo.test")
            let org = try await fixture.organization()
            try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    for round in 0..<20 { _ = try await fixture.lookup(phone: fixture.people[round % 12]["phone"]!, as: inbound) }
                    return true
                }
                group.addTask {
                    for _ in 0..<20 {
                        let report = try await fixture.services.verification.verify(org: org)
                        guard report.intact else { Issue.record("live verify: \(String(describing: report.failure))"); return false }
                    }
                    return true
                }
                for try await ok in group { #expect(ok) }
            }
        }
    }

    @Test("the audit file commits with synchronous=FULL; the data file keeps NORMAL")
    func durableAuditFile() async throws {
        try await ServerFixture.with { fixture in
            // The writer connection is the one that commits: ask it, inside a transaction.
            let levels = try await fixture.services.data.transaction { db in
                (try await db.raw("PRAGMA audit.synchronous").first()?.decode(column: "synchronous", as: Int.self),
                 try await db.raw("PRAGMA main.synchronous").first()?.decode(column: "synchronous", as: Int.self))
            }
            #expect(levels.0 == 2, "audit file: FULL")
            #expect(levels.1 == 1, "data file: NORMAL")
        }
    }
}

@Suite("Incremental verification") struct IncrementalVerificationTests {
    @Test("the page's verification walks only the entries since the last one, and starts over when that entry changed")
    func incremental() async throws {
        try await ServerFixture.with { fixture in
            let org = try await fixture.organization()
            let verification = fixture.services.verification
            let first = try await verification.verify(org: org, incremental: true)
            #expect(first.intact && first.walked == first.checked)
            let inbound = try await fixture.login("inbound@demo.test")
            for person in fixture.people.prefix(3) { _ = try await fixture.lookup(phone: person["phone"]!, as: inbound) }
            let second = try await verification.verify(org: org, incremental: true)
            #expect(second.intact)
            #expect(second.checked > first.checked)
            #expect(second.walked == second.checked - first.checked + 1, "the new entries and the one it went on from")
            // The entry it went on from is rewritten: that is the finding, named by its position.
            try await fixture.services.data.sql.raw("""
                UPDATE audit_event SET context = 'rewritten' WHERE org_id = \(bind: org.description) AND seq = \(bind: second.checked)
                """).run()
            let third = try await verification.verify(org: org, incremental: true)
            #expect(!third.intact)
            #expect(third.failure?.seq == second.checked)
        }
    }
}

@Suite("Audit batches answer each caller") struct AuditBatchOutcomeTests {
    @Test("a batch holding another organization's failing entries does not refuse this one's")
    func perCaller() async throws {
        try await ServerFixture.with { fixture in
            let services = fixture.services
            let good = try await fixture.organization()
            let bad = try await services.organizations.create(name: "Broken Chain", clock: services.clock)
            // Seed the broken organization's chain, then plant a row where its next entry must go.
            try await services.audit.append(AuditRecord(by: .system, org: bad.id, at: Date(), action: "seed"))
            let next = (try await services.auditLog.head(org: bad.id)?.seq ?? 0) + 1
            try await services.data.sql.raw("""
                INSERT INTO audit_event (org_id, seq, at, actor_kind, actor_id, action, contact_id, fields, context, prev_hash, hash)
                VALUES (\(bind: bad.id.description), \(bind: next), 0, 'system', NULL, 'planted', NULL, '', NULL, \(bind: Data([0])), \(bind: Data([0])))
                """).run()
            let outcomes = try await withThrowingTaskGroup(of: (OrganizationID, Bool).self) { group in
                for index in 0..<40 {
                    let org = index % 2 == 0 ? good : bad.id
                    group.addTask {
                        do {
                            try await services.audit.append(AuditRecord(by: .system, org: org, at: Date(), action: "probe"))
                            return (org, true)
                        } catch {
                            return (org, false)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let goodOutcomes = outcomes.filter { $0.0 == good }.map(\.1)
            let badOutcomes = outcomes.filter { $0.0 == bad.id }.map(\.1)
            #expect(goodOutcomes.count == 20 && !goodOutcomes.contains(false), "the good organization's entries were refused with the bad one's")
            #expect(badOutcomes.count == 20 && !badOutcomes.contains(true))
        }
    }
}

@Suite("The witness itself") struct WitnessLossTests {
    @Test("a witness that lost its latest lines is reported, not trusted")
    func cutWitness() async throws {
        try await ServerFixture.with { fixture in
            let inbound = try await fixture.login("inbound@demo.test")
            for round in 0..<6 { for person in fixture.people { _ = try await fixture.lookup(phone: person["phone"]!, as: inbound) }; _ = round }
            let org = try await fixture.organization()
            #expect(try await fixture.services.verification.verify(org: org).intact)
            let path = try #require(fixture.services.verification.witness?.path)
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            #expect(lines.count >= 3)
            try (lines[0] + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            let report = try await fixture.services.verification.verify(org: org)
            #expect(!report.intact)
            #expect(report.failure?.problem.contains("witness file lost entries") == true, "\(String(describing: report.failure))")
        }
    }

    @Test("a missing witness file is started again from the database's latest checkpoints, at start-up")
    func restartedWitness() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let configuration = ServerConfiguration(dataDirectory: database.directory, passwordCost: 4, auditCheckpointInterval: 5)
            let logger = Logger(label: "test")
            let first = try await GuardlineServices.open(configuration, logger: logger)
            try await DemoSeeder(first).seed(password: ServerFixture.password, contacts: 12, logger: logger)
            let org = try #require(try await first.organizations.find(named: DemoSeeder.organizationName)).id
            let last = try #require(try await first.auditLog.checkpoints(org: org).last)
            try await first.shutdown()
            let path = try #require(configuration.auditWitnessFile)
            try FileManager.default.removeItem(atPath: path)
            let again = try await GuardlineServices.open(configuration, logger: logger)
            #expect(try AuditWitness(path: path).latest(org: org)?.seq == last.seq)
            #expect(try await again.verification.verify(org: org).intact)
            try await again.shutdown()
        }
    }
}

/// A UDP socket on a free loopback port, standing in for a log host.
private final class UDPReceiver: Sendable {
    let descriptor: Int32
    let port: UInt16

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) } }
        guard descriptor >= 0, bound == 0 else { throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
        self.descriptor = descriptor
        port = UInt16(bigEndian: address.sin_port)
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// The next datagram, or nil after 200 ms without one.
    func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 2048)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        return count > 0 ? String(decoding: buffer.prefix(count), as: UTF8.self) : nil
    }

    func close() {
        #if canImport(Glibc)
        _ = Glibc.close(descriptor)
        #else
        _ = Darwin.close(descriptor)
        #endif
    }
}
