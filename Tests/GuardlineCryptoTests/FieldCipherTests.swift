import GuardlineCore
import GuardlineCrypto
import Testing

/// Contact fields are encrypted and bound to their place (Art32, Art5_1_f).
@Suite("FieldCipher (Art32, Art5_1_f)")
struct FieldCipherTests {
    let key = SubjectKey.generate()
    var cipher: FieldCipher { FieldCipher(key: key, org: Fixture.org, contact: Fixture.contact) }

    @Test("Art32: a sealed field opens to the same value", arguments: [
        "+351912345789", "maria.silva@example.pt", "José Álvarez-Núñez 🇵🇹", "Rua Augusta 1\n1100-048 Lisboa", "",
        String(repeating: "Quinta do Lago ", count: 33),
    ])
    func roundTrip(value: String) throws {
        let sealed = try cipher.seal(value, field: .address)
        #expect(try cipher.open(sealed, field: .address) == value)
    }

    @Test("The format is 0x01, the key version, a 12-byte nonce, the ciphertext and a 16-byte tag")
    func format() throws {
        let value = "+351912345789"
        let sealed = try cipher.seal(value, field: .phone)
        #expect(sealed[0] == 1)
        #expect(Array(sealed[1..<5]) == [0, 0, 0, 1])
        #expect(sealed.count == 1 + 4 + 12 + value.utf8.count + 16)
    }

    @Test("Art32: the ciphertext does not contain the plaintext", arguments: [
        "+351912345789", "maria.silva@example.pt", "Maria Silva",
    ])
    func noPlaintext(value: String) throws {
        let sealed = try cipher.seal(value, field: .name)
        #expect(!sealed.contains(run: Array(value.utf8)))
        #expect(!sealed.contains(run: Array(value.utf8.prefix(6))))
    }

    @Test("Art32: sealing the same value twice gives different bytes (random nonce)")
    func randomNonce() throws {
        let first = try cipher.seal("+351912345789", field: .phone)
        let second = try cipher.seal("+351912345789", field: .phone)
        #expect(first != second)
        #expect(first[5..<17] != second[5..<17])
        #expect(try cipher.open(first, field: .phone) == cipher.open(second, field: .phone))
    }

    @Test("Art5_1_f: a ciphertext moved to another contact, organization or field fails authentication")
    func boundToPlace() throws {
        let sealed = try cipher.seal("+351912345789", field: .phone)
        let otherContact = FieldCipher(key: key, org: Fixture.org, contact: Fixture.otherContact)
        let otherOrg = FieldCipher(key: key, org: Fixture.otherOrg, contact: Fixture.contact)
        #expect(throws: CipherError.authenticationFailed) { try otherContact.open(sealed, field: .phone) }
        #expect(throws: CipherError.authenticationFailed) { try otherOrg.open(sealed, field: .phone) }
        #expect(throws: CipherError.authenticationFailed) { try cipher.open(sealed, field: .email) }
        #expect(throws: CipherError.authenticationFailed) { try cipher.open(sealed, field: "accountNumber") }
    }

    @Test("Art17: once the subject key is gone, another key cannot open the fields (crypto-shredding)")
    func otherKeyFails() throws {
        let sealed = try cipher.seal("+351912345789", field: .phone)
        let replacement = FieldCipher(key: SubjectKey.generate(), org: Fixture.org, contact: Fixture.contact)
        #expect(throws: CipherError.authenticationFailed) { try replacement.open(sealed, field: .phone) }
    }

    @Test("Art5_1_f: flipping any bit of the nonce, ciphertext or tag fails authentication")
    func flippedByte() throws {
        let sealed = try cipher.seal("+351912345789", field: .phone)
        for index in 5..<sealed.count {
            for bit: UInt8 in [0x01, 0x80] {
                var tampered = sealed
                tampered[index] ^= bit
                #expect(throws: CipherError.authenticationFailed, "byte \(index)") { try cipher.open(tampered, field: .phone) }
            }
        }
    }

    @Test("Art5_1_f: altering the key version in the header fails authentication")
    func flippedVersion() throws {
        let sealed = try cipher.seal("+351912345789", field: .phone)
        for index in 1..<5 {
            var tampered = sealed
            tampered[index] ^= 0x01
            #expect(throws: (any Error).self, "byte \(index)") { try cipher.open(tampered, field: .phone) }
        }
    }

    @Test("A ciphertext in an unknown format is malformed")
    func wrongFormatByte() throws {
        var sealed = try cipher.seal("+351912345789", field: .phone)
        sealed[0] = 2
        #expect(throws: CipherError.malformed) { try cipher.open(sealed, field: .phone) }
    }

    @Test("Input shorter than header, nonce and tag is malformed", arguments: [0, 1, 5, 17, 32])
    func truncatedBelowMinimum(length: Int) throws {
        let sealed = try cipher.seal("+351912345789", field: .phone)
        #expect(throws: CipherError.malformed) { try cipher.open(Array(sealed.prefix(length)), field: .phone) }
    }

    @Test("Art5_1_f: a ciphertext cut short but above the minimum fails authentication")
    func truncatedAboveMinimum() throws {
        let sealed = try cipher.seal("+351912345789", field: .phone)
        #expect(throws: CipherError.authenticationFailed) { try cipher.open(Array(sealed.dropLast()), field: .phone) }
        #expect(throws: CipherError.authenticationFailed) { try cipher.open(Array(sealed.prefix(33)), field: .phone) }
    }

    @Test("Cipher errors describe the problem without carrying data")
    func errorDescriptions() {
        #expect(CipherError.authenticationFailed.description.contains("altered"))
        #expect(CipherError.wrongMasterKey.description.contains("GUARDLINE_MASTER_KEY_FILE"))
        #expect(CipherError.malformed.description.contains("format"))
    }
}
