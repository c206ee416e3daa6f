import Foundation
import GuardlineCore
import Testing

/// Tampering with the audit log is found, and at the right entry (Art5_2, Art30).
@Suite("ChainVerifier (Art5_2, Art30)")
struct ChainVerifierTests {
    let entries = AuditFixture.chain(10)

    @Test("Art30: an untouched chain of 10 entries verifies")
    func intactChain() {
        let verifier = AuditFixture.verify(entries, head: AuditFixture.head(of: entries))
        #expect(verifier.failure == nil)
        #expect(verifier.checked == 10)
        #expect(verifier.lastHash == entries[9].hash)
    }

    @Test("An empty chain with no recorded head verifies")
    func emptyChain() {
        let verifier = AuditFixture.verify([], head: nil)
        #expect(verifier.failure == nil)
        #expect(verifier.checked == 0)
        #expect(verifier.lastHash == AuditChain.genesis)
    }

    @Test("Art5_2: altering one entry's content is reported at that entry", arguments: [
        "action", "fields", "context", "time", "actor", "contact",
    ])
    func alteredEntry(part: String) throws {
        var tampered = entries
        var record = tampered[3].record
        switch part {
        case "action": record.action = "contact.export"
        case "fields": record.fields = ["name"]
        case "context": record.context = "reason:routine"
        case "time": record.at = record.at.addingTimeInterval(-3600)
        case "actor": record.actorID = "user-other"
        case "contact": record.contactID = ContactID.make(at: Fixture.date)
        default: Issue.record("unknown part \(part)")
        }
        tampered[3].record = record
        let verifier = AuditFixture.verify(tampered, head: AuditFixture.head(of: entries))
        let failure = try #require(verifier.failure)
        #expect(failure.seq == 4)
        #expect(failure.problem.contains("altered"))
        #expect(verifier.checked == 3)
    }

    @Test("Art5_2: re-hashing an altered entry breaks the link from the next one")
    func rehashedEntry() throws {
        var tampered = entries
        tampered[3].record.action = "contact.export"
        tampered[3].hash = AuditChain.hash(seq: 4, record: tampered[3].record, previous: tampered[3].previousHash)
        let failure = try #require(AuditFixture.verify(tampered, head: AuditFixture.head(of: entries)).failure)
        #expect(failure.seq == 5)
        #expect(failure.problem.contains("does not link"))
    }

    @Test("Art5_2: re-hashing the whole tail is caught by the recorded head")
    func rewrittenTail() throws {
        var records = entries.map(\.record)
        records[6].action = "contact.export"
        let rewritten = Array(entries.prefix(6))
            + AuditChain.link(Array(records[6...]), after: (seq: 6, hash: entries[5].hash))
        var verifier = ChainVerifier()
        for entry in rewritten {
            let linked = verifier.check(entry)
            #expect(linked)
        }
        verifier.finish(expectedHead: AuditFixture.head(of: entries))
        #expect(verifier.failure != nil)
    }

    @Test("Art5_2: a deleted entry is reported missing at its seq", arguments: [0, 4, 8])
    func deletedEntry(index: Int) throws {
        var tampered = entries
        tampered.remove(at: index)
        let failure = try #require(AuditFixture.verify(tampered, head: AuditFixture.head(of: entries)).failure)
        #expect(failure.seq == Int64(index + 1))
        #expect(failure.problem.contains("missing"))
        #expect(failure.description.hasPrefix("entry \(index + 1):"))
    }

    @Test("Art5_2: two swapped entries are detected at the first swapped position")
    func swappedEntries() throws {
        var tampered = entries
        tampered.swapAt(2, 6)
        let verifier = AuditFixture.verify(tampered, head: AuditFixture.head(of: entries))
        #expect(try #require(verifier.failure).seq == 3)
        #expect(verifier.checked == 2)
    }

    @Test("Art5_2: swapped records renumbered into place are detected at the first swapped position")
    func swappedAndRenumbered() throws {
        var tampered = entries
        tampered.swapAt(2, 3)
        tampered[2].seq = 3
        tampered[3].seq = 4
        let failure = try #require(AuditFixture.verify(tampered, head: AuditFixture.head(of: entries)).failure)
        #expect(failure.seq == 3)
        #expect(failure.problem.contains("does not link"))
    }

    @Test("Art5_2: an entry replayed out of order is reported")
    func replayedEntry() throws {
        let tampered = Array(entries.prefix(3)) + [entries[1]] + Array(entries.dropFirst(3))
        let failure = try #require(AuditFixture.verify(tampered, head: AuditFixture.head(of: entries)).failure)
        #expect(failure.problem.contains("out of order"))
        #expect(failure.seq == 2)
    }

    @Test("Art5_2: a truncated tail is detected by the recorded head", arguments: [1, 3, 10])
    func truncatedTail(removed: Int) throws {
        let truncated = Array(entries.dropLast(removed))
        var verifier = ChainVerifier()
        for entry in truncated {
            let linked = verifier.check(entry)
            #expect(linked)
        }
        #expect(verifier.failure == nil, "every remaining link is fine on its own")
        verifier.finish(expectedHead: AuditFixture.head(of: entries))
        let failure = try #require(verifier.failure)
        #expect(failure.seq == Int64(10 - removed + 1))
        #expect(failure.problem.contains("removed from the end"))
    }

    @Test("Without a recorded head, finishing adds no failure")
    func finishWithoutHead() {
        #expect(AuditFixture.verify(Array(entries.prefix(5)), head: nil).failure == nil)
    }

    @Test("After the first failure the verifier stops checking")
    func stopsAtFirstFailure() {
        var tampered = entries
        tampered[1].record.action = "contact.export"
        var verifier = ChainVerifier()
        let results = tampered.map { verifier.check($0) }
        #expect(results == [true] + Array(repeating: false, count: 9))
        #expect(verifier.failure?.seq == 2)
        verifier.finish(expectedHead: AuditFixture.head(of: entries))
        #expect(verifier.failure?.seq == 2, "finish keeps the first failure")
    }
}
