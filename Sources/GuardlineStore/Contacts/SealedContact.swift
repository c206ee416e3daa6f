import Foundation
import GuardlineCore

/// A contact as the store holds it: every personal field sealed (encrypted)
/// by the caller. The store never sees plaintext.
public struct SealedContact: Sendable, Equatable {
    public var id: ContactID
    public var orgID: OrganizationID
    /// Assigned by the store when the contact is inserted.
    public var reference: ContactReference?
    public var fields: [FieldKey: [UInt8]]
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: ContactID, orgID: OrganizationID, reference: ContactReference? = nil, fields: [FieldKey: [UInt8]], createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.reference = reference
        self.orgID = orgID
        self.fields = fields
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A blind-index entry: the kind of value and its keyed hash.
public struct IndexTerm: Sendable, Hashable {
    public var kind: String
    public var hash: [UInt8]

    public init(kind: String, hash: [UInt8]) {
        self.kind = kind
        self.hash = hash
    }
}

/// The column format of sealed fields: for each field a 1-byte key length,
/// the key, a 4-byte ciphertext length and the ciphertext. One row per
/// contact keeps a screen pop to one indexed read.
enum SealedFieldsCodec {
    static func encode(_ fields: [FieldKey: [UInt8]]) -> Data {
        var out = Data()
        for (key, bytes) in fields.sorted(by: { $0.key < $1.key }) {
            let keyBytes = Array(key.rawValue.utf8.prefix(255))
            out.append(UInt8(keyBytes.count))
            out.append(contentsOf: keyBytes)
            withUnsafeBytes(of: UInt32(bytes.count).bigEndian) { out.append(contentsOf: $0) }
            out.append(contentsOf: bytes)
        }
        return out
    }

    static func decode(_ data: Data) throws -> [FieldKey: [UInt8]] {
        try data.withUnsafeBytes { try decode($0) }
    }

    /// Decodes the column's bytes where they lie (in SQLite's row, or in `Data`).
    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> [FieldKey: [UInt8]] {
        // Sized for a typical contact up front, rather than regrown field by field.
        var fields = [FieldKey: [UInt8]](minimumCapacity: 8)
        var index = 0
        func take(_ count: Int) throws -> UnsafeRawBufferPointer {
            guard count >= 0, index + count <= bytes.count else {
                throw GuardlineError(.unavailable, "A contact row's sealed fields are truncated.")
            }
            defer { index += count }
            return UnsafeRawBufferPointer(rebasing: bytes[index..<index + count])
        }
        while index < bytes.count {
            let keyLength = Int(try take(1)[0])
            let key = String(decoding: try take(keyLength), as: UTF8.self)
            let length = try take(4).reduce(0) { $0 << 8 | Int($1) }
            fields[FieldKey(key)] = Array(try take(length))
        }
        return fields
    }
}
