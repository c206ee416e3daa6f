import Foundation
import GuardlineCore
import Testing

/// Verification from stored bytes (how `guardline audit verify` reads SQLite)
/// agrees with verification from records, and still finds tampering (Art5_2, Art30).
@Suite("ChainVerifier on stored bytes (Art5_2, Art30)")
struct StoredEntryVerificationTests {
    let entries = AuditFixture.chain(10)

    /// An entry's columns as the audit table stores them (text as UTF-8, ids lowercase).
    struct StoredRow {
        var seq: Int64
        var at: Int64
        var columns: [String: [UInt8]?]

        init(_ entry: AuditEntry) {
            let record = entry.record
            seq = entry.seq
            at = Int64(record.at.timeIntervalSince1970 * 1000)
            columns = [
                "actor_kind": Array(record.actorKind.rawValue.utf8), "actor_id": record.actorID.map { Array($0.utf8) },
                "action": Array(record.action.utf8), "contact_id": record.contactID.map { Array($0.description.utf8) },
                "fields": Array(record.fields.joined(separator: ",").utf8), "context": record.context.map { Array($0.utf8) },
                "prev_hash": entry.previousHash, "hash": entry.hash,
            ]
        }

        /// Lays the columns out in one buffer and hands the verifier views into it, as a database cursor would.
        func check(into verifier: inout ChainVerifier, org: OrganizationID) -> Bool {
            var buffer: [UInt8] = []
            var ranges: [String: Range<Int>] = [:]
            for (name, value) in columns {
                guard let value else { continue }
                ranges[name] = buffer.count..<(buffer.count + value.count)
                buffer += value
            }
            let orgText = Array(org.description.utf8)
            return buffer.withUnsafeBytes { bytes in
                orgText.withUnsafeBytes { orgBytes in
                    func column(_ name: String) -> UnsafeRawBufferPointer? {
                        ranges[name].map { UnsafeRawBufferPointer(rebasing: bytes[$0]) }
                    }
                    return verifier.check(ChainVerifier.StoredEntry(
                        seq: seq, atMillis: at, actorKind: column("actor_kind")!, actorID: column("actor_id"),
                        action: column("action")!, contactID: column("contact_id"), fields: column("fields")!,
                        context: column("context"), previousHash: column("prev_hash")!, hash: column("hash")!
                    ), org: orgBytes)
                }
            }
        }
    }

    func verify(_ rows: [StoredRow], pinning pins: Set<Int64> = []) -> ChainVerifier {
        var verifier = ChainVerifier(pinning: pins)
        for row in rows where !row.check(into: &verifier, org: Fixture.org) { break }
        return verifier
    }

    @Test("an intact chain verifies from stored bytes exactly as from records, pins included")
    func agreesWithRecords() {
        let fromBytes = verify(entries.map(StoredRow.init), pinning: [4, 10])
        var fromRecords = ChainVerifier(pinning: [4, 10])
        for entry in entries { fromRecords.check(entry) }
        #expect(fromBytes.failure == nil)
        #expect(fromBytes.checked == 10)
        #expect(fromBytes.lastHash == fromRecords.lastHash)
        #expect(fromBytes.pinned == fromRecords.pinned)
        #expect(fromBytes.pinned[4] == entries[3].hash)
    }

    @Test("a changed byte in any stored column is reported at its entry", arguments: [
        "actor_kind", "actor_id", "action", "contact_id", "fields", "context", "hash",
    ])
    func alteredColumn(column: String) throws {
        var rows = entries.map(StoredRow.init)
        var value = try #require(rows[5].columns[column] ?? nil)
        value[0] ^= 0x20
        rows[5].columns[column] = value
        let verifier = verify(rows)
        #expect(verifier.failure?.seq == 6)
        #expect(verifier.checked == 5)
    }

    @Test("an altered time, a cleared context or a broken link is reported at its entry")
    func alteredScalars() {
        var rows = entries.map(StoredRow.init)
        rows[2].at += 1
        #expect(verify(rows).failure?.seq == 3)

        rows = entries.map(StoredRow.init)
        rows[7].columns["context"] = .some(nil)
        #expect(verify(rows).failure?.seq == 8)

        rows = entries.map(StoredRow.init)
        rows.swapAt(3, 4)
        #expect(verify(rows).failure?.seq == 4)
    }
}
