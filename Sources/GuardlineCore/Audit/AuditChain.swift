import Crypto
import Foundation

/// The SHA-256 hash chain over audit entries. Each hash covers the previous
/// hash and an unambiguous encoding of the entry, so altering, removing or
/// reordering any entry breaks every link after it.
public enum AuditChain {
    public static let genesis = [UInt8](repeating: 0, count: 32)

    /// The hash of `record` at position `seq`, chained to `previous`.
    public static func hash(seq: Int64, record: AuditRecord, previous: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: previous)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(192)
        append(UInt64(bitPattern: seq), to: &buffer)
        append(ascii: record.orgID.uuid.lowercasedASCII, to: &buffer)
        append(UInt64(bitPattern: Int64(record.at.timeIntervalSince1970 * 1000)), to: &buffer)
        append(record.actorKind.rawValue, to: &buffer)
        append(optional: record.actorID, to: &buffer)
        append(record.action, to: &buffer)
        if let contact = record.contactID {
            buffer.append(1)
            append(ascii: contact.uuid.lowercasedASCII, to: &buffer)
        } else {
            buffer.append(0)
        }
        append(UInt64(record.fields.count), to: &buffer)
        for field in record.fields { append(field, to: &buffer) }
        append(optional: record.context, to: &buffer)
        hasher.update(data: buffer)
        return Array(hasher.finalize())
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

    private static func append(_ value: UInt64, to buffer: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
    }

    /// A presence byte first, so an absent value and an empty one hash differently.
    private static func append(optional value: String?, to buffer: inout [UInt8]) {
        guard let value else {
            buffer.append(0)
            return
        }
        buffer.append(1)
        append(value, to: &buffer)
    }

    private static func append(ascii bytes: [UInt8], to buffer: inout [UInt8]) {
        append(UInt64(bytes.count), to: &buffer)
        buffer.append(contentsOf: bytes)
    }

    private static func append(_ value: String, to buffer: inout [UInt8]) {
        let utf8 = value.utf8
        append(UInt64(utf8.count), to: &buffer)
        buffer.append(contentsOf: utf8)
    }
}
