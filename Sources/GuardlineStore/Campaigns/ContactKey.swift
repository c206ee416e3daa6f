import Foundation
import GuardlineCore

/// A contact id as two integers, ordered as its canonical text is: what a list build
/// sorts and walks its facts by. Comparing two integers costs less than hashing a UUID,
/// and a walk through sorted arrays reads memory in order.
struct ContactKey: Comparable, Hashable, Sendable {
    let high: UInt64
    let low: UInt64

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    init(_ id: ContactID) {
        var high: UInt64 = 0, low: UInt64 = 0
        withUnsafeBytes(of: id.uuid.uuid) { bytes in
            for index in 0..<8 { high = high << 8 | UInt64(bytes[index]) }
            for index in 8..<16 { low = low << 8 | UInt64(bytes[index]) }
        }
        self.init(high: high, low: low)
    }

    /// Parses the canonical form (8-4-4-4-12 hex digits, either case); nil for anything else.
    init?(ascii text: UnsafeRawBufferPointer) {
        guard text.count == 36 else { return nil }
        var high: UInt64 = 0, low: UInt64 = 0, digits = 0
        for index in 0..<36 {
            let character = text[index]
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard character == UInt8(ascii: "-") else { return nil }
                continue
            }
            let value: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = character &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = character &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = character &- UInt8(ascii: "A") &+ 10
            default: return nil
            }
            if digits < 16 { high = high << 4 | UInt64(value) } else { low = low << 4 | UInt64(value) }
            digits += 1
        }
        self.init(high: high, low: low)
    }

    init?(_ text: String) {
        var text = text
        guard let key = text.withUTF8({ ContactKey(ascii: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = key
    }

    var id: ContactID {
        let h = high, l = low
        func byte(_ value: UInt64, _ index: Int) -> UInt8 { UInt8(truncatingIfNeeded: value >> (56 - 8 * UInt64(index))) }
        return ContactID(UUID(uuid: (
            byte(h, 0), byte(h, 1), byte(h, 2), byte(h, 3), byte(h, 4), byte(h, 5), byte(h, 6), byte(h, 7),
            byte(l, 0), byte(l, 1), byte(l, 2), byte(l, 3), byte(l, 4), byte(l, 5), byte(l, 6), byte(l, 7))))
    }

    static func < (lhs: ContactKey, rhs: ContactKey) -> Bool {
        lhs.high != rhs.high ? lhs.high < rhs.high : lhs.low < rhs.low
    }
}
