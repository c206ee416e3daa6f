import Crypto
import Foundation
import GuardlineCore

/// The Ed25519 key that signs audit checkpoints, kept apart from the master key
/// (its own file, or `GUARDLINE_AUDIT_SIGNING_KEY`): whoever holds the master key
/// to run the server need not be able to forge the audit trail's checkpoints, and
/// a verifier needs only its public key (`guardline audit public-key`).
public enum AuditSigningKey {
    /// From the value if given (32 bytes, base64 or hex), else from the file,
    /// which is created (mode 0600, `O_EXCL`) when missing if `mayCreate`.
    public static func load(file path: String, value: String?, mayCreate: Bool) throws -> Curve25519.Signing.PrivateKey {
        if let value {
            return try key(MasterKeyEncoding.decode(value, source: "GUARDLINE_AUDIT_SIGNING_KEY"))
        }
        if let data = try KeyFile.read(path, what: "The audit signing key file") {
            return try key(MasterKeyEncoding.decode(String(decoding: data, as: UTF8.self), source: "the audit signing key file \(path)"))
        }
        guard mayCreate else {
            throw GuardlineError(.unavailable,
                "The audit signing key file \(path) is missing, but the audit trail holds checkpoints it signed. Restore it (or set GUARDLINE_AUDIT_SIGNING_KEY); with a new key every later checkpoint would contradict the earlier ones.")
        }
        let created = Curve25519.Signing.PrivateKey()
        try KeyFile.create(path, contents: Data((created.rawRepresentation.base64EncodedString() + "\n").utf8), what: "the audit signing key file")
        return created
    }

    private static func key(_ bytes: SymmetricKey) throws -> Curve25519.Signing.PrivateKey {
        try Curve25519.Signing.PrivateKey(rawRepresentation: bytes.withUnsafeBytes { Data($0) })
    }
}
