import Crypto
import Foundation

/// The SHA-256 hash chain over audit entries. Each hash covers the previous
/// hash and an unambiguous encoding of the entry, so altering, removing or
/// reordering any entry breaks every link after it.
public enum AuditChain {
    public static let genesis = [UInt8](repeating: 0, count: 32)

    /// The hash of `record` at position `seq`, chained to `previous`.
    public static func hash(seq: Int64, record: AuditRecord, previous: [UInt8]) -> [UInt8] {
        var buffer: [UInt8] = []
        return Array(digest(seq: seq, record: record, previous: previous, buffer: &buffer))
    }

    static func digest(seq: Int64, record: AuditRecord, previous: [UInt8], buffer: inout [UInt8]) -> SHA256.Digest {
        digest(
            seq: seq, org: record.orgID.description.utf8, atMillis: Int64(record.at.timeIntervalSince1970 * 1000),
            actorKind: record.actorKind.rawValue.utf8, actorID: record.actorID?.utf8, action: record.action.utf8,
            contact: record.contactID?.description.utf8, fields: record.fields.lazy.map(\.utf8), fieldCount: record.fields.count,
            context: record.context?.utf8, previous: previous, buffer: &buffer)
    }

    /// The one encoding of an entry: the previous hash, then every part length-prefixed
    /// (ids as lowercase text, times as Unix milliseconds). Generic over how the text is
    /// held, so the writer hashes records and the verifier hashes stored bytes alike.
    /// `buffer` is scratch space, reused across calls by the verifier.
    @inlinable
    public static func digest<Text: Collection<UInt8>, Field: Collection<UInt8>>(
        seq: Int64, org: Text, atMillis: Int64, actorKind: Text, actorID: Text?, action: Text, contact: Text?,
        fields: some Sequence<Field>, fieldCount: Int, context: Text?, previous: some Collection<UInt8>, buffer: inout [UInt8]
    ) -> SHA256.Digest {
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: previous)
        append(UInt64(bitPattern: seq), to: &buffer)
        append(org, to: &buffer)
        append(UInt64(bitPattern: atMillis), to: &buffer)
        append(actorKind, to: &buffer)
        append(optional: actorID, to: &buffer)
        append(action, to: &buffer)
        append(optional: contact, to: &buffer)
        append(UInt64(fieldCount), to: &buffer)
        for field in fields { append(field, to: &buffer) }
        append(optional: context, to: &buffer)
        return SHA256.hash(data: buffer)
    }

    /// Links records after `head` into entries.
    public static func link(_ records: [AuditRecord], after head: (seq: Int64, hash: [UInt8])) -> [AuditEntry] {
        var seq = head.seq
        var previous = head.hash
        return records.map { record in
            seq += 1
            let hash = hash(seq: seq, record: record, previous: previous)
            defer { previous = hash }
            return AuditEntry(seq: seq, record: record, previousHash: previous, hash: hash)
        }
    }

    @usableFromInline
    static func append(_ value: UInt64, to buffer: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
    }

    /// A presence byte first, so an absent value and an empty one hash differently.
    @usableFromInline
    static func append(optional value: (some Collection<UInt8>)?, to buffer: inout [UInt8]) {
        guard let value else {
            buffer.append(0)
            return
        }
        buffer.append(1)
        append(value, to: &buffer)
    }

    @usableFromInline
    static func append(_ bytes: some Collection<UInt8>, to buffer: inout [UInt8]) {
        append(UInt64(bytes.count), to: &buffer)
        buffer.append(contentsOf: bytes)
    }
}
