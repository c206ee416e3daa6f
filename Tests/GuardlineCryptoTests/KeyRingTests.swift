import GuardlineCore
import GuardlineCrypto
import Testing

/// Every derived key follows from the master key alone (Art32).
@Suite("KeyRing (Art32)")
struct KeyRingTests {
    @Test("Art32: the same master key gives the same derived keys")
    func sameMasterSameKeys() throws {
        let a = Fixture.ring(1)
        let b = Fixture.ring(1)
        #expect(a.masterKeyID == b.masterKeyID)
        #expect(a.blindIndex.hash(.phone, "+351912345789", org: Fixture.org)
            == b.blindIndex.hash(.phone, "+351912345789", org: Fixture.org))
        #expect(a.tokenHasher.hash("gl_token") == b.tokenHasher.hash("gl_token"))
        #expect(a.checkpointSigner.publicKey == b.checkpointSigner.publicKey)
        let signature = try a.checkpointSigner.sign(org: Fixture.org, seq: 1, hash: [1, 2, 3])
        #expect(b.checkpointSigner.verify(signature, org: Fixture.org, seq: 1, hash: [1, 2, 3]))
    }

    @Test("Art32: a different master key gives different derived keys")
    func differentMasterDifferentKeys() {
        let a = Fixture.ring(1)
        let b = Fixture.ring(2)
        #expect(a.masterKeyID != b.masterKeyID)
        #expect(a.blindIndex.hash(.phone, "+351912345789", org: Fixture.org)
            != b.blindIndex.hash(.phone, "+351912345789", org: Fixture.org))
        #expect(a.tokenHasher.hash("gl_token") != b.tokenHasher.hash("gl_token"))
        #expect(a.checkpointSigner.publicKey != b.checkpointSigner.publicKey)
    }

    @Test("The master key id is stable across rings and distinct across many master keys")
    func masterKeyIDStable() {
        let ids = (0..<20).map { Fixture.ring(UInt8($0)).masterKeyID }
        #expect(ids == (0..<20).map { Fixture.ring(UInt8($0)).masterKeyID })
        #expect(Set(ids).count == 20)
    }

    @Test("Art32: each job gets its own key: the index and token keys never agree")
    func keysAreSeparatedByPurpose() {
        let ring = Fixture.ring(1)
        // Same input bytes through both keyed hashes: "<org>|phone|" + value vs the whole string as a token.
        let input = "\(Fixture.org)|phone|+351912345789"
        #expect(ring.blindIndex.hash(.phone, "+351912345789", org: Fixture.org) != ring.tokenHasher.hash(input))
    }
}
