import GuardlineCore
import GuardlineCrypto
import Testing

@Suite("StaticKeyProvider (Art32)")
struct StaticKeyProviderTests {
    @Test("Base64 and hex spellings of the same 32 bytes give the same key")
    func base64AndHexAgree() throws {
        let fromBase64 = try KeyRing(provider: StaticKeyProvider(encoded: Fixture.masterBase64(3), location: "env"))
        let fromHex = try KeyRing(provider: StaticKeyProvider(encoded: Fixture.masterHex(3), location: "env"))
        let fromUpperHex = try KeyRing(provider: StaticKeyProvider(encoded: Fixture.masterHex(3).uppercased(), location: "env"))
        #expect(fromBase64.masterKeyID == fromHex.masterKeyID)
        #expect(fromUpperHex.masterKeyID == fromHex.masterKeyID)
        #expect(fromBase64.tokenHasher.hash("t") == fromHex.tokenHasher.hash("t"))
    }

    @Test("Surrounding whitespace is ignored")
    func trimsWhitespace() throws {
        let ring = try KeyRing(provider: StaticKeyProvider(encoded: "  \(Fixture.masterBase64(3))\n", location: "env"))
        #expect(ring.masterKeyID == Fixture.ring(3).masterKeyID)
    }

    @Test("Anything but 32 bytes in base64 or 64 hex digits is refused, naming the source but not the value", arguments: [
        "",
        "secret-passphrase",
        "c2hvcnQ=",                                              // base64, 5 bytes
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gIQ==",      // base64, 34 bytes
        String(repeating: "ab", count: 31),                      // 62 hex digits
        String(repeating: "ab", count: 33),                      // 66 hex digits
        String(repeating: "g0", count: 32),                      // 64 non-hex characters
    ])
    func refusesOthers(encoded: String) {
        let provider = StaticKeyProvider(encoded: encoded, location: "GUARDLINE_MASTER_KEY")
        let error = #expect(throws: GuardlineError.self) { try KeyRing(provider: provider) }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("GUARDLINE_MASTER_KEY") == true)
        if !encoded.isEmpty { #expect(error?.message.contains(encoded) == false) }
    }

    @Test("The location is what the provider was given")
    func location() {
        #expect(StaticKeyProvider(encoded: Fixture.masterHex(1), location: "GUARDLINE_MASTER_KEY").location == "GUARDLINE_MASTER_KEY")
    }
}
