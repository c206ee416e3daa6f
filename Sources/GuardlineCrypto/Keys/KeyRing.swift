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
    let staffSecretKey: SymmetricKey
    /// Signs audit checkpoints: the audit signing key when one is given, else (tests,
    /// benchmarks, chains from before it existed) a key derived from the master key.
    public let signingKey: Curve25519.Signing.PrivateKey
    /// Public keys whose checkpoints verify: the signing key's and, only on installs with
    /// checkpoints signed before it had a file of its own, the derived one's.
    let trustedSigningKeys: [Curve25519.Signing.PublicKey]
    /// Stored with the data (`key_check`): tells at start-up whether this master key
    /// is the one the data was written with. A hash of a derived key, so it gives
    /// nothing of the master key away.
    public let keyCheckValue: [UInt8]

    /// `trustingDerivedSigner`: with a separate signing key, whether checkpoints signed
    /// by the master-derived key (before the separate key existed) still verify.
    public init(master: SymmetricKey, signingKey separate: Curve25519.Signing.PrivateKey? = nil, trustingDerivedSigner: Bool = false) {
        func derive(_ label: String) -> SymmetricKey {
            HKDF<SHA256>.deriveKey(
                inputKeyMaterial: master, salt: Data("guardline".utf8), info: Data(label.utf8), outputByteCount: 32)
        }
        let fingerprint = SHA256.hash(data: derive("key-id").withUnsafeBytes { Data($0) })
        masterKeyID = fingerprint.withUnsafeBytes { $0.prefix(4).reduce(0) { $0 << 8 | UInt32($1) } }
        wrappingKey = derive("subject-key-wrapping/v1")
        blindIndex = BlindIndex(key: derive("blind-index/v1"))
        tokenKey = derive("api-token/v1")
        staffSecretKey = derive("staff-mfa-secret/v1")
        let derived = try! Curve25519.Signing.PrivateKey(rawRepresentation: derive("audit-signing/v1").withUnsafeBytes { Data($0) })
        signingKey = separate ?? derived
        trustedSigningKeys = separate.map { trustingDerivedSigner ? [$0.publicKey, derived.publicKey] : [$0.publicKey] } ?? [derived.publicKey]
        keyCheckValue = Array(SHA256.hash(data: derive("key-check/v1").withUnsafeBytes { Data($0) }))
    }

    public init(provider: some KeyProvider, signingKey: Curve25519.Signing.PrivateKey? = nil) throws {
        self.init(master: try provider.masterKey(), signingKey: signingKey)
    }

    public var tokenHasher: TokenHasher { TokenHasher(key: tokenKey) }
    public var staffSecrets: StaffSecretCipher { StaffSecretCipher(key: staffSecretKey) }
    public var checkpointSigner: CheckpointSigner { CheckpointSigner(key: signingKey, trusted: trustedSigningKeys) }
}
