/// A phone number in E.164 form (`+351912345789`), the form caller ID and blind indexes use.
public struct PhoneNumber: Sendable, Hashable, CustomStringConvertible {
    /// `+` then 8 to 15 digits.
    public let e164: String

    /// Accepts `+351 912 345 789`, `00351-912-345-789`, `(+49) 151 1234 5678`.
    /// Without an international prefix the number is ambiguous, so it is refused.
    public init?(_ raw: String) {
        var digits = ""
        var sawPlus = false
        for character in raw {
            switch character {
            case "0"..."9": digits.append(character)
            case "+" where digits.isEmpty && !sawPlus: sawPlus = true
            case " ", "-", ".", "(", ")", "/", "\u{00A0}": continue
            default: return nil
            }
        }
        if !sawPlus {
            guard digits.hasPrefix("00") else { return nil }
            digits.removeFirst(2)
        }
        guard (8...15).contains(digits.count), digits.first != "0" else { return nil }
        self.e164 = "+" + digits
    }

    public var description: String { e164 }

    /// The country calling code (ITU E.164): 1 to 3 digits.
    public var countryCode: String {
        let digits = e164.dropFirst()
        if let first = digits.first, first == "1" || first == "7" { return String(first) }
        let two = String(digits.prefix(2))
        if Self.twoDigitCodes.contains(two) { return two }
        return String(digits.prefix(3))
    }

    /// The digits after the country code.
    public var nationalNumber: String { String(e164.dropFirst(1 + countryCode.count)) }

    private static let twoDigitCodes: Set<String> = [
        "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47", "48", "49",
        "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66", "81", "82", "84",
        "86", "90", "91", "92", "93", "94", "95", "98",
    ]
}
