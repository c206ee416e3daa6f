import GuardlineCore
import GuardlineCrypto
import Testing

/// Exact lookups without plaintext in the database (Art32 pseudonymisation).
@Suite("BlindIndex (Art32)")
struct BlindIndexTests {
    let index = Fixture.ring(1).blindIndex

    @Test("Art32: the same value gives the same 32-byte hash, across rings from the same master")
    func deterministic() {
        let hash = index.hash(.phone, "+351912345789", org: Fixture.org)
        #expect(hash.count == 32)
        #expect(hash == index.hash(.phone, "+351912345789", org: Fixture.org))
        #expect(hash == Fixture.ring(1).blindIndex.hash(.phone, "+351912345789", org: Fixture.org))
    }

    @Test("Art32: another master key gives another hash")
    func differsPerMaster() {
        #expect(index.hash(.phone, "+351912345789", org: Fixture.org)
            != Fixture.ring(2).blindIndex.hash(.phone, "+351912345789", org: Fixture.org))
    }

    @Test("Art32: equal values in two organizations never share an entry")
    func differsPerOrg() {
        #expect(index.hash(.email, "maria@example.pt", org: Fixture.org)
            != index.hash(.email, "maria@example.pt", org: Fixture.otherOrg))
    }

    @Test("Equal strings of different kinds never share an entry")
    func differsPerKind() {
        let hashes = BlindIndex.Kind.allCases.map { index.hash($0, "silva", org: Fixture.org) }
        #expect(Set(hashes).count == BlindIndex.Kind.allCases.count)
    }

    @Test("Different values give different hashes")
    func differsPerValue() {
        #expect(index.hash(.phone, "+351912345789", org: Fixture.org) != index.hash(.phone, "+351912345788", org: Fixture.org))
        #expect(index.hash(.nameToken, "silva", org: Fixture.org) != index.hash(.nameToken, "Silva", org: Fixture.org))
    }

    @Test("A contact yields one phone term, one email term and one term per distinct name token")
    func terms() {
        let terms = index.terms(for: [
            .name: "José  Álvarez-Núñez",
            .phone: "+351912345789",
            .email: "jose@example.es",
            .address: "Calle Mayor 1",
            .birthDate: "1980-04-02",
        ], org: Fixture.org)
        #expect(terms.map(\.kind) == [.phone, .email, .nameToken, .nameToken, .nameToken])
        #expect(terms[0].hash == index.hash(.phone, "+351912345789", org: Fixture.org))
        #expect(terms[1].hash == index.hash(.email, "jose@example.es", org: Fixture.org))
        #expect(terms.dropFirst(2).map(\.hash) == ["jose", "alvarez", "nunez"].map { index.hash(.nameToken, $0, org: Fixture.org) })
    }

    @Test("A name typed without accents finds the accented name's terms")
    func nameLookupFolds() {
        let stored = index.terms(for: [.name: "José Álvarez"], org: Fixture.org).map(\.hash)
        let typed = NameTokens.of("JOSE alvarez").map { index.hash(.nameToken, $0, org: Fixture.org) }
        #expect(stored == typed)
    }

    @Test("Repeated name tokens give one term; unindexed fields give none")
    func termsDeduplicateAndSkip() {
        #expect(index.terms(for: [.name: "Ana Ana Silva"], org: Fixture.org).count == 2)
        #expect(index.terms(for: [.address: "Rua Augusta 1", "accountNumber": "PT50"], org: Fixture.org).isEmpty)
        #expect(index.terms(for: [.name: "!!!"], org: Fixture.org).isEmpty)
    }
}
