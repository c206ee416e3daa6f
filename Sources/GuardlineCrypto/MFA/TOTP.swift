import Crypto
import Foundation

/// A time-based one-time password generator (RFC 6238) for staff sign-in.
///
/// Fixed to the parameters every authenticator app supports: HMAC-SHA1,
/// six digits, a 30-second step. SHA-1 is acceptable here because HOTP only
/// relies on HMAC's pseudo-randomness, not on collision resistance.
public struct TOTP: Sendable {
    /// Number of digits in a code.
    public static let digits = 6
    /// Length of a time step, in seconds.
    public static let period: Int64 = 30
    /// Shortest secret accepted: RFC 4226 requires at least 128 bits.
    public static let minimumSecretLength = 16

    /// The shared secret. Store it encrypted; anyone holding it can mint codes.
    public let secret: [UInt8]

    /// Creates a generator for an existing secret, or nil if it is shorter than 16 bytes.
    public init?(secret: [UInt8]) {
        guard secret.count >= Self.minimumSecretLength else { return nil }
        self.secret = secret
    }

    private init(checkedSecret: [UInt8]) { secret = checkedSecret }

    /// Makes a fresh generator with a 160-bit random secret, the length RFC 4226 recommends.
    public static func generate() -> TOTP {
        let key = SymmetricKey(size: SymmetricKeySize(bitCount: 160))
        return TOTP(checkedSecret: key.withUnsafeBytes { Array($0) })
    }

    /// The secret as authenticator apps show and accept it (base32, unpadded).
    public var base32Secret: String { Base32.encode(secret) }

    /// The time-step counter for `date`: whole periods since the Unix epoch.
    public func counter(at date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / Double(Self.period)).rounded(.down))
    }

    /// The six-digit code valid at `date`, zero-padded.
    public func code(at date: Date) -> String {
        code(forCounter: counter(at: date))
    }

    /// Checks a code typed by a user against the steps within `window` of `date`.
    ///
    /// Returns the counter of the matching step rather than a Bool so the caller
    /// can store it and refuse any code for that step or an earlier one: a TOTP
    /// code stays valid for the whole window and would otherwise be replayable.
    /// Accepts exactly six ASCII digits once spaces are removed; every step in
    /// the window is compared in constant time, with no early exit.
    public func matchingCounter(_ code: String, at date: Date, window: Int = 1) -> Int64? {
        let typed = Array(code.utf8.filter { $0 != UInt8(ascii: " ") })
        guard typed.count == Self.digits,
              typed.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        let now = counter(at: date)
        let steps = Int64(max(0, window))
        var match: Int64?
        for step in (now - steps)...(now + steps) {
            let expected = Array(self.code(forCounter: step).utf8)
            if Self.constantTimeEqual(expected, typed), match == nil { match = step }
        }
        return match
    }

    /// The `otpauth://` URI to show as a QR code when enrolling an authenticator app.
    ///
    /// The issuer appears both as the label prefix and as the `issuer` parameter,
    /// as Google's key URI format recommends, so older and newer apps agree.
    public func provisioningURI(issuer: String, account: String) -> String {
        let issuer = Self.percentEncoded(issuer)
        let account = Self.percentEncoded(account)
        return "otpauth://totp/\(issuer):\(account)?secret=\(base32Secret)&issuer=\(issuer)"
            + "&algorithm=SHA1&digits=\(Self.digits)&period=\(Self.period)"
    }

    /// HOTP (RFC 4226 §5.3): HMAC the big-endian counter, then dynamic truncation.
    func code(forCounter counter: Int64) -> String {
        let message = withUnsafeBytes(of: UInt64(bitPattern: counter).bigEndian) { Array($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16)
            | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        let value = String(binary % 1_000_000)
        return String(repeating: "0", count: Self.digits - value.count) + value
    }

    private static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Percent-encodes everything except RFC 3986 unreserved characters.
    private static func percentEncoded(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var output = [UInt8]()
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                output.append(byte)
            default:
                output += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
