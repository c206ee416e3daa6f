/// Numbers in a text, written or read aloud, grouped the way people write and say them
/// ("4532 0151 1283 0366", "nove um dois, três quatro cinco"), then told apart: card
/// numbers by their check digit, security codes, national numbers and phones by their
/// length, their check digits and the words said before them.
enum DigitRuns {
    /// A group of digits: a written run, or one digit read aloud ("double five" is two).
    struct Unit {
        let digits: [UInt8]
        let token: Int
        let start: Int
        let end: Int
        let spoken: Bool
    }

    /// At most this many separator tokens between two groups of one number (" - ").
    static let maxSeparators = 3
    /// What may stand between two groups of one number.
    static let joiners: [UInt8] = [UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: ")")]

    static func findings(_ tokens: TextTokens, words: inout WordIndex) -> [RedactionFinding] {
        let list = tokens.tokens
        var found: [RedactionFinding] = []
        var index = 0
        while index < list.count {
            guard let (first, next) = unit(at: index, tokens, words) else {
                index += 1
                continue
            }
            var units = [first]
            var cursor = next
            extend: while cursor < list.count {
                var probe = cursor, separators = 0, comma = false, slash = false
                var previous: TextTokens.Kind?
                gap: while probe < list.count {
                    let kind = list[probe].kind
                    switch kind {
                    case .space: break
                    case .symbol(let symbol) where symbol == UInt8(ascii: ",") || symbol == UInt8(ascii: ";"): comma = true
                    case .symbol(let symbol) where symbol == UInt8(ascii: "/"): slash = true
                    case .symbol(let symbol) where joiners.contains(symbol): break
                    default: break gap
                    }
                    probe += 1
                    // A pause written as "..." is one separator, not three.
                    if kind != previous { separators += 1 }
                    previous = kind
                    if separators > maxSeparators { break extend }
                }
                // Written and spoken digits are not one number ("912 345 678 one moment"); commas part numbers
                // written out ("912 345 678, 213 456 789") but not digits read aloud one by one; a slash parts
                // a date or a reference ("12/05", "2024/118") but not an area code from its number ("030/6514870").
                guard probe < list.count, let (following, after) = unit(at: probe, tokens, words),
                      following.spoken == units.last!.spoken, !comma || following.spoken,
                      !slash || (units.count == 1 && !following.spoken && units[0].digits.first == 0 && units[0].digits.count <= 5
                                 && following.digits.count >= 4)
                else { break }
                units.append(following)
                cursor = after
            }
            // A leading "+" (international) or "(" (an area code) belongs to the number.
            var lead: Int?, international = false
            if index > 0, case .symbol(let symbol) = list[index - 1].kind, symbol == UInt8(ascii: "+") || symbol == UInt8(ascii: "(") {
                lead = list[index - 1].start
                international = symbol == UInt8(ascii: "+")
                if symbol == UInt8(ascii: "("), index > 1, case .symbol(let before) = list[index - 2].kind, before == UInt8(ascii: "+") {
                    lead = list[index - 2].start
                    international = true
                }
            }
            found += classify(units, lead: lead, international: international, code: partOfCode(index, list, words), words: &words)
            index = cursor
        }
        return found
    }

    /// Whether the run at token `index` is the tail of a reference like "INV-2024-00871" or
    /// "AB2024": written digits glued to a word, or joined to it by a hyphen or a dot, unless
    /// the word names what follows ("tel.912345678"). Such a run may still hold a card number.
    static func partOfCode(_ index: Int, _ list: [TextTokens.Token], _ words: WordIndex) -> Bool {
        guard index > 0, list[index].kind == .digits else { return false }
        var word = index - 1
        if case .symbol(let symbol) = list[word].kind, symbol == UInt8(ascii: "-") || symbol == UInt8(ascii: ".") {
            guard word > 0 else { return false }
            word -= 1
        }
        guard list[word].kind == .word, let text = words.lowered[word] else { return false }
        return !Vocabulary.phone.contains(text) && !Vocabulary.nationalID.contains(text) && !Vocabulary.securityCode.contains(text)
    }

    /// The unit starting at token `index`, and the token after it.
    static func unit(at index: Int, _ tokens: TextTokens, _ words: WordIndex) -> (Unit, Int)? {
        let token = tokens.tokens[index]
        switch token.kind {
        case .digits:
            let digits = tokens.bytes[token.start..<token.end].map { $0 - UInt8(ascii: "0") }
            return (Unit(digits: digits, token: index, start: token.start, end: token.end, spoken: false), index + 1)
        case .word:
            guard let word = words.lowered[index] else { return nil }
            if let digit = Vocabulary.digits[word] {
                return (Unit(digits: [digit], token: index, start: token.start, end: token.end, spoken: true), index + 1)
            }
            // "double five": the digit after one space, said twice.
            if let times = Vocabulary.repeats[word], index + 2 < tokens.tokens.count, tokens.tokens[index + 1].kind == .space,
               let (repeated, after) = unit(at: index + 2, tokens, words), repeated.digits.count == 1 {
                return (Unit(digits: Array(repeating: repeated.digits[0], count: times), token: index, start: token.start, end: repeated.end, spoken: true), after)
            }
            return nil
        default:
            return nil
        }
    }

    /// Card numbers first (the longest Luhn-valid stretch of whole groups), then what is
    /// left of the run, told apart by its length, check digits and context.
    static func classify(_ units: [Unit], lead: Int?, international: Bool, code: Bool, words: inout WordIndex) -> [RedactionFinding] {
        var offsets = [0]
        for unit in units { offsets.append(offsets.last! + unit.digits.count) }
        let digits = units.flatMap(\.digits)
        var found: [RedactionFinding] = []
        var cards: [ClosedRange<Int>] = []
        var start = 0
        while start < units.count {
            var matched = false
            for end in stride(from: units.count - 1, through: start, by: -1) {
                let count = offsets[end + 1] - offsets[start]
                guard (13...19).contains(count), (2...6).contains(digits[offsets[start]]),
                      Checksums.luhn(digits[offsets[start]..<offsets[end + 1]]) else { continue }
                cards.append(start...end)
                found.append(RedactionFinding(kind: .cardNumber, range: units[start].start..<units[end].end))
                words.cardFound = true
                start = end + 1
                matched = true
                break
            }
            if !matched { start += 1 }
        }
        // What is left between the cards, each stretch whole.
        var segments: [ClosedRange<Int>] = []
        var from = 0
        for card in cards {
            if from < card.lowerBound { segments.append(from...(card.lowerBound - 1)) }
            from = card.upperBound + 1
        }
        if from < units.count { segments.append(from...(units.count - 1)) }
        for segment in segments where !(code && segment.lowerBound == 0) {
            let stretch = digits[offsets[segment.lowerBound]..<offsets[segment.upperBound + 1]]
            let followsCard = cards.contains { $0.upperBound + 1 == segment.lowerBound }
            let withLead = segment.lowerBound == 0 ? lead : nil
            // Phone numbers are written in groups of two or more digits; "20240512.1" is a build, not a number to call.
            let grouped = units[segment].allSatisfy { $0.spoken || $0.digits.count >= 2 }
            guard let kind = kind(
                of: stretch, international: international && segment.lowerBound == 0, grouped: grouped, followsCard: followsCard,
                token: units[segment.lowerBound].token, words: &words)
            else { continue }
            found.append(RedactionFinding(kind: kind, range: (withLead ?? units[segment.lowerBound].start)..<units[segment.upperBound].end))
        }
        return found
    }

    static func kind(
        of digits: ArraySlice<UInt8>, international: Bool, grouped: Bool, followsCard: Bool, token: Int, words: inout WordIndex
    ) -> RedactionKind? {
        let count = digits.count
        let first = digits.first ?? 0
        if (3...4).contains(count) {
            // The first short number after the word that asked for it; that word is then spent.
            var asked = words.mention(Vocabulary.securityCode, before: token, after: words.spent)
            if asked == nil, words.cardFound { asked = words.mention(Vocabulary.codeAfterCard, before: token, after: words.spent) }
            if let asked { words.spent = asked }
            return asked != nil || followsCard ? .securityCode : nil
        }
        if international {
            guard (7...15).contains(count) else { return nil }
            words.spentPhone = words.mention(Vocabulary.phone, before: token, after: words.spentPhone) ?? words.spentPhone
            return .phone
        }
        let idContext = words.mentions(Vocabulary.nationalID, before: token)
        if count == 15, Checksums.frenchNIR(digits) { return .nationalID }
        if count == 11, Checksums.germanTaxID(digits), idContext || first != 0 && !words.mentions(Vocabulary.phone, before: token) {
            return .nationalID
        }
        if count == 9, Checksums.portugueseNIF(digits), idContext { return .nationalID }
        // International calls dialled with 00.
        if count >= 11, count <= 15, digits.starts(with: [0, 0]) { return .phone }
        // The first number after a word that asks for a phone; the word is then spent.
        if (9...15).contains(count), let asked = words.mention(Vocabulary.phone, before: token, after: words.spentPhone) {
            words.spentPhone = asked
            return .phone
        }
        // National forms: PT and ES nine digits (2, 6, 7, 9), IT mobiles (3...), FR, UK and DE with a trunk 0.
        if grouped, count == 9, [2, 6, 7, 9].contains(first) { return .phone }
        if grouped, count == 10, first == 3 { return .phone }
        if grouped, (9...12).contains(count), first == 0 { return .phone }
        if count == 9, Checksums.portugueseNIF(digits) { return .nationalID }
        return nil
    }
}
