import Foundation
import Testing

@testable import GuardlineCore

/// The redactor that notes, chats, emails and transcripts pass before they are stored.
@Suite("Redaction of free text") struct RedactorTests {
    let redactor = Redactor()

    @Test("a card number with its security code, written or read aloud, leaves no digit of either")
    func cards() {
        let written = redactor.redact("Card 4532 0151 1283 0366, CVV 123, thanks")
        #expect(written.text == "Card [CARD], CVV [SECURITY CODE], thanks")
        let glued = redactor.redact("card:4532015112830366 exp 09/28")
        #expect(glued.text == "card:[CARD] exp 09/28")
        let spoken = redactor.redact("it's four five three two zero one five one one two eight three zero three six six")
        #expect(spoken.text == "it's [CARD]")
        // No-break spaces and dashes group digits as well as spaces do.
        #expect(redactor.redact("4532\u{A0}0151\u{A0}1283\u{A0}0366").text == "[CARD]")
        #expect(redactor.redact("4532-0151-1283-0366").text == "[CARD]")
        // Sixteen digits that fail the check are not a card.
        #expect(redactor.redact("Tracking 4532 0151 1283 0367").findings.allSatisfy { $0.kind != .cardNumber })
    }

    @Test("a number read across two turns, and a code asked in one turn and given in the next, are found whole")
    func transcripts() {
        let turns = redactor.redact(turns: [
            "Customer: it's four five three two zero one five one", "one two eight three zero three six six",
            "Agent: and the three digits on the back?", "Customer: seven one nine",
        ])
        #expect(turns.map(\.text) == ["Customer: it's [CARD]", "[CARD]", "Agent: and the three digits on the back?", "Customer: [SECURITY CODE]"])
        let portuguese = redactor.redact(turns: ["Agente: e o código de segurança?", "Cliente: é três um quatro"])
        #expect(portuguese[1].text == "Cliente: é [SECURITY CODE]")
    }

    @Test("IBANs, emails, phones and national ids, each by its own check")
    func kinds() {
        let cases: [(String, RedactionKind)] = [
            ("PT50 0002 0123 1234 5678 9015 4", .iban), ("DE89370400440532013000", .iban),
            ("ana.silva@example.pt", .email), ("ana dot silva at example dot com", .email), ("rui arroba exemplo ponto pt", .email),
            ("+351 912 345 678", .phone), ("912 345 678", .phone), ("06 12 34 56 78", .phone),
            ("NIF 123456789", .nationalID), ("DNI 12345678Z", .nationalID), ("NIE X-1234567-L", .nationalID),
            ("sécurité sociale 1 84 12 76 451 089 46", .nationalID), ("Steuer-ID 86095742719", .nationalID),
            ("codice fiscale RSSMRA85T10A562S", .nationalID), ("NINO AB 12 34 56 C", .nationalID),
        ]
        for (text, kind) in cases {
            let found = redactor.findings(in: text)
            #expect(found.map(\.kind) == [kind], "\(text): \(found)")
        }
        // What must stay.
        for text in ["Order 48213 shipped 12/05/2024 at 14:30, total 129.90", "one moment please", "Postcode 1200-195 Lisboa", "INV-2024-00871",
                     "NIF 123456788", "DNI 12345678A", "IBAN PT50 0002 0123 1234 5678 9015 5"] {
            #expect(redactor.findings(in: text).isEmpty, "\(text)")
        }
    }

