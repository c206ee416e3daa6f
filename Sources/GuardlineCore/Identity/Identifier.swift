import Foundation

/// A typed UUID, so a contact id cannot be passed where a user id is expected.
public struct Identifier<Entity>: Hashable, Sendable, Codable, CustomStringConvertible {
    public let uuid: UUID

    public init(_ uuid: UUID) { self.uuid = uuid }

    /// Parses the canonical string form (either case); nil for anything else.
    public init?(_ string: String) {
        guard let uuid = UUID(canonical: string) else { return nil }
        self.uuid = uuid
    }

    /// Parses the canonical form from ASCII bytes (a stored column, read in place).
    public init?(ascii text: UnsafeRawBufferPointer) {
        guard let uuid = UUID(canonicalASCII: text) else { return nil }
        self.uuid = uuid
    }

    /// A new time-ordered (v7) identifier: rows inserted together sit together in indexes.
    public static func make(at date: Date = Date()) -> Self {
        Self(UUID.version7(at: date))
    }

    public var description: String { uuid.withLowercasedASCII { String(decoding: $0, as: UTF8.self) } }

    /// The canonical lowercase form, lent as ASCII bytes from the stack: the audit
    /// writer hashes and binds two ids per entry without allocating for them.
    @inlinable
    public func withASCII<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try uuid.withLowercasedASCII(body)
    }

    public init(from decoder: any Decoder) throws {
        self.uuid = try decoder.singleValueContainer().decode(UUID.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension UUID {
    /// The canonical lowercase form written into 36 bytes of stack, lent to `body`, without
    /// going through `String`: ids are hashed into every audit entry and printed into every row.
    @inlinable
    public func withLowercasedASCII<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeTemporaryAllocation(byteCount: 36, alignment: 1) { out in
            let digit = UInt8(ascii: "0"), letter = UInt8(ascii: "a") - 10
            var position = 0
            withUnsafeBytes(of: uuid) { bytes in
                for (index, byte) in bytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        out[position] = UInt8(ascii: "-")
                        position += 1
                    }
                    let high = byte >> 4, low = byte & 0x0F
                    out[position] = high + (high < 10 ? digit : letter)
                    out[position + 1] = low + (low < 10 ? digit : letter)
                    position += 2
                }
            }
            return try body(UnsafeRawBufferPointer(out))
        }
    }

    /// Parses `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in either case, as
    /// `UUID(uuidString:)` does, without its `sscanf`: every row read carries ids.
    public init?(canonical string: String) {
        var string = string
        guard let parsed = string.withUTF8({ UUID(canonicalASCII: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = parsed
    }

    /// `init(canonical:)` on ASCII bytes as stored, so a row's id is read without making a `String`.
    public init?(canonicalASCII text: UnsafeRawBufferPointer) {
        guard text.count == 36 else { return nil }
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let complete = withUnsafeMutableBytes(of: &bytes) { out -> Bool in
            var position = 0
            for index in 0..<16 {
                if position == 8 || position == 13 || position == 18 || position == 23 {
                    guard text[position] == UInt8(ascii: "-") else { return false }
                    position += 1
                }
                guard let high = Self.hexValue(text[position]), let low = Self.hexValue(text[position + 1]) else { return false }
                out[index] = high << 4 | low
                position += 2
            }
            return true
        }
        guard complete else { return nil }
        self.init(uuid: bytes)
    }

    private static func hexValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// RFC 9562 version 7: 48-bit Unix milliseconds, then random bits.
    public static func version7(at date: Date = Date()) -> UUID {
        let millis = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: millis >> (40 - 8 * UInt64(index))) }
        var generator = SystemRandomNumberGenerator()
        for index in 6..<16 { bytes[index] = UInt8.random(in: .min ... .max, using: &generator) }
        bytes[6] = (bytes[6] & 0x0F) | 0x70
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}

public enum OrganizationTag {}
public enum UserTag {}
public enum TeamTag {}
public enum AccessProfileTag {}
public enum ContactTag {}
public enum APITokenTag {}

public typealias OrganizationID = Identifier<OrganizationTag>
public typealias UserID = Identifier<UserTag>
public typealias TeamID = Identifier<TeamTag>
public typealias AccessProfileID = Identifier<AccessProfileTag>
public typealias ContactID = Identifier<ContactTag>
public typealias APITokenID = Identifier<APITokenTag>

extension Identifier: Comparable {
    /// In the order of the canonical text, which for a v7 id is the order of its time.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        withUnsafeBytes(of: lhs.uuid.uuid) { left in
            withUnsafeBytes(of: rhs.uuid.uuid) { right in left.lexicographicallyPrecedes(right) }
        }
    }
}
