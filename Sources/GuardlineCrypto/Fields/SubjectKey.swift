import Crypto
import Foundation
import GuardlineCore

/// A contact's own data key. Every personal field of the contact is sealed
/// under it; destroying it (crypto-shredding) makes every copy of those
/// fields unreadable, backups included.
public struct SubjectKey: Sendable {
    public let version: UInt32
    let key: SymmetricKey

    public static func generate() -> SubjectKey { SubjectKey(version: 1, key: SymmetricKey(size: .bits256)) }

    /// Seals the key under the ring's wrapping key, bound to its org and contact.
    /// Format: 0x01, master key id (4 bytes), key version (4 bytes), AES-GCM combined box;
    /// the header is authenticated with the key.
    public func wrapped(by ring: KeyRing, org: OrganizationID, contact: ContactID) throws -> [UInt8] {
        let header = [UInt8(1)] + bigEndian(ring.masterKeyID) + bigEndian(version)
        let sealed = try key.withUnsafeBytes { raw in
            try AES.GCM.seal(Data(raw), using: ring.wrappingKey, authenticating: Self.aad(org: org, contact: contact, header: header))
        }
        guard let combined = sealed.combined else { throw CipherError.malformed }
        return header + combined
    }

    public static func unwrap(_ bytes: [UInt8], by ring: KeyRing, org: OrganizationID, contact: ContactID) throws -> SubjectKey {
        guard bytes.count > 9 + 28, bytes[0] == 1 else { throw CipherError.malformed }
        let keyID = bytes[1..<5].reduce(0) { $0 << 8 | UInt32($1) }
        guard keyID == ring.masterKeyID else { throw CipherError.wrongMasterKey }
        let version = bytes[5..<9].reduce(0) { $0 << 8 | UInt32($1) }
        do {
            let box = try AES.GCM.SealedBox(combined: bytes[9...])
            let raw = try AES.GCM.open(box, using: ring.wrappingKey, authenticating: aad(org: org, contact: contact, header: bytes[0..<9]))
            return SubjectKey(version: version, key: SymmetricKey(data: raw))
        } catch {
            throw CipherError.authenticationFailed
        }
    }

    private static func aad(org: OrganizationID, contact: ContactID, header: some Collection<UInt8>) -> [UInt8] {
        var aad = rowBinding("subject-key", org: org, contact: contact, reserving: header.count)
        aad.append(contentsOf: header)
        return aad
    }
}

func bigEndian(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }

/// `label|org|contact|` as bytes: how every AAD starts that binds a ciphertext to
/// its row. Written from the ids' bytes, without building strings, since a screen
/// pop makes one for the key and one for the fields; `reserving` leaves room for the rest.
func rowBinding(_ label: String, org: OrganizationID, contact: ContactID, reserving extra: Int) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(label.utf8.count + 2 * 37 + 1 + extra)
    bytes.append(contentsOf: label.utf8)
    bytes.append(UInt8(ascii: "|"))
    org.withASCII { bytes.append(contentsOf: $0) }
    bytes.append(UInt8(ascii: "|"))
    contact.withASCII { bytes.append(contentsOf: $0) }
    bytes.append(UInt8(ascii: "|"))
    return bytes
}

/// Why a ciphertext could not be opened. Carries no data.
public enum CipherError: Error, Sendable, CustomStringConvertible {
    case malformed
    case wrongMasterKey
    case authenticationFailed

    public var description: String {
        switch self {
        case .malformed: "The ciphertext is not in a format Guardline wrote."
        case .wrongMasterKey: "The data was sealed under a different master key; check GUARDLINE_MASTER_KEY_FILE."
        case .authenticationFailed: "The ciphertext failed authentication: it was altered or belongs to another row."
        }
    }
}
