import Crypto
import Foundation
import GuardlineCore

/// HMAC-SHA256 over a normalized value, for exact lookups (caller ID, email,
/// name tokens) without plaintext in the database. The organization and the
/// kind of value are part of the input, so equal values in two tenants, or a
/// phone equal to some token, never share an index entry.
public struct BlindIndex: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case phone
        case email
        case nameToken = "name"
        /// A PBX's call id: kept as its hash, so the database cannot be joined to call records after an erasure.
        case call
    }

    /// HMAC with the key already absorbed: each hash starts from a copy of it,
    /// which saves hashing the padded key twice per lookup.
    private let keyed: HMAC<SHA256>

    init(key: SymmetricKey) { keyed = HMAC<SHA256>(key: key) }

    public func hash(_ kind: Kind, _ normalized: String, org: OrganizationID) -> [UInt8] {
        var mac = keyed
        var input = "\(org)|\(kind.rawValue)|\(normalized)"
        input.withUTF8 { mac.update(data: UnsafeRawBufferPointer($0)) }
        return mac.finalize().withUnsafeBytes { Array($0) }
    }

    /// The index terms of a contact's fields (values already normalized by `ContactFieldRules`).
    public func terms(for fields: [FieldKey: String], org: OrganizationID) -> [(kind: Kind, hash: [UInt8])] {
        var terms: [(Kind, [UInt8])] = []
        if let phone = fields[.phone] { terms.append((.phone, hash(.phone, phone, org: org))) }
        if let email = fields[.email] { terms.append((.email, hash(.email, email, org: org))) }
        if let name = fields[.name] {
            for token in NameTokens.of(name) { terms.append((.nameToken, hash(.nameToken, token, org: org))) }
        }
        return terms
    }
}
