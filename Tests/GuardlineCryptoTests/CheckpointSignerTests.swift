import GuardlineCore
import GuardlineCrypto
import Testing

/// Signed checkpoints pin the audit chain, so rewriting the table is not enough to hide a change (Art5_2, Art32).
@Suite("CheckpointSigner (Art5_2, Art32)")
struct CheckpointSignerTests {
    let signer = Fixture.ring(1).checkpointSigner
    let hash = (0..<32).map { UInt8($0 * 7 & 0xFF) }

    @Test("Art5_2: a fresh signature verifies")
    func verifies() throws {
        let signature = try signer.sign(org: Fixture.org, seq: 42, hash: hash)
        #expect(signature.count == 64)
        #expect(signer.verify(signature, org: Fixture.org, seq: 42, hash: hash))
        #expect(signer.publicKey.count == 32)
    }

    @Test("Art5_2: the signature no longer verifies if the seq, hash or organization changes")
    func boundToCheckpoint() throws {
        let signature = try signer.sign(org: Fixture.org, seq: 42, hash: hash)
        var otherHash = hash
        otherHash[0] ^= 0x01
        #expect(!signer.verify(signature, org: Fixture.org, seq: 43, hash: hash))
        #expect(!signer.verify(signature, org: Fixture.org, seq: 41, hash: hash))
        #expect(!signer.verify(signature, org: Fixture.org, seq: 42, hash: otherHash))
        #expect(!signer.verify(signature, org: Fixture.org, seq: 42, hash: Array(hash.dropLast())))
        #expect(!signer.verify(signature, org: Fixture.otherOrg, seq: 42, hash: hash))
    }

    @Test("Art32: a signature by another master key, or a tampered signature, does not verify")
    func forgedSignatures() throws {
        let foreign = try Fixture.ring(2).checkpointSigner.sign(org: Fixture.org, seq: 42, hash: hash)
        #expect(!signer.verify(foreign, org: Fixture.org, seq: 42, hash: hash))
        var tampered = try signer.sign(org: Fixture.org, seq: 42, hash: hash)
        tampered[10] ^= 0x01
        #expect(!signer.verify(tampered, org: Fixture.org, seq: 42, hash: hash))
        #expect(!signer.verify([], org: Fixture.org, seq: 42, hash: hash))
    }

    @Test("Rings from the same master key share the public key; another master has another")
    func publicKey() {
        #expect(signer.publicKey == Fixture.ring(1).checkpointSigner.publicKey)
        #expect(signer.publicKey != Fixture.ring(2).checkpointSigner.publicKey)
    }
}