    @Test("no digit of a card or its code survives: dates before it, commas, slashes, codes after it or read back, typed together")
    func cardsWhateverTheForm() {
        let card = ["4532", "0151", "1283", "0366"]
        for text in [
            "20.01.2023 4532 0151 1283 0366", "2023-01-20 4532 0151 1283 0366", "4532, 0151, 1283, 0366", "4532/0151/1283/0366",
            "4532_0151_1283_0366", "4532|0151|1283|0366", "4532 0151 1283 oh three six six", "card 4532015112830366123",
            "4532&nbsp;0151&nbsp;1283&nbsp;0366", "４５３２０１５１１２８３０３６６", "٤٥٣٢٠١٥١١٢٨٣٠٣٦٦",
            "4532\u{200B}0151\u{200B}1283\u{200B}0366", "4532\u{00AD}0151\u{00AD}1283\u{00AD}0366", "4532\u{2212}0151\u{2212}1283\u{2212}0366",
        ] {
            let masked = redactor.redact(text).text
            #expect(!card.contains { masked.contains($0) } && masked.contains("[CARD]"), "\(text) -> \(masked)")
        }
        for text in [
            "card 4532015112830366, 123", "4532 0151 1283 0366 123 0928", "4532015112830366 09/28 123", "719 is the security code",
            "the security code is 123. Let me read it back: 123, correct?",
        ] {
            #expect(!redactor.redact(text).text.contains("123") && !redactor.redact(text).text.contains("719"), "\(text) -> \(redactor.redact(text).text)")
        }
        let readBack = redactor.redact(turns: ["Agent: the three digits on the back?", "Customer: seven one nine", "Agent: seven one nine, thank you"])
        #expect(readBack[2].text == "Agent: [SECURITY CODE], thank you")
        // The original text around a masked value keeps its own characters.
        #expect(redactor.redact("«FR76\u{A0}3000\u{A0}6000\u{A0}0112\u{A0}3456\u{A0}7890\u{A0}189»").text == "«[IBAN]»")
        #expect(redactor.findings(in: "NIF 451234561 e DNI 12.345.678-Z").map(\.kind) == [.nationalID, .nationalID])
    }

    @Test("long or crafted input is read in one pass and never crashes")
    func craftedInput() {
        for text in [String(repeating: "1 ", count: 200_000), String(repeating: "double ", count: 100_000), String(repeating: "one ", count: 100_000),
                     String(repeating: "@", count: 100_000), String(repeating: "AB12 ", count: 50_000), String(repeating: "4532 0151 1283 0366 ", count: 10_000)] {
            let redacted = redactor.redact(text)
            #expect(redacted.text.utf8.count > 0)
        }
    }

    @Test("masked, the original is gone; tokenized, each token hands its original back to be sealed")
    func policies() {
        let text = "Write to ana.silva@example.pt or call 912 345 678; card 4532 0151 1283 0366."
        let masked = redactor.redact(text)
        for value in ["ana.silva", "912", "4532"] { #expect(!masked.text.contains(value)) }
        #expect(masked.originals.isEmpty)
        let tokenized = redactor.redact(text, policy: .tokenize)
        #expect(tokenized.text == "Write to [EMAIL-1] or call [PHONE-1]; card [CARD-1].")
        #expect(tokenized.originals == ["[EMAIL-1]": "ana.silva@example.pt", "[PHONE-1]": "912 345 678", "[CARD-1]": "4532 0151 1283 0366"])
    }

    @Test("sums of money and references are not read as cards, codes or phones; nothing beside a currency escapes", arguments: [
        ("card 4542 4821 0646 5161 cvv 176 and its £42.99 right?", "card [CARD] cvv [SECURITY CODE] and its £42.99 right?"),
        ("Enc. nº EN52196916 (1138,33€) reembolso", "Enc. nº EN52196916 (1138,33€) reembolso"),
        ("ref. multibanco: entidade 11249 ref. 030 666 385 valor 37,50€", "ref. multibanco: entidade 11249 ref. 030 666 385 valor 37,50€"),
        ("$4532015112830366", "$[CARD]"),
        ("4532015112830366 EUR", "[CARD] EUR"),
        ("card 4532 0151 1283 0366 €", "card [CARD] €"),
        ("Paid 49,99 EUR 4532 0151 1283 0366", "Paid 49,99 EUR [CARD]"),
        ("MB WAY 912 345 678 €20", "MB WAY [PHONE] €20"),
        ("ref 912345678 call me", "ref [PHONE] call me"),
        ("o telemóvel é o nove três dois 8 oito cinco 7 três zero", "o telemóvel é o [PHONE]"),
        ("security code seven one nine 12 28", "security code [SECURITY CODE] 12 28"),
        ("o iban é\nPT50 0002 0123\n1234 5678 9015 4", "o iban é\n[IBAN]"),
    ])
    func amountsAndReferences(text: String, expected: String) {
        #expect(redactor.redact(text).text == expected)
    }

    @Test("text that is not personal data passes unchanged, byte for byte")
    func untouched() {
        let text = "Olá! O cliente ligou às 10h30 — pediu a 2.ª via da fatura n.º 2024/118 (45,50 €)."
        #expect(redactor.redact(text).text == text)
        #expect(redactor.redact("").text == "")
    }
}

/// The labeled corpus (Tests/RedactionCorpus/corpus.jsonl): recall on card numbers and
/// security codes must be total; precision and recall overall are measured and bounded.
@Suite("Redaction corpus") struct RedactionCorpusTests {
    static func corpus() throws -> [RedactionScore.Sample] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("RedactionCorpus/corpus.jsonl")
        return try RedactionScore.Sample.corpus(String(contentsOf: url, encoding: .utf8))
    }

