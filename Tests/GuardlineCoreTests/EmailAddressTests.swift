import GuardlineCore
import Testing

@Suite("EmailAddress")
struct EmailAddressTests {
    @Test("Addresses are trimmed and lowercased for lookup", arguments: [
        ("  Maria.Silva@Example.PT ", "maria.silva@example.pt"),
        ("\tJOAO@MAIL.EXAMPLE.COM\n", "joao@mail.example.com"),
        ("o'brien+tag@sub-domain.example.ie", "o'brien+tag@sub-domain.example.ie"),
        ("a@b.co", "a@b.co"),
    ])
    func normalizes(raw: String, normalized: String) throws {
        let email = try #require(EmailAddress(raw))
        #expect(email.normalized == normalized)
        #expect(email.description == normalized)
    }

    @Test("Spellings differing in case or surrounding spaces are equal")
    func caseInsensitiveEquality() {
        #expect(EmailAddress("Maria@Example.com") == EmailAddress(" maria@example.COM "))
    }

    @Test("Malformed addresses are refused", arguments: [
        "maria.example.com",            // no @
        "maria@silva@example.com",      // two @
        "@example.com",                 // empty local part
        "maria@",                       // empty domain
        "maria@localhost",              // domain without a dot
        "maria@-example.com",           // label starting with a hyphen
        "maria@example-.com",           // label ending with a hyphen
        "maria@example..com",           // empty label
        "maria@.example.com",           // empty first label
        "maria silva@example.com",      // space in the local part
        "maria@exa mple.com",           // space in the domain
        ".maria@example.com",           // leading dot
        "maria.@example.com",           // trailing dot
        "ma..ria@example.com",          // consecutive dots
        "joão@example.com",             // non-ASCII local part
        "maria@exämple.com",            // non-ASCII domain
        "maria@example_corp.com",       // underscore in a label
        "",
        "   ",
    ])
    func refusesMalformed(raw: String) {
        #expect(EmailAddress(raw) == nil)
    }

    @Test("A local part of 64 characters is accepted, 65 refused")
    func localPartLimit() {
        #expect(EmailAddress(String(repeating: "a", count: 64) + "@example.com") != nil)
        #expect(EmailAddress(String(repeating: "a", count: 65) + "@example.com") == nil)
    }

    @Test("A domain label of 63 characters is accepted, 64 refused")
    func labelLimit() {
        #expect(EmailAddress("a@" + String(repeating: "b", count: 63) + ".com") != nil)
        #expect(EmailAddress("a@" + String(repeating: "b", count: 64) + ".com") == nil)
    }

    @Test("An address of 254 characters is accepted, 255 refused")
    func totalLengthLimit() {
        let local = String(repeating: "a", count: 64)
        let domain254 = [String(repeating: "b", count: 63), String(repeating: "c", count: 63), String(repeating: "d", count: 61)]
            .joined(separator: ".")
        let domain255 = domain254 + "d"
        #expect((local + "@" + domain254).count == 254)
        #expect(EmailAddress(local + "@" + domain254) != nil)
        #expect(EmailAddress(local + "@" + domain255) == nil)
    }
}
