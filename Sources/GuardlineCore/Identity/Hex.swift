extension Sequence where Element == UInt8 {
    /// Lowercase hexadecimal, two digits a byte: hashes and keys as they are shown and
    /// compared. Written out directly: `String(format:)` a byte costs a microsecond, and
    /// a call event's key is 32 of them.
    public var hex: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
