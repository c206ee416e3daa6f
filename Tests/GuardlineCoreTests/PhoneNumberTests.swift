import GuardlineCore
import Testing

@Suite("PhoneNumber")
struct PhoneNumberTests {
    @Test("International formats normalize to E.164", arguments: [
        ("+351 912 345 678", "+351912345678"),
        ("00351-912-345-678", "+351912345678"),
        ("(+49) 151 1234 5678", "+4915112345678"),
        ("+44 (20) 7946.0958", "+442079460958"),
        ("+1/212/555/0100", "+12125550100"),
        ("\u{00A0}+353\u{00A0}87 123 4567 ", "+353871234567"),
        ("+351912345678", "+351912345678"),
    ])
    func normalizesToE164(raw: String, e164: String) throws {
        let phone = try #require(PhoneNumber(raw))
        #expect(phone.e164 == e164)
        #expect(phone.description == e164)
    }

    @Test("Spellings of the same number are equal once normalized")
    func spellingsAreEqual() {
        #expect(PhoneNumber("+351 912 345 678") == PhoneNumber("00351912345678"))
        #expect(PhoneNumber("+351 912 345 678") != PhoneNumber("+351 912 345 679"))
    }

    @Test("A number without + or 00 is ambiguous and refused", arguments: [
        "912 345 678", "351912345678", "0351 912 345 678", "(351) 912 345 678",
    ])
    func refusesWithoutInternationalPrefix(raw: String) {
        #expect(PhoneNumber(raw) == nil)
    }

    @Test("Letters and other symbols are refused", arguments: [
        "+351 912 ABC 678", "+351 912 345 678 ext 9", "tel:+351912345678", "+351_912_345_678", "+351,912,345,678",
    ])
    func refusesLetters(raw: String) {
        #expect(PhoneNumber(raw) == nil)
    }

    @Test("A + anywhere but the start, or twice, is refused", arguments: [
        "351+912345678", "++351912345678", "+351 +912 345 678", "00+351912345678",
    ])
    func refusesMisplacedPlus(raw: String) {
        #expect(PhoneNumber(raw) == nil)
    }

    @Test("Fewer than 8 or more than 15 digits after the prefix are refused", arguments: [
        "+1234567", "001234567", "+1234567890123456", "001234567890123456", "", "+", "00",
    ])
    func refusesWrongLength(raw: String) {
        #expect(PhoneNumber(raw) == nil)
    }

    @Test("8 and 15 digits are the accepted bounds")
    func acceptsLengthBounds() {
        #expect(PhoneNumber("+12345678")?.e164 == "+12345678")
        #expect(PhoneNumber("+123456789012345")?.e164 == "+123456789012345")
        #expect(PhoneNumber("00123456789012345")?.e164 == "+123456789012345")
    }

    @Test("A country code cannot start with 0", arguments: [
        "+0351912345678", "000351912345678", "+ 0 351 912 345 678",
    ])
    func refusesLeadingZeroAfterPrefix(raw: String) {
        #expect(PhoneNumber(raw) == nil)
    }

    @Test("Country code and national number split by the ITU code lengths", arguments: [
        ("+12125550100", "1", "2125550100"),
        ("+74951234567", "7", "4951234567"),
        ("+442079460958", "44", "2079460958"),
        ("+4915112345678", "49", "15112345678"),
        ("+351912345678", "351", "912345678"),
        ("+353871234567", "353", "871234567"),
    ])
    func splitsCountryCode(e164: String, countryCode: String, national: String) throws {
        let phone = try #require(PhoneNumber(e164))
        #expect(phone.countryCode == countryCode)
        #expect(phone.nationalNumber == national)
        #expect("+" + phone.countryCode + phone.nationalNumber == phone.e164)
    }
}
