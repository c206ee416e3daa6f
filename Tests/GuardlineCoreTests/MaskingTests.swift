import GuardlineCore
import Testing

/// Masking happens on the server, so the clear value never leaves it (Art25, Art5_1_c).
@Suite("Masking (Art25, Art5_1_c)")
struct MaskingTests {
    @Test("Art25: a Portuguese mobile keeps its country code and last three digits")
    func portuguesePhone() {
        #expect(Masking.mask("+351912345789", as: .lastDigits, field: .phone) == "+351 *** *** 789")
    }

    @Test("Art25: a German mobile is grouped from the hidden digits' count, last three shown")
    func germanPhone() throws {
        let masked = Masking.mask("+4915112345678", as: .lastDigits, field: .phone)
        // National number 15112345678: 8 hidden digits grouped 2 + 3 + 3, then 678.
        #expect(masked == "+49 ** *** *** 678")
        #expect(masked.filter(\.isNumber) == "49" + "678")
        for clear in ["151", "1512", "1234", "2345", "5112345", "15112345678"] {
            #expect(!masked.contains(clear))
        }
    }

    @Test("Art25: a masked phone shows only the country code and the last three digits", arguments: [
        ("+12125550100", "+1 * *** *** 100"),
        ("+353871234567", "+353 *** *** 567"),
        ("+12345678", "+1 * *** 678"),
    ])
    func otherPhones(value: String, expected: String) throws {
        let masked = Masking.mask(value, as: .lastDigits, field: .phone)
        #expect(masked == expected)
        let phone = try #require(PhoneNumber(value))
        #expect(masked.filter(\.isNumber) == phone.countryCode + phone.nationalNumber.suffix(3))
    }

    @Test("lastDigits on a non-phone field keeps the last four characters of a long value")
    func accountNumber() {
        let masked = Masking.mask("PT50000201231234567890154", as: .lastDigits, field: "accountNumber")
        #expect(masked == String(repeating: "*", count: 21) + "0154")
        #expect(!masked.contains("PT50"))
    }

    @Test("lastDigits on a short non-phone value keeps at most two characters, behind at least three stars", arguments: [
        ("12345678", "******78"),
        ("1234", "***34"),
        ("12", "***2"),
        ("7", "***"),
        ("", "***"),
    ])
    func shortValues(value: String, expected: String) {
        #expect(Masking.mask(value, as: .lastDigits, field: "accountNumber") == expected)
    }

    @Test("lastDigits on a phone field holding something that is not a phone falls back to the generic mask")
    func phoneFieldNotAPhone() {
        #expect(Masking.mask("call reception", as: .lastDigits, field: .phone) == "**********tion")
    }

    @Test("A phone number in a non-phone field is not given the phone treatment")
    func phoneInOtherField() {
        #expect(Masking.mask("+351912345789", as: .lastDigits, field: "accountNumber") == "*********5789")
    }

    @Test("Art25: partialEmail keeps the first character and the domain", arguments: [
        ("joao@example.com", "j***@example.com"),
        ("maria.silva@mail.example.pt", "m***@mail.example.pt"),
        ("x@example.com", "x***@example.com"),
    ])
    func partialEmail(value: String, expected: String) {
        #expect(Masking.mask(value, as: .partialEmail, field: .email) == expected)
    }

    @Test("partialEmail on something that is not an email keeps only its first character", arguments: [
        ("not-an-email", "n***"),
        ("@example.com", "@***"),
        ("", "[redacted]"),
    ])
    func partialEmailFallback(value: String, expected: String) {
        #expect(Masking.mask(value, as: .partialEmail, field: .email) == expected)
    }

    @Test("Art25: initials keep one folded capital per name token", arguments: [
        ("Maria Silva", "M. S."),
        ("josé álvarez-núñez", "J. A. N."),
        ("Ana Maria Ana", "A. M."),
        ("!!!", "[redacted]"),
        ("", "[redacted]"),
    ])
    func initials(value: String, expected: String) {
        #expect(Masking.mask(value, as: .initials, field: .name) == expected)
    }

    @Test("Art25: redacted shows nothing of the value, whatever its field or length", arguments: [
        ("Zoë Quinn", FieldKey.name),
        ("+351912345789", FieldKey.phone),
        ("zoë.quinn@mx.uk", FieldKey.email),
        ("1990-11-17", FieldKey.birthDate),
        (String(repeating: "Quinn Zoë ", count: 60), FieldKey("healthNotes")),
    ])
    func redacted(value: String, field: FieldKey) {
        let masked = Masking.mask(value, as: .redacted, field: field)
        #expect(masked == "[redacted]")
        // None of the characters of the value's words appear (chosen to share none with "[redacted]").
        let words = value.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        for word in words {
            #expect(!masked.contains(word))
            #expect(!masked.contains(where: { word.lowercased().contains($0) }))
        }
    }
}
