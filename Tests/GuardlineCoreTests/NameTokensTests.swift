import GuardlineCore
import Testing

@Suite("NameTokens")
struct NameTokensTests {
    @Test("Diacritics and case are folded; hyphens and runs of spaces separate tokens")
    func foldsDiacriticsAndCase() {
        #expect(NameTokens.of("José  Álvarez-Núñez") == ["jose", "alvarez", "nunez"])
        #expect(NameTokens.of("FRANÇOIS Müller") == ["francois", "muller"])
    }

    @Test("Repeated tokens are kept once, in order of first appearance")
    func deduplicates() {
        #expect(NameTokens.of("Ana Maria ANA") == ["ana", "maria"])
        #expect(NameTokens.of("Silva silva SÍLVA") == ["silva"])
    }

    @Test("Punctuation separates tokens and never becomes one")
    func splitsOnPunctuation() {
        #expect(NameTokens.of("O'Brien, Seán (Dr.)") == ["o", "brien", "sean", "dr"])
        #expect(NameTokens.of("Maria.Silva/Santos") == ["maria", "silva", "santos"])
    }

    @Test("Digits are tokens")
    func keepsDigits() {
        #expect(NameTokens.of("Agent 007") == ["agent", "007"])
    }

    @Test("Full-width letters fold to their plain form")
    func foldsWidth() {
        #expect(NameTokens.of("ＪＯＳＥ") == ["jose"])
    }

    @Test("A name without letters or digits has no tokens", arguments: ["", "   ", "---", "!?.,", "\n\t"])
    func emptyForNoLetters(name: String) {
        #expect(NameTokens.of(name).isEmpty)
    }
}