    @Test("every card number and security code is found; recall overall at least 95%, precision at least 97%")
    func measured() throws {
        let redactor = Redactor()
        var score = RedactionScore()
        for sample in try Self.corpus() {
            let absent = score.add(sample, findings: redactor.findings(in: sample.text).map(\.range))
            #expect(absent.isEmpty, "\(sample.id): labels not in the text")
        }
        print("redaction corpus: \(score.labeled) values, recall \(score.recall), precision \(score.precision); by kind \(score.byKind)")
        #expect(score.byKind["cardNumber"].map { $0.covered == $0.labeled && $0.labeled > 0 } == true, "missed: \(score.missed)")
        #expect(score.byKind["securityCode"].map { $0.covered == $0.labeled && $0.labeled > 0 } == true, "missed: \(score.missed)")
        #expect(score.recall >= 0.95, "missed: \(score.missed)")
        #expect(score.precision >= 0.97, "spurious: \(score.spurious)")
    }

    /// Written by someone who had not read the redactor (Tests/RedactionCorpus/make_heldout.py and
    /// make_heldout2.py). The first one's first measure (recall 0.891, precision 0.964) led to general
    /// fixes: pauses written "...", digits read in Spanish, French, German and Italian, expiry dates beside
    /// security codes, area codes in parentheses. The second's (recall 0.956, precision 0.923) to two more:
    /// digits read aloud that speech to text partly wrote as numerals, and IBANs wrapped onto the next line.
    @Test("corpora written apart from the redactor: every card number and security code; recall at least 95%, precision bounded",
          arguments: [("heldout.jsonl", 0.97), ("heldout2.jsonl", 0.95)])
    func heldOut(file: String, minimumPrecision: Double) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("RedactionCorpus/\(file)")
        let redactor = Redactor()
        var score = RedactionScore()
        for sample in try RedactionScore.Sample.corpus(String(contentsOf: url, encoding: .utf8)) {
            let absent = score.add(sample, findings: redactor.findings(in: sample.text).map(\.range))
            #expect(absent.isEmpty, "\(sample.id): labels not in the text")
        }
        print("held-out corpus \(file): \(score.labeled) values, recall \(score.recall), precision \(score.precision); missed \(score.missed); spurious \(score.spurious)")
        #expect(score.byKind["cardNumber"].map { $0.covered == $0.labeled && $0.labeled > 0 } == true, "missed: \(score.missed)")
        #expect(score.byKind["securityCode"].map { $0.covered == $0.labeled && $0.labeled > 0 } == true, "missed: \(score.missed)")
        #expect(score.recall >= 0.95, "missed: \(score.missed)")
        #expect(score.precision >= minimumPrecision, "spurious: \(score.spurious)")
    }

    @Test("the score counts a half-masked value as missed and a stray finding as spurious")
    func scoring() {
        var score = RedactionScore()
        score.add(sample: "s", text: "card 4532 0151 1283 0366 ok", labels: [("cardNumber", "4532 0151 1283 0366")], findings: [5..<15, 25..<27])
        #expect(score.labeled == 1 && score.covered == 0 && score.found == 2 && score.relevant == 1)
        #expect(score.recall == 0 && score.precision == 0.5)
    }
}
