/// Free text (as `NormalizedText` leaves it) cut into the pieces the redactor reasons
/// about: runs of digits, words (letters, accented ones included) and single symbols,
/// each with its byte range, so that what is found can be replaced in place.
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
            if Self.isDigit(byte) {
                while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
                kind = .digits
            } else if Self.isLetter(byte) {
                while index < bytes.count, Self.isLetter(bytes[index]) { index += 1 }
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

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// ASCII letters and every byte of a multi-byte UTF-8 character: after normalization, only letters and marks (é, ç, ã, ß...).
    static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || byte >= 0x80
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
}
