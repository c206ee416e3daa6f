/// Where personal data sits in a text: its kind and its byte range in the UTF-8 text.
public struct RedactionFinding: Sendable, Equatable {
    public let kind: RedactionKind
    public let range: Range<Int>

    public init(kind: RedactionKind, range: Range<Int>) {
        self.kind = kind
        self.range = range
    }
}

/// What happens to what is found: masked (the original is gone: only the placeholder
/// is stored) or tokenized (a numbered placeholder, the original handed back to the
/// caller to seal under the contact's key). Security codes are masked under either.
public enum RedactionPolicy: String, Sendable, Codable, CaseIterable {
    case mask
    case tokenize
}

/// A text after redaction.
public struct RedactedText: Sendable, Equatable {
    public let text: String
    public let findings: [RedactionFinding]
    /// Tokenized only: each token and the original it stands for. Empty when masked.
    public let originals: [String: String]
}

/// Finds payment card numbers (Luhn) and their security codes, IBANs (mod 97), email
/// addresses, phone numbers and national identifiers (PT NIF, ES DNI/NIE, FR NIR, DE
/// Steuer-ID, IT codice fiscale, UK NINO) in notes, chats, emails and transcripts, in
/// digits or read aloud in English or Portuguese, and replaces them.
///
/// A number alone is ambiguous (nine digits are a Portuguese mobile or a tax number);
/// check digits and the words said just before it decide. When in doubt between two
/// kinds of personal data, either is redacted: the kind only names the placeholder.
public struct Redactor: Sendable {
    /// How many words before a number are read for what it is: enough to reach back
    /// across a speaker's label to the question in the turn before.
    static let contextWords = 12

    public init() {}

    public func findings(in text: String) -> [RedactionFinding] { findings(Array(text.utf8)) }

    public func redact(_ text: String, policy: RedactionPolicy = .mask) -> RedactedText {
        let bytes = Array(text.utf8)
        let found = findings(bytes)
        var originals: [String: String] = [:]
        var counters: [RedactionKind: Int] = [:]
        var output = [UInt8]()
        output.reserveCapacity(bytes.count)
        var cursor = 0
        for finding in found {
            output.append(contentsOf: bytes[cursor..<finding.range.lowerBound])
            output.append(contentsOf: placeholder(finding, in: bytes, policy: policy, counters: &counters, originals: &originals).utf8)
            cursor = finding.range.upperBound
        }
        output.append(contentsOf: bytes[cursor...])
        return RedactedText(text: String(decoding: output, as: UTF8.self), findings: found, originals: originals)
    }

    /// A transcript, turn by turn, read as one conversation: a card number read across two
    /// turns, or a security code asked for in one turn and given in the next, is found
    /// whole, and each turn keeps its own redacted part.
    public func redact(turns: [String], policy: RedactionPolicy = .mask) -> [RedactedText] {
        var bytes = [UInt8]()
        var ranges: [Range<Int>] = []
        for turn in turns {
            if !bytes.isEmpty { bytes.append(0x0A) }
            let start = bytes.count
            bytes.append(contentsOf: turn.utf8)
            ranges.append(start..<bytes.count)
        }
        let found = findings(bytes)
        var originals: [String: String] = [:]
        var counters: [RedactionKind: Int] = [:]
        // One token for a value split across turns: each part shows it.
        var tokens: [Range<Int>: String] = [:]
        return ranges.map { turn in
            var output = [UInt8](), turnFindings: [RedactionFinding] = [], turnOriginals: [String: String] = [:]
            var cursor = turn.lowerBound
            for finding in found where finding.range.overlaps(turn) {
                let part = max(finding.range.lowerBound, turn.lowerBound)..<min(finding.range.upperBound, turn.upperBound)
                output.append(contentsOf: bytes[cursor..<part.lowerBound])
                let text = tokens[finding.range] ?? placeholder(finding, in: bytes, policy: policy, counters: &counters, originals: &originals)
                tokens[finding.range] = text
                if let original = originals[text] { turnOriginals[text] = original }
                output.append(contentsOf: text.utf8)
                turnFindings.append(RedactionFinding(kind: finding.kind, range: (part.lowerBound - turn.lowerBound)..<(part.upperBound - turn.lowerBound)))
                cursor = part.upperBound
            }
            output.append(contentsOf: bytes[cursor..<turn.upperBound])
            return RedactedText(text: String(decoding: output, as: UTF8.self), findings: turnFindings, originals: turnOriginals)
        }
    }

    private func placeholder(
        _ finding: RedactionFinding, in bytes: [UInt8], policy: RedactionPolicy, counters: inout [RedactionKind: Int], originals: inout [String: String]
    ) -> String {
        // A card's security code may not be kept after authorization, sealed or not (PCI DSS 3.3.1): always masked.
        guard policy == .tokenize, finding.kind != .securityCode else { return finding.kind.placeholder }
        counters[finding.kind, default: 0] += 1
        let token = "\(finding.kind.placeholder.dropLast())-\(counters[finding.kind]!)]"
        originals[token] = String(decoding: bytes[finding.range], as: UTF8.self)
        return token
    }

