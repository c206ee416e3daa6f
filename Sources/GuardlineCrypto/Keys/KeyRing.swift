import Crypto
import Foundation
import GuardlineCore

/// The keys derived from the master key, one per job (HKDF-SHA256 with a
/// distinct label each), so no key is ever used for two purposes.
public struct KeyRing: Sendable {
    /// Identifies the master key in wrapped keys, so a rotation can tell old from new.
    public let masterKeyID: UInt32
    let wrappingKey: SymmetricKey
    /// Built once: it keeps the HMAC state keyed in advance (see `BlindIndex`).
    public let blindIndex: BlindIndex
    let tokenKey: SymmetricKey
    public let signingKey: Curve25519.Signing.PrivateKey

    public init(master: SymmetricKey) {
        func derive(_ label: String) -> SymmetricKey {
            HKDF<SHA256>.deriveKey(
                inputKeyMaterial: master, salt: Data("guardline".utf8), info: Data(label.utf8), outputByteCount: 32)
        }
        let fingerprint = SHA256.hash(data: derive("key-id").withUnsafeBytes { Data($0) })
        masterKeyID = fingerprint.withUnsafeBytes { $0.prefix(4).reduce(0) { $0 << 8 | UInt32($1) } }
        wrappingKey = derive("subject-key-wrapping/v1")
        blindIndex = BlindIndex(key: derive("blind-index/v1"))
        tokenKey = derive("api-token/v1")
        signingKey = try! Curve25519.Signing.PrivateKey(rawRepresentation: derive("audit-signing/v1").withUnsafeBytes { Data($0) })
    }

    public init(provider: some KeyProvider) throws { self.init(master: try provider.masterKey()) }

    public var tokenHasher: TokenHasher { TokenHasher(key: tokenKey) }
    public var checkpointSigner: CheckpointSigner { CheckpointSigner(key: signingKey) }
}
