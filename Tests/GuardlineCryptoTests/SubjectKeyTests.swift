import GuardlineCore
import GuardlineCrypto
import Testing

/// Each contact's data key is stored only wrapped under the master key, bound to its contact (Art32, Art17).
@Suite("SubjectKey (Art32, Art17)")
struct SubjectKeyTests {
    let ring = Fixture.ring(1)
    let key = SubjectKey.generate()

    /// Whether `unwrapped` opens what `key` sealed.
    private func sameKey(_ unwrapped: SubjectKey) throws -> Bool {
        let sealed = try FieldCipher(key: key, org: Fixture.org, contact: Fixture.contact).seal("Maria Silva", field: .name)
        let opened = try? FieldCipher(key: unwrapped, org: Fixture.org, contact: Fixture.contact).open(sealed, field: .name)
        return opened == "Maria Silva"
    }

    @Test("Art32: a wrapped key unwraps to the same key")
    func roundTrip() throws {
        let wrapped = try key.wrapped(by: ring, org: Fixture.org, contact: Fixture.contact)
        let unwrapped = try SubjectKey.unwrap(wrapped, by: ring, org: Fixture.org, contact: Fixture.contact)
        #expect(unwrapped.version == key.version)
        #expect(try sameKey(unwrapped))
    }

    @Test("A ring rebuilt from the same master key unwraps it")
    func sameMasterUnwraps() throws {
        let wrapped = try key.wrapped(by: ring, org: Fixture.org, contact: Fixture.contact)
        #expect(try sameKey(SubjectKey.unwrap(wrapped, by: Fixture.ring(1), org: Fixture.org, contact: Fixture.contact)))
    }

    @Test("The wrapped form is 0x01, the master key id, the version and an AES-GCM box")
    func format() throws {
        let wrapped = try key.wrapped(by: ring, org: Fixture.org, contact: Fixture.contact)
        let id = ring.masterKeyID
        #expect(wrapped[0] == 1)
        #expect(Array(wrapped[1..<5]) == [UInt8(id >> 24), UInt8(id >> 16 & 0xFF), UInt8(id >> 8 & 0xFF), UInt8(id & 0xFF)])
        #expect(Array(wrapped[5..<9]) == [0, 0, 0, 1])
        #expect(wrapped.count == 9 + 12 + 32 + 16)
    }

    @Test("Wrapping twice gives different bytes that both unwrap")
    func randomNonce() throws {
        let first = try key.wrapped(by: ring, org: Fixture.org, contact: Fixture.contact)
        let second = try key.wrapped(by: ring, org: Fixture.org, contact: Fixture.contact)
        #expect(first != second)
        #expect(try sameKey(SubjectKey.unwrap(second, by: ring, org: Fixture.org, contact: Fixture.contact)))
    }

    @Test("Art32: unwrapping with a ring from another master key reports the wrong master key")
    func otherRing() throws {
        let wrapped = try key.wrapped(by: ring, org: Fixture.org, contact: Fixture.contact)
        #expect(throws: CipherError.wrongMasterKey) {
            try SubjectKey.unwrap(wrapped, by: Fixture.ring(2), org: Fixture.org, contact: Fixture.contact)
        }
    }

    @Test("Art32: relabelling a wrapped key with another ring's id still fails authentication")
    func forgedMasterKeyID() throws {
        var wrapped = try key.wrapped(by: ring, org: Fixture.org, contact: Fixture.contact)
        let other = Fixture.ring(2)
        let id = other.masterKeyID
        wrapped.replaceSubrange(1..<5, with: [UInt8(id >> 24), UInt8(id >> 16 & 0xFF), UInt8(id >> 8 & 0xFF), UInt8(id & 0xFF)])
        #expect(throws: CipherError.authenticationFailed) {
            try SubjectKey.unwrap(wrapped, by: other, org: Fixture.org, contact: Fixture.contact)
        }
    }

    @Test("Art32: a wrapped key is bound to its contact and organization")
    func boundToContact() throws {
        let wrapped = try key.wrapped(by: ring, org: Fixture.org, contact: Fixture.contact)
        #expect(throws: CipherError.authenticationFailed) {
            try SubjectKey.unwrap(wrapped, by: ring, org: Fixture.org, contact: Fixture.otherContact)
        }
        #expect(throws: CipherError.authenticationFailed) {
            try SubjectKey.unwrap(wrapped, by: ring, org: Fixture.otherOrg, contact: Fixture.contact)
        }
    }

    @Test("Art32: flipping a byte of the sealed box fails authentication")
    func flippedByte() throws {
        let wrapped = try key.wrapped(by: ring, org: Fixture.org, contact: Fixture.contact)
        for index in 9..<wrapped.count {
            var tampered = wrapped
            tampered[index] ^= 0x01
            #expect(throws: CipherError.authenticationFailed, "byte \(index)") {
                try SubjectKey.unwrap(tampered, by: ring, org: Fixture.org, contact: Fixture.contact)
            }
        }
    }

    @Test("Art32: altering the key version in the header fails authentication")
    func flippedVersion() throws {
        let wrapped = try key.wrapped(by: ring, org: Fixture.org, contact: Fixture.contact)
        var tampered = wrapped
        tampered[8] ^= 0x01
        #expect(throws: (any Error).self) {
            try SubjectKey.unwrap(tampered, by: ring, org: Fixture.org, contact: Fixture.contact)
        }
    }

    @Test("Short or foreign input is malformed", arguments: [0, 9, 37])
    func malformed(length: Int) throws {
        let wrapped = try key.wrapped(by: ring, org: Fixture.org, contact: Fixture.contact)
        #expect(throws: CipherError.malformed) {
            try SubjectKey.unwrap(Array(wrapped.prefix(length)), by: ring, org: Fixture.org, contact: Fixture.contact)
        }
        var foreign = wrapped
        foreign[0] = 0
        #expect(throws: CipherError.malformed) {
            try SubjectKey.unwrap(foreign, by: ring, org: Fixture.org, contact: Fixture.contact)
        }
    }

    @Test("Art17: every generated key is new, so a destroyed one cannot be recreated")
    func generatedKeysDiffer() throws {
        #expect(try !sameKey(SubjectKey.generate()))
        #expect(SubjectKey.generate().version == 1)
    }
}
