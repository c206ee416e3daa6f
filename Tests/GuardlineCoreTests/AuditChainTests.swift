import Foundation
import GuardlineCore
import Testing

/// The hash chain that makes the audit log tamper-evident (Art5_2, Art30).
@Suite("AuditChain (Art5_2, Art30)")
struct AuditChainTests {
    @Test("Genesis is 32 zero bytes")
    func genesis() {
        #expect(AuditChain.genesis == [UInt8](repeating: 0, count: 32))
    }

    @Test("Linking numbers entries after the head and chains each to the one before")
    func linkChains() {
        let entries = AuditFixture.chain(10)
        #expect(entries.map(\.seq) == Array(1...10))
        #expect(entries[0].previousHash == AuditChain.genesis)
        for (before, after) in zip(entries, entries.dropFirst()) {
            #expect(after.previousHash == before.hash)
        }
        for entry in entries {
            #expect(entry.hash.count == 32)
            #expect(entry.hash == AuditChain.hash(seq: entry.seq, record: entry.record, previous: entry.previousHash))
        }
        #expect(Set(entries.map(\.hash)).count == 10)
    }

    @Test("Linking continues from a given head")
    func linkAfterHead() {
        let first = AuditFixture.chain(3)
        let more = AuditChain.link(AuditFixture.records(2), after: (seq: 3, hash: first[2].hash))
        #expect(more.map(\.seq) == [4, 5])
        #expect(more[0].previousHash == first[2].hash)
    }

    @Test("Hashing is deterministic")
    func deterministic() {
        let record = AuditFixture.record(1)
        #expect(AuditChain.hash(seq: 1, record: record, previous: AuditChain.genesis)
            == AuditChain.hash(seq: 1, record: record, previous: AuditChain.genesis))
    }

    @Test("Art5_2: changing any part of an entry changes its hash", arguments: [
        "seq", "previous", "orgID", "at", "actorKind", "actorID", "actorID nil", "action", "contactID", "contactID nil",
        "fields", "fields order", "fields split", "context", "context nil",
    ])
    func hashCoversEveryField(change: String) {
        let record = AuditFixture.record(1)
        let original = AuditChain.hash(seq: 1, record: record, previous: AuditChain.genesis)
        var seq: Int64 = 1
        var previous = AuditChain.genesis
        var altered = record
        switch change {
        case "seq": seq = 2
        case "previous": previous[31] = 1
        case "orgID": altered.orgID = Fixture.otherOrg
        case "at": altered.at = record.at.addingTimeInterval(0.001)
        case "actorKind": altered.actorKind = .token
        case "actorID": altered.actorID = "user-9"
        case "actorID nil": altered.actorID = nil
        case "action": altered.action = "contact.reveal"
        case "contactID": altered.contactID = ContactID.make(at: Fixture.date)
        case "contactID nil": altered.contactID = nil
        case "fields": altered.fields = ["name", "phone"]
        case "fields order": altered.fields = ["phone:masked", "name"]
        case "fields split": altered.fields = ["namephone:masked"]
        case "context": altered.context = "lookup:email"
        case "context nil": altered.context = nil
        default: Issue.record("unknown change \(change)")
        }
        #expect(AuditChain.hash(seq: seq, record: altered, previous: previous) != original)
    }

    @Test("Art5_2: moving text between adjacent fields changes the hash")
    func encodingIsLengthPrefixed() {
        var a = AuditFixture.record(1)
        a.action = "contact.read"
        a.actorID = "user-1"
        var b = a
        b.actorID = "user-1contact"
        b.action = ".read"
        #expect(AuditChain.hash(seq: 1, record: a, previous: AuditChain.genesis)
            != AuditChain.hash(seq: 1, record: b, previous: AuditChain.genesis))
    }

    @Test("Art5_2: an absent actor and an empty actor id hash differently")
    func nilAndEmptyDiffer() {
        var withNil = AuditFixture.record(1)
        withNil.actorID = nil
        withNil.context = nil
        var withEmpty = withNil
        withEmpty.actorID = ""
        withEmpty.context = ""
        #expect(AuditChain.hash(seq: 1, record: withNil, previous: AuditChain.genesis)
            != AuditChain.hash(seq: 1, record: withEmpty, previous: AuditChain.genesis))
    }
}
