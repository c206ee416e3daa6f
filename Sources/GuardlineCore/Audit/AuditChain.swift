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
        // The ids' text is lent from the stack: the writer hashes two per entry.
        record.orgID.withASCII { org in
            func digest(contact: UnsafeRawBufferPointer?) -> SHA256.Digest {
                AuditChain.digest(
                    seq: seq, org: org, atMillis: Int64(record.at.timeIntervalSince1970 * 1000),
                    actorKind: record.actorKind.rawValue.utf8, actorID: record.actorID?.utf8, action: record.action.utf8,
                    contact: contact, fields: record.fields.lazy.map(\.utf8), fieldCount: record.fields.count,
                    fieldBytes: record.fields.reduce(0) { $0 + $1.utf8.count }, context: record.context?.utf8,
                    previous: previous, buffer: &buffer)
            }
            return record.contactID.map { $0.withASCII { digest(contact: $0) } } ?? digest(contact: nil)
        }
    }

    /// The one encoding of an entry: the previous hash, then every part length-prefixed
    /// (ids as lowercase text, times as Unix milliseconds). Generic over how the text is
    /// held, so the writer hashes records and the verifier hashes stored bytes alike.
    /// `fieldCount` and `fieldBytes` (the names' total length) size the encoding up front,
    /// which is written straight into `buffer`, scratch space the verifier reuses.
    @inlinable
    public static func digest<Text: Collection<UInt8>, ID: Collection<UInt8>, Field: Collection<UInt8>>(
        seq: Int64, org: ID, atMillis: Int64, actorKind: Text, actorID: Text?, action: Text, contact: ID?,
        fields: some Sequence<Field>, fieldCount: Int, fieldBytes: Int, context: Text?, previous: some Collection<UInt8>,
        buffer: inout [UInt8]
    ) -> SHA256.Digest {
        func sized(_ count: Int?) -> Int { count.map { 9 + $0 } ?? 1 }
        let size = previous.count + 8 + (8 + org.count) + 8 + (8 + actorKind.count) + sized(actorID?.count) + (8 + action.count)
            + sized(contact?.count) + 8 + 8 * fieldCount + fieldBytes + sized(context?.count)
        if buffer.count < size { buffer = [UInt8](repeating: 0, count: max(size, 512)) }
        return buffer.withUnsafeMutableBytes { raw in
            var out = EncodingCursor(raw.baseAddress!)
            out.write(bytes: previous)
            out.write(UInt64(bitPattern: seq))
            out.write(text: org)
            out.write(UInt64(bitPattern: atMillis))
            out.write(text: actorKind)
            out.write(optional: actorID)
            out.write(text: action)
            out.write(optional: contact)
            out.write(UInt64(fieldCount))
            var names = 0
            for field in fields {
                out.write(text: field)
                names += 1
            }
            out.write(optional: context)
            precondition(out.offset == size && names == fieldCount, "The audit entry's size was miscounted.")
            return SHA256.hash(data: UnsafeRawBufferPointer(rebasing: raw[0..<size]))
        }
    }

    /// Writes the encoding into memory sized for it beforehand.
    @usableFromInline
    struct EncodingCursor {
        @usableFromInline let base: UnsafeMutableRawPointer
        @usableFromInline var offset = 0

        @inlinable init(_ base: UnsafeMutableRawPointer) { self.base = base }

        @inlinable mutating func write(_ value: UInt64) {
            base.storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt64.self)
            offset += 8
        }

        @inlinable mutating func write(bytes: some Collection<UInt8>) {
            let count = bytes.count
            let copied: Void? = bytes.withContiguousStorageIfAvailable { source in
                if count > 0 { (base + offset).copyMemory(from: source.baseAddress!, byteCount: count) }
            }
            if copied == nil {
                for (index, byte) in bytes.enumerated() { base.storeBytes(of: byte, toByteOffset: offset + index, as: UInt8.self) }
            }
            offset += count
        }

        /// Length-prefixed.
        @inlinable mutating func write(text: some Collection<UInt8>) {
            write(UInt64(text.count))
            write(bytes: text)
        }

        /// A presence byte first, so an absent value and an empty one hash differently.
        @inlinable mutating func write(optional text: (some Collection<UInt8>)?) {
            guard let text else {
                base.storeBytes(of: 0, toByteOffset: offset, as: UInt8.self)
                offset += 1
                return
            }
            base.storeBytes(of: 1, toByteOffset: offset, as: UInt8.self)
            offset += 1
            write(text: text)
        }
    }

    /// Links records after `head` into entries.
    public static func link(_ records: [AuditRecord], after head: (seq: Int64, hash: [UInt8])) -> [AuditEntry] {
        var seq = head.seq
        var previous = head.hash
        var buffer: [UInt8] = []
        return records.map { record in
            seq += 1
            let hash = digest(seq: seq, record: record, previous: previous, buffer: &buffer).withUnsafeBytes { Array($0) }
            defer { previous = hash }
            return AuditEntry(seq: seq, record: record, previousHash: previous, hash: hash)
        }
    }
}
