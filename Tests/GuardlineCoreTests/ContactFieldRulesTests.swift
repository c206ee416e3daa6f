import Foundation
import GuardlineCore
import Testing

@Suite("ContactFieldRules")
struct ContactFieldRulesTests {
    let catalog = FieldCatalog.standard

    private func normalize(_ key: FieldKey, _ raw: String) throws -> String {
        try ContactFieldRules.normalize(key, raw, catalog: catalog)
    }

    /// The error thrown for `raw`, checked to be invalid input that does not echo the value.
    @discardableResult
    private func refusal(_ key: FieldKey, _ raw: String, sourceLocation: SourceLocation = #_sourceLocation) -> GuardlineError? {
        let error = #expect(throws: GuardlineError.self, sourceLocation: sourceLocation) {
            try ContactFieldRules.normalize(key, raw, catalog: catalog)
        }
        #expect(error?.code == .invalidInput, sourceLocation: sourceLocation)
        return error
    }

    @Test("Phones are stored in E.164")
    func normalizesPhone() throws {
        #expect(try normalize(.phone, " 00351 912 345 678 ") == "+351912345678")
        #expect(try normalize(.phone, "(+49) 151 1234 5678") == "+4915112345678")
    }

    @Test("Emails are stored trimmed and lowercased")
    func normalizesEmail() throws {
        #expect(try normalize(.email, "  Maria.Silva@Example.PT ") == "maria.silva@example.pt")
    }

    @Test("Other fields are trimmed but otherwise kept as written")
    func trimsOtherFields() throws {
        #expect(try normalize(.name, "  Maria  Silva ") == "Maria  Silva")
        #expect(try normalize("language", "pt-PT") == "pt-PT")
    }

    @Test("A line break is allowed inside an address")
    func allowsNewlineInAddress() throws {
        #expect(try normalize(.address, "Rua Augusta 1\n1100-048 Lisboa") == "Rua Augusta 1\n1100-048 Lisboa")
    }

    @Test("Valid birth dates are accepted", arguments: [
        ("1980-04-02", "1980-04-02"),
        (" 1980-04-02\n", "1980-04-02"),
        ("2000-02-29", "2000-02-29"),
        ("1900-01-01", "1900-01-01"),
    ])
    func acceptsBirthDate(raw: String, stored: String) throws {
        #expect(try normalize(.birthDate, raw) == stored)
    }

    @Test("Today is an acceptable birth date")
    func acceptsToday() throws {
        let today = CalendarDate.today().description
        #expect(try normalize(.birthDate, today) == today)
    }

    @Test("Impossible, too old, future or wrongly formatted birth dates are refused", arguments: [
        "1980-02-30", "1900-02-29", "1980-04-31", "1980-13-01", "1980-00-10", "1980-04-00",
        "1899-12-31", "2999-01-01",
        "02/04/1980", "1980/04/02", "1980-4-2", "80-04-02", "19800402", "1980-04-02T00:00", "April 2, 1980",
    ])
    func refusesBirthDate(raw: String) {
        let error = refusal(.birthDate, raw)
        #expect(error?.message.contains("birthDate") == true)
        #expect(error?.message.contains(raw) == false)
    }

    @Test("A sign inside the month or day is not the YYYY-MM-DD form", arguments: ["1980-+4-02", "1980-04-+2"])
    func refusesSignedParts(raw: String) {
        refusal(.birthDate, raw)
    }

    @Test("Next year's date is refused as a birth date")
    func refusesNextYear() {
        let nextYear = CalendarDate.today().year + 1
        refusal(.birthDate, "\(nextYear)-01-01")
    }

    @Test("A field the catalog does not know is refused, naming the key but not the value")
    func refusesUnknownKey() {
        let error = refusal("favouriteColour", "Midnight Blue Secret")
        #expect(error?.message.contains("favouriteColour") == true)
        #expect(error?.message.contains("Midnight Blue Secret") == false)
        #expect(error?.message.contains("phone") == true, "the message lists the known fields")
    }

    @Test("A malformed unknown key is not echoed back")
    func refusesMalformedKey() {
        let error = refusal("<b>maria@example.com</b>", "x")
        #expect(error?.message.contains("(malformed key)") == true)
        #expect(error?.message.contains("maria@example.com") == false)
        #expect(error?.message.contains("<b>") == false)
    }

    @Test("Values longer than 500 characters are refused; 500 is accepted")
    func refusesOverlong() throws {
        let long = String(repeating: "Rua Secreta ", count: 42)  // 504 characters
        let error = refusal(.address, long)
        #expect(error?.message.contains("500") == true)
        #expect(error?.message.contains("Rua Secreta") == false)
        let limit = String(repeating: "a", count: ContactFieldRules.maxLength)
        #expect(try normalize(.address, limit) == limit)
    }

    @Test("Control characters are refused", arguments: [
        "Maria\u{0007}Silva", "Rua\tAugusta", "Rua Augusta\u{0000}1", "Maria\u{007F}Silva", "Rua Augusta\r\nLisboa",
        "Maria\u{001B}[31mSilva", "Maria \u{202E}avliS", "Mar\u{200B}ia Silva",
    ])
    func refusesControlCharacters(raw: String) {
        let error = refusal(.address, raw)
        #expect(error?.message.contains("control characters") == true)
    }

    @Test("Empty and whitespace-only values are refused", arguments: ["", "   ", "\n\t "])
    func refusesEmpty(raw: String) {
        let error = refusal(.name, raw)
        #expect(error?.message.contains("empty") == true)
    }

    @Test("A name needs a letter or digit and at most 200 characters")
    func nameRules() throws {
        refusal(.name, "!!! ???")
        refusal(.name, String(repeating: "Maria ", count: 34))  // 204 characters
        #expect(try normalize(.name, String(repeating: "a", count: 200)).count == 200)
    }

    @Test("Invalid phones and emails are refused", arguments: [
        (FieldKey.phone, "912 777 888"), (.phone, "+351 912 ZZZ 888"), (.phone, "+0912777888"),
        (.email, "maria.at.example.com"), (.email, "maria@localhost"),
    ])
    func refusesInvalidPhoneAndEmail(key: FieldKey, raw: String) {
        refusal(key, raw)
    }

    @Test("Art5_1_f: no refusal message contains the submitted value", arguments: [
        (FieldKey.phone, "912 777 888"), (.phone, "+351 912 ZZZ 888"),
        (.email, "maria.secret.example.com"), (.email, "maria@secret"),
        (.birthDate, "1899-06-15"), (.birthDate, "15/06/1980"), (.birthDate, "1980-02-31"),
        (.name, "!!! ???"), (.address, "Rua\tSecreta 12"), (.address, String(repeating: "Quinta Secreta ", count: 40)),
        ("favouriteColour", "Midnight Blue"), ("not a key!", "Midnight Blue"),
    ])
    func messagesNeverCarryTheValue(key: FieldKey, raw: String) {
        let error = refusal(key, raw)
        let message = error?.message ?? ""
        #expect(!message.isEmpty)
        #expect(!message.contains(raw))
        #expect(!message.contains(raw.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(error.map { !"\($0)".contains(raw) } ?? true)
    }
}
