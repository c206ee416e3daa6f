import Crypto
import Foundation
import GuardlineCore

/// Signs audit checkpoints with Ed25519, so whoever can rewrite the audit
/// table cannot also forge the checkpoints that pin it.
public struct CheckpointSigner: Sendable {
    private let key: Curve25519.Signing.PrivateKey

    init(key: Curve25519.Signing.PrivateKey) { self.key = key }

    public var publicKey: [UInt8] { Array(key.publicKey.rawRepresentation) }

    public func sign(org: OrganizationID, seq: Int64, hash: [UInt8]) throws -> [UInt8] {
        Array(try key.signature(for: Self.message(org: org, seq: seq, hash: hash)))
    }

    public func verify(_ signature: [UInt8], org: OrganizationID, seq: Int64, hash: [UInt8]) -> Bool {
        key.publicKey.isValidSignature(signature, for: Self.message(org: org, seq: seq, hash: hash))
    }

    private static func message(org: OrganizationID, seq: Int64, hash: [UInt8]) -> Data {
        Data("guardline-audit-checkpoint|\(org)|\(seq)|".utf8) + Data(hash)
    }
}
