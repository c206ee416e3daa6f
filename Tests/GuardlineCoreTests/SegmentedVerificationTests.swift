import Foundation
import GuardlineCore
import Testing

/// A chain verified in two segments side by side and then joined gives the
/// same answer as one pass, tampering included (Art5_2, Art30).
@Suite("ChainVerifier in segments (Art5_2, Art30)")
struct SegmentedVerificationTests {
    let entries = AuditFixture.chain(12)

    /// Verifies entries with seq <= `split` in one verifier and the rest in a later segment, then joins them.
    func segmented(_ entries: [AuditEntry], split: Int64) -> ChainVerifier {
        var earlier = ChainVerifier(pinning: [3, 9])
        var later = earlier.laterSegment()
        for entry in entries where entry.seq <= split { earlier.check(entry) }
        for entry in entries where entry.seq > split { later.check(entry) }
        earlier.append(later)
        return earlier
    }

    func sequential(_ entries: [AuditEntry]) -> ChainVerifier {
        var verifier = ChainVerifier(pinning: [3, 9])
        for entry in entries { verifier.check(entry) }
        return verifier
    }

    @Test("an intact chain joins to the same count, last hash and pins, wherever it is split", arguments: [0, 1, 6, 11, 12])
    func intact(split: Int64) {
        let joined = segmented(entries, split: split)
        #expect(joined.failure == nil)
        #expect(joined.checked == 12)
        #expect(joined.lastHash == entries[11].hash)
        #expect(joined.pinned == sequential(entries).pinned)
    }

    @Test("an altered, deleted or re-hashed entry is reported as one pass reports it", arguments: [
        ("altered", 3), ("altered", 6), ("altered", 7), ("altered", 11),
        ("deleted", 0), ("deleted", 5), ("deleted", 6), ("deleted", 11),
        ("rehashed", 5), ("rehashed", 6), ("rehashed", 9),
    ])
    func tampered(kind: String, index: Int) {
        var tampered = entries
        switch kind {
        case "altered":
            tampered[index].record.action = "contact.export"
        case "deleted":
            tampered.remove(at: index)
        default:
            tampered[index].record.action = "contact.export"
            tampered[index].hash = AuditChain.hash(seq: tampered[index].seq, record: tampered[index].record, previous: tampered[index].previousHash)
        }
        var joined = segmented(tampered, split: 6)
        var expected = sequential(tampered)
        joined.finish(expectedHead: AuditFixture.head(of: entries))
        expected.finish(expectedHead: AuditFixture.head(of: entries))
        #expect(expected.failure != nil)
        #expect(joined.failure == expected.failure)
        #expect(joined.checked == expected.checked)
    }
}
