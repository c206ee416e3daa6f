/// Free text cut into the pieces the redactor reasons about: runs of digits, words
/// (letters, accented ones included) and single symbols, each with its byte range in
/// the UTF-8 text, so that what is found can be replaced in place.
struct TextTokens {
    enum Kind: Equatable {
        case digits
        case word
        case space
        case symbol(UInt8)
    }

    struct Token {
        let kind: Kind
        let start: Int
        let end: Int
    }

    let bytes: [UInt8]
    private(set) var tokens: [Token] = []

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var index = 0
        while index < bytes.count {
            let start = index
            let byte = bytes[index]
            let kind: Kind
            if let width = Self.unicodeSeparator(bytes, at: index) {
                // No-break and thin spaces group digits ("4532 0151" as many tools write it); dashes join them.
                index += width
                kind = width == 3 && (bytes[start + 2] == 0x93 || bytes[start + 2] == 0x94) ? .symbol(UInt8(ascii: "-")) : .space
            } else if Self.isDigit(byte) {
                while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
                kind = .digits
            } else if Self.isLetter(byte) {
                while index < bytes.count, Self.isLetter(bytes[index]), Self.unicodeSeparator(bytes, at: index) == nil { index += 1 }
                kind = .word
            } else if Self.isSpace(byte) {
                while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }
                kind = .space
            } else {
                index += 1
                kind = .symbol(byte)
            }
            tokens.append(Token(kind: kind, start: start, end: index))
        }
    }

    /// The word in lowercase (accents kept), to look up in the redactor's vocabularies.
    func word(_ token: Token) -> String {
        var lowered = [UInt8]()
        lowered.reserveCapacity(token.end - token.start)
        var ascii = true
        for byte in bytes[token.start..<token.end] {
            if byte >= 0x80 { ascii = false }
            lowered.append((UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte)
        }
        let text = String(decoding: lowered, as: UTF8.self)
        return ascii ? text : text.lowercased()
    }

    /// The width of a Unicode space or dash at `index` (U+00A0, U+2000...U+200A, U+202F; U+2013, U+2014), if one starts there.
    static func unicodeSeparator(_ bytes: [UInt8], at index: Int) -> Int? {
        if bytes[index] == 0xC2, index + 1 < bytes.count, bytes[index + 1] == 0xA0 { return 2 }
        guard bytes[index] == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x80 else { return nil }
        let third = bytes[index + 2]
        return (0x80...0x8A).contains(third) || third == 0xAF || third == 0x93 || third == 0x94 ? 3 : nil
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// ASCII letters and every byte of a multi-byte UTF-8 character (é, ç, ã, ß...).
    static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || byte >= 0x80
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
}
