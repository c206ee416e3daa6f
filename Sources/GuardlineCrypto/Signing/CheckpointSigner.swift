import Crypto
import Foundation
import GuardlineCore

/// Signs audit checkpoints with Ed25519, so whoever can rewrite the audit
/// table cannot also forge the checkpoints that pin it.
public struct CheckpointSigner: Sendable {
    private let key: Curve25519.Signing.PrivateKey
    private let trusted: [Curve25519.Signing.PublicKey]

    init(key: Curve25519.Signing.PrivateKey, trusted: [Curve25519.Signing.PublicKey]) {
        self.key = key
        self.trusted = trusted
    }

    public var publicKey: [UInt8] { Array(key.publicKey.rawRepresentation) }

    public func sign(org: OrganizationID, seq: Int64, hash: [UInt8]) throws -> [UInt8] {
        Array(try key.signature(for: Self.message(org: org, seq: seq, hash: hash)))
    }

    /// Whether checkpoints signed by this public key verify here.
    public func trusts(publicKey: [UInt8]) -> Bool {
        trusted.contains { Array($0.rawRepresentation) == publicKey }
    }

    /// Whether one of the trusted keys made the signature (the current one, or the
    /// master-derived one older checkpoints were signed with).
    public func verify(_ signature: [UInt8], org: OrganizationID, seq: Int64, hash: [UInt8]) -> Bool {
        let message = Self.message(org: org, seq: seq, hash: hash)
        return trusted.contains { $0.isValidSignature(signature, for: message) }
    }

    /// Signs an erasure receipt's text (`ErasureReceipt.text`), apart from checkpoints by its prefix.
    public func sign(receipt text: String) throws -> [UInt8] {
        Array(try key.signature(for: Data(("guardline-erasure-receipt|" + text).utf8)))
    }

    /// Whether one of the trusted keys signed this receipt text.
    public func verify(_ signature: [UInt8], receipt text: String) -> Bool {
        let message = Data(("guardline-erasure-receipt|" + text).utf8)
        return trusted.contains { $0.isValidSignature(signature, for: message) }
    }

    private static func message(org: OrganizationID, seq: Int64, hash: [UInt8]) -> Data {
        Data("guardline-audit-checkpoint|\(org)|\(seq)|".utf8) + Data(hash)
    }
}
