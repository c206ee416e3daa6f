import Crypto
import Foundation

/// Session and API tokens are random 256-bit values shown once; the database
/// keeps only their keyed hash, so a stolen table grants nothing.
public struct TokenHasher: Sendable {
    private let key: SymmetricKey

    init(key: SymmetricKey) { self.key = key }

    /// A new token: `gl_` and 43 characters of URL-safe base64.
    public static func newToken() -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        return "gl_" + bytes.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public func hash(_ token: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Data(token.utf8), using: key))
    }
}
