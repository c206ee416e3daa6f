import GuardlineCrypto
import Testing

/// Tokens are random and stored only as keyed hashes (Art32).
@Suite("TokenHasher (Art32)")
struct TokenHasherTests {
    @Test("A new token is gl_ followed by 43 URL-safe base64 characters")
    func format() {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        for _ in 0..<50 {
            let token = TokenHasher.newToken()
            #expect(token.hasPrefix("gl_"))
            #expect(token.count == 46)
            #expect(token.dropFirst(3).allSatisfy { allowed.contains($0) }, "\(token)")
        }
    }

    @Test("Art32: new tokens do not repeat")
    func unique() {
        let tokens = (0..<500).map { _ in TokenHasher.newToken() }
        #expect(Set(tokens).count == 500)
    }

    @Test("Art32: a token's hash is the same for rings from the same master key")
    func deterministic() {
        let token = TokenHasher.newToken()
        let hash = Fixture.ring(1).tokenHasher.hash(token)
        #expect(hash.count == 32)
        #expect(hash == Fixture.ring(1).tokenHasher.hash(token))
    }

    @Test("Art32: another master key gives another hash, so a copied table is useless elsewhere")
    func differsAcrossRings() {
        let token = TokenHasher.newToken()
        #expect(Fixture.ring(1).tokenHasher.hash(token) != Fixture.ring(2).tokenHasher.hash(token))
    }

    @Test("Different tokens give different hashes, and the hash does not contain the token")
    func differsPerToken() {
        let hasher = Fixture.ring(1).tokenHasher
        let token = TokenHasher.newToken()
        #expect(hasher.hash(token) != hasher.hash(token + "x"))
        #expect(hasher.hash(token) != hasher.hash(String(token.dropLast())))
        #expect(!hasher.hash(token).contains(run: Array(token.utf8.prefix(8))))
    }
}