    // MARK: Finding

    func findings(_ bytes: [UInt8]) -> [RedactionFinding] {
        let text = NormalizedText(bytes)
        let tokens = TextTokens(text.bytes)
        var words = WordIndex(tokens)
        words.amounts = Amounts.tokens(tokens, words: words)
        var found = CardNumbers.findings(tokens, words: &words)
        found += DigitRuns.findings(tokens, cards: found.map(\.range), words: &words)
        found += Addresses.findings(tokens, words: words)
        found += Alphanumerics.findings(tokens)
        return Self.resolve(found.map { RedactionFinding(kind: $0.kind, range: text.original($0.range)) })
    }

    /// Overlapping findings become one, over both: no part of either is left in the text.
    /// It takes the kind of the longest (an IBAN whose digits also hold a Luhn-valid stretch
    /// stays an IBAN), payment data first among equals.
    static func resolve(_ found: [RedactionFinding]) -> [RedactionFinding] {
        let ordered = found.sorted { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
        var merged: [(range: Range<Int>, kind: RedactionKind, length: Int)] = []
        for finding in ordered {
            if let last = merged.last, last.range.overlaps(finding.range) {
                let longer = finding.range.count > last.length || (finding.range.count == last.length && finding.kind < last.kind)
                merged[merged.count - 1] = (
                    last.range.lowerBound..<max(last.range.upperBound, finding.range.upperBound),
                    longer ? finding.kind : last.kind, max(last.length, finding.range.count))
            } else {
                merged.append((finding.range, finding.kind, finding.range.count))
            }
        }
        return merged.map { RedactionFinding(kind: $0.kind, range: $0.range) }
    }
}

/// The words of a text in lowercase, by token, and the ones said just before a position.
struct WordIndex {
    /// Each token's word in lowercase (nil for digits, spaces and symbols).
    let lowered: [String?]
    /// The indexes of the word tokens, in text order.
    private let wordTokens: [Int]
    /// Set once a card number was found: "the code" after it is its security code.
    var cardFound = false
    /// The last word that made a number a security code: the next number after it is the
    /// code, not every short number in the words that follow ("CVV 286; amount 102,99").
    var spent = -1
    /// The same for the words that ask for a phone number.
    var spentPhone = -1
    /// The last token of each card number found: a short number soon after is its code.
    var cardEnds: [Int] = []
    /// The digits of every card number and security code found: wherever else they are read
    /// out again ("719, correct?"), they are masked too.
    var secrets: Set<[UInt8]> = []
    /// The digit tokens that are sums of money (`Amounts`): no card, code or phone is read into them.
    var amounts: Set<Int> = []

    init(_ tokens: TextTokens) {
        var lowered = [String?](repeating: nil, count: tokens.tokens.count)
        var wordTokens: [Int] = []
        for (index, token) in tokens.tokens.enumerated() where token.kind == .word {
            lowered[index] = tokens.word(token)
            wordTokens.append(index)
        }
        self.lowered = lowered
        self.wordTokens = wordTokens
    }

    /// Whether one of `vocabulary` is among the few words right after token `index` ("719 is the code").
    func follows(_ vocabulary: Set<String>, after index: Int, within count: Int = 4) -> Bool {
        var low = 0, high = wordTokens.count
        while low < high {
            let middle = (low + high) / 2
            if wordTokens[middle] <= index { low = middle + 1 } else { high = middle }
        }
        return wordTokens[low..<min(wordTokens.count, low + count)].contains { lowered[$0].map(vocabulary.contains) ?? false }
    }

    /// Whether one of `vocabulary` is among the `count` words just before token `index`.
    func said(_ vocabulary: Set<String>, justBefore index: Int, count: Int) -> Bool {
        var low = 0, high = wordTokens.count
        while low < high {
            let middle = (low + high) / 2
            if wordTokens[middle] < index { low = middle + 1 } else { high = middle }
        }
        return wordTokens[max(0, low - count)..<low].contains { lowered[$0].map(vocabulary.contains) ?? false }
    }

    /// Whether one of `vocabulary` is among the `Redactor.contextWords` words before token `index`.
    func mentions(_ vocabulary: Set<String>, before index: Int) -> Bool { mention(vocabulary, before: index) != nil }

    /// The token of the nearest of `vocabulary` among the `Redactor.contextWords` words before
    /// token `index`, after `floor`.
    func mention(_ vocabulary: Set<String>, before index: Int, after floor: Int = -1) -> Int? {
        var low = 0, high = wordTokens.count
        while low < high {
            let middle = (low + high) / 2
            if wordTokens[middle] < index { low = middle + 1 } else { high = middle }
        }
        return wordTokens[max(0, low - Redactor.contextWords)..<low].last { $0 > floor && (lowered[$0].map(vocabulary.contains) ?? false) }
    }
}
