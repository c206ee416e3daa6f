import Crypto
import Foundation
import GuardlineCore

/// Seals a staff member's TOTP secret (AES-256-GCM under a key derived from the
/// master key for this job alone). The additional data names the organization and
/// the user, so a secret copied onto another account does not open.
public struct StaffSecretCipher: Sendable {
    let key: SymmetricKey

    public func seal(_ secret: [UInt8], org: OrganizationID, user: UserID) throws -> [UInt8] {
        let box = try AES.GCM.seal(secret, using: key, authenticating: Self.aad(org, user))
        guard let combined = box.combined else { throw CipherError.malformed }
        return [1] + Array(combined)
    }

    public func open(_ sealed: [UInt8], org: OrganizationID, user: UserID) throws -> [UInt8] {
        guard sealed.count > 29, sealed[0] == 1 else { throw CipherError.malformed }
        do {
            return Array(try AES.GCM.open(AES.GCM.SealedBox(combined: sealed[1...]), using: key, authenticating: Self.aad(org, user)))
        } catch {
            throw CipherError.authenticationFailed
        }
    }

    private static func aad(_ org: OrganizationID, _ user: UserID) -> Data { Data("staff-mfa|\(org)|\(user)".utf8) }
}
