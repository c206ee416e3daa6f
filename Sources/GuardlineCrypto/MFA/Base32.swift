/// RFC 4648 base32, the encoding authenticator apps expect for TOTP secrets.
///
/// Encoding is upper case without `=` padding, because `otpauth://` URIs carry
/// the secret unpadded. Decoding is lenient about what people type or paste
/// (lower case, spaces, trailing padding) and strict about everything else.
public enum Base32 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    /// Encodes `bytes` as upper-case base32 with no padding.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        var output = [UInt8]()
        output.reserveCapacity((bytes.count * 8 + 4) / 5)
        var buffer: UInt32 = 0
        var bitCount = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bitCount += 8
            while bitCount >= 5 {
                bitCount -= 5
                output.append(alphabet[Int((buffer >> UInt32(bitCount)) & 0x1F)])
            }
        }
        if bitCount > 0 {
            output.append(alphabet[Int((buffer << UInt32(5 - bitCount)) & 0x1F)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes base32 text, ignoring case, spaces and trailing `=` padding.
    ///
    /// Returns nil for any other character, for `=` before the end, or for a
    /// length no encoder could have produced, so a mistyped secret is refused
    /// rather than silently turned into different key bytes.
    public static func decode(_ text: String) -> [UInt8]? {
        var symbols = Array(text.utf8.filter { $0 != UInt8(ascii: " ") })
        while symbols.last == UInt8(ascii: "=") { symbols.removeLast() }
        // Lengths 1, 3 and 6 (mod 8) leave bits that cannot complete a byte.
        guard ![1, 3, 6].contains(symbols.count % 8) else { return nil }
        var output = [UInt8]()
        output.reserveCapacity(symbols.count * 5 / 8)
        var buffer: UInt32 = 0
        var bitCount = 0
        for symbol in symbols {
            guard let value = value(of: symbol) else { return nil }
            buffer = (buffer << 5) | UInt32(value)
            bitCount += 5
            if bitCount >= 8 {
                bitCount -= 8
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bitCount)))
            }
        }
        return output
    }

    private static func value(of symbol: UInt8) -> UInt8? {
        switch symbol {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): symbol - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): symbol - UInt8(ascii: "a")
        case UInt8(ascii: "2")...UInt8(ascii: "7"): symbol - UInt8(ascii: "2") + 26
        default: nil
        }
    }
}
