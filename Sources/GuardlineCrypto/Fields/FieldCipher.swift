import Crypto
import Foundation
import GuardlineCore

/// Seals single contact fields with AES-256-GCM under the contact's key.
///
/// The additional authenticated data names the organization, the contact and
/// the field, so a ciphertext copied into another row or field fails to open.
/// Format: 0x01, key version (4 bytes), nonce (12), ciphertext, tag (16);
/// the header is authenticated too, so it cannot be altered unnoticed.
public struct FieldCipher: Sendable {
    public let org: OrganizationID
    public let contact: ContactID
    private let subjectKey: SubjectKey
    /// `field|org|contact|`, the part of every field's AAD that names the row, built once per contact.
    private let aadPrefix: [UInt8]

    public init(key: SubjectKey, org: OrganizationID, contact: ContactID) {
        self.subjectKey = key
        self.org = org
        self.contact = contact
        self.aadPrefix = rowBinding("field", org: org, contact: contact, reserving: 0)
    }

    public func seal(_ value: String, field: FieldKey) throws -> [UInt8] {
        let header = [UInt8(1)] + bigEndian(subjectKey.version)
        let box = try withAAD(field, header: header) { aad in
            try AES.GCM.seal(Data(value.utf8), using: subjectKey.key, authenticating: aad)
        }
        guard let combined = box.combined else { throw CipherError.malformed }
        return header + combined
    }

    public func open(_ bytes: [UInt8], field: FieldKey) throws -> String {
        guard bytes.count >= 5 + 28, bytes[0] == 1 else { throw CipherError.malformed }
        do {
            let box = try AES.GCM.SealedBox(combined: bytes[5...])
            let plain = try withAAD(field, header: bytes[0..<5]) { aad in
                try AES.GCM.open(box, using: subjectKey.key, authenticating: aad)
            }
            return String(decoding: plain, as: UTF8.self)
        } catch {
            throw CipherError.authenticationFailed
        }
    }

    /// The field's AAD, `field|org|contact|<name>|<header>`, written on the stack: a
    /// screen pop opens several fields, each with its own.
    private func withAAD<R>(_ field: FieldKey, header: some Collection<UInt8>, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let size = aadPrefix.count + field.rawValue.utf8.count + 1 + header.count
        return try withUnsafeTemporaryAllocation(byteCount: size, alignment: 1) { aad in
            var offset = 0
            func append(_ bytes: some Collection<UInt8>) {
                UnsafeMutableRawBufferPointer(rebasing: aad[offset...]).copyBytes(from: bytes)
                offset += bytes.count
            }
            append(aadPrefix)
            append(field.rawValue.utf8)
            append(CollectionOfOne(UInt8(ascii: "|")))
            append(header)
            return try body(UnsafeRawBufferPointer(aad))
        }
    }
}
