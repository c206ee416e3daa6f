/// The check digits that tell a number from a typo: what makes a 16-digit run a
/// card number and a 9-digit one a Portuguese tax number rather than a phone.
enum Checksums {
    /// Luhn (ISO/IEC 7812): payment card numbers.
    static func luhn(_ digits: ArraySlice<UInt8>) -> Bool {
        var sum = 0
        for (offset, digit) in digits.reversed().enumerated() {
            var value = Int(digit)
            if offset % 2 == 1 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum % 10 == 0
    }

    /// ISO 13616 mod-97 over an IBAN written without spaces, letters as 10...35.
    static func iban(_ text: [UInt8]) -> Bool {
        guard text.count >= 15, text.count <= 34 else { return false }
        let rearranged = text[4...] + text[..<4]
        var remainder = 0
        for character in rearranged {
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                remainder = (remainder * 10 + Int(character - UInt8(ascii: "0"))) % 97
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                remainder = (remainder * 100 + Int(character - UInt8(ascii: "A")) + 10) % 97
            default:
                return false
            }
        }
        return remainder == 1
    }

    /// Portugal's NIF: nine digits, the last a mod-11 check.
    static func portugueseNIF(_ digits: ArraySlice<UInt8>) -> Bool {
        guard digits.count == 9, let first = digits.first, first != 0 else { return false }
        var sum = 0
        for (offset, digit) in digits.prefix(8).enumerated() { sum += Int(digit) * (9 - offset) }
        let check = 11 - sum % 11
        return Int(digits.last!) == (check >= 10 ? 0 : check)
    }

    /// Germany's Steuer-ID: eleven digits, ISO 7064 MOD 11,10.
    static func germanTaxID(_ digits: ArraySlice<UInt8>) -> Bool {
        guard digits.count == 11, digits.first != 0 else { return false }
        var product = 10
        for digit in digits.prefix(10) {
            var sum = (Int(digit) + product) % 10
            if sum == 0 { sum = 10 }
            product = (sum * 2) % 11
        }
        let check = 11 - product
        return Int(digits.last!) == (check == 10 ? 0 : check)
    }

    /// France's NIR (social security number): 13 digits and a two-digit key, 97 minus the number mod 97.
    static func frenchNIR(_ digits: ArraySlice<UInt8>) -> Bool {
        guard digits.count == 15, digits.first == 1 || digits.first == 2 else { return false }
        var number = 0
        for digit in digits.prefix(13) { number = (number * 10 + Int(digit)) % 97 }
        let key = digits.suffix(2).reduce(0) { $0 * 10 + Int($1) }
        return key == 97 - number
    }

    /// Spain's DNI (8 digits) or NIE (X, Y or Z and 7 digits): the letter is the number mod 23.
    static func spanishID(_ text: [UInt8]) -> Bool {
        guard text.count == 9, let letter = text.last else { return false }
        var number = 0
        for (offset, character) in text.dropLast().enumerated() {
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): number = number * 10 + Int(character - UInt8(ascii: "0"))
            case UInt8(ascii: "X") where offset == 0: number = 0
            case UInt8(ascii: "Y") where offset == 0: number = 1
            case UInt8(ascii: "Z") where offset == 0: number = 2
            default: return false
            }
        }
        return letter == Array("TRWAGMYFPDXBNJZSQVHLCKE".utf8)[number % 23]
    }

    /// Italy's codice fiscale: 16 characters in a fixed shape, the last a check letter.
    static func italianFiscalCode(_ text: [UInt8]) -> Bool {
        guard text.count == 16 else { return false }
        // Letters where letters go; digits (or, for homonyms, their letter stand-ins) where digits go.
        let letters: Set<Int> = [0, 1, 2, 3, 4, 5, 8, 11, 15]
        let standIns = Array("LMNPQRSTUV".utf8)
        for (index, character) in text.enumerated() {
            let isLetter = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(character)
            let isDigit = (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(character)
            if letters.contains(index) {
                guard isLetter else { return false }
            } else {
                guard isDigit || standIns.contains(character) else { return false }
            }
        }
        guard Array("ABCDEHLMPRST".utf8).contains(text[8]) else { return false }
        let odd = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]
        var sum = 0
        for (index, character) in text.prefix(15).enumerated() {
            let value = character >= UInt8(ascii: "A") ? Int(character - UInt8(ascii: "A")) : Int(character - UInt8(ascii: "0"))
            sum += index % 2 == 0 ? odd[value] : value
        }
        return Int(text[15] - UInt8(ascii: "A")) == sum % 26
    }

    /// The UK's National Insurance number: two letters (not every pair), six digits, A to D.
    static func britishNINO(_ text: [UInt8]) -> Bool {
        guard text.count == 9 else { return false }
        let first = text[0], second = text[1]
        let upper = UInt8(ascii: "A")...UInt8(ascii: "Z")
        guard upper.contains(first), upper.contains(second) else { return false }
        guard !Array("DFIQUV".utf8).contains(first), !Array("DFIOQUV".utf8).contains(second) else { return false }
        guard !["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"].contains(String(decoding: text[0..<2], as: UTF8.self)) else { return false }
        guard text[2..<8].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return false }
        return (UInt8(ascii: "A")...UInt8(ascii: "D")).contains(text[8])
    }
}
