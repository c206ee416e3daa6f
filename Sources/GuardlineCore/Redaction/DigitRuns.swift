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
    /// How many tokens after a card number a short number is taken for its code ("…0366, exp 09/28, 123").
    static let cardReach = 16
    /// What may stand between two groups of one number.
    static let joiners: [UInt8] = [UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: ")")]

    /// `cards`: the byte ranges `CardNumbers` found; the rest of each run is told apart here.
    static func findings(_ tokens: TextTokens, cards: [Range<Int>], words: inout WordIndex) -> [RedactionFinding] {
        let list = tokens.tokens
        var found: [RedactionFinding] = []
        var runs: [[Unit]] = []
        var index = 0
        while index < list.count {
            guard !words.amounts.contains(index), let (first, next) = unit(at: index, tokens, words) else {
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
                // Written and spoken digits are not one number ("912 345 678 one moment"), except where speech
                // to text wrote some of the digits read aloud as numerals: after digits said in words come written
                // ones ("seis dois quatro 570150"), and a numeral of one or two among spoken digits
                // ("nove três dois 8 oito"). Commas part numbers written out ("912 345 678, 213 456 789") but not
                // digits read aloud one by one; a slash parts a date or a reference ("12/05", "2024/118") but
                // not an area code from its number ("030/6514870").
                guard probe < list.count, !words.amounts.contains(probe), let (following, after) = unit(at: probe, tokens, words),
                      following.spoken == units.last!.spoken || !comma && !slash && mixesWithSpoken(units, following),
                      !comma || following.spoken,
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
            let code = partOfCode(index, list, words)
            var classified = classify(units, lead: lead, international: international, code: code, cards: cards, words: &words)
            // Digits read aloud and numerals after them that make nothing whole together may be two things
            // ("security code seven one nine 12 28": a code, then an expiry): each part is told apart alone.
            if classified.isEmpty, units.first!.spoken, let split = units.firstIndex(where: { !$0.spoken }) {
                classified = classify(Array(units[..<split]), lead: lead, international: international, code: code, cards: cards, words: &words)
                    + classify(Array(units[split...]), lead: nil, international: false, code: false, cards: cards, words: &words)
            }
            found += classified
            runs.append(units)
            index = cursor
        }
        return found + readBack(runs, words: words)
    }

    /// Whether `range` overlaps one of `ranges` (in text order, not overlapping each other).
    static func overlaps(_ ranges: [Range<Int>], _ range: Range<Int>) -> Bool {
        var low = 0, high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound <= range.lowerBound { low = middle + 1 } else { high = middle }
        }
        return low < ranges.count && ranges[low].overlaps(range)
    }

    /// The greatest of `sorted` below `value`.
    static func lastBefore(_ sorted: [Int], _ value: Int) -> Int? {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low > 0 ? sorted[low - 1] : nil
    }

    /// A card number or security code found once is masked wherever else it is read out,
    /// before or after ("is that 719? yes, 719"): any stretch of whole groups with its digits.
    static func readBack(_ runs: [[Unit]], words: WordIndex) -> [RedactionFinding] {
        guard !words.secrets.isEmpty else { return [] }
        let lengths = Set(words.secrets.map(\.count))
        var found: [RedactionFinding] = []
        for units in runs {
            for start in units.indices {
                var digits: [UInt8] = []
                for end in start..<units.count {
                    digits += units[end].digits
                    guard digits.count <= 19 else { break }
                    if lengths.contains(digits.count), words.secrets.contains(digits) {
                        found.append(RedactionFinding(kind: digits.count <= 4 ? .securityCode : .cardNumber, range: units[start].start..<units[end].end))
                    }
                }
            }
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

    /// Whether `next` goes on a number read aloud that speech to text partly wrote in numerals:
    /// written digits after spoken ones, or spoken after a numeral of at most two digits
    /// that itself came after spoken ones.
    static func mixesWithSpoken(_ units: [Unit], _ next: Unit) -> Bool {
        guard units.first!.spoken else { return false }
        return next.spoken ? units.last!.digits.count <= 2 : true
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
            // "double five": the digit word after one space, said twice.
            if let times = Vocabulary.repeats[word], index + 2 < tokens.tokens.count, tokens.tokens[index + 1].kind == .space,
               let next = words.lowered[index + 2], let digit = Vocabulary.digits[next] {
                return (Unit(digits: Array(repeating: digit, count: times), token: index, start: token.start, end: tokens.tokens[index + 2].end, spoken: true),
                        index + 3)
            }
            return nil
        default:
            return nil
        }
    }

    /// What is left of the run once the card numbers in it are taken out, each stretch told
    /// apart by its length, check digits and context.
    static func classify(
        _ units: [Unit], lead: Int?, international: Bool, code: Bool, cards: [Range<Int>], words: inout WordIndex
    ) -> [RedactionFinding] {
        var offsets = [0]
        for unit in units { offsets.append(offsets.last! + unit.digits.count) }
        let digits = units.flatMap(\.digits)
        var found: [RedactionFinding] = []
        let inCard = units.map { unit in overlaps(cards, unit.start..<unit.end) }
        var segments: [ClosedRange<Int>] = []
        var from: Int?
        for index in units.indices {
            if inCard[index] {
                if let open = from { segments.append(open...(index - 1)) }
                from = nil
            } else if from == nil {
                from = index
            }
        }
        if let open = from { segments.append(open...(units.count - 1)) }
        for segment in segments where !(code && segment.lowerBound == 0) {
            let stretch = digits[offsets[segment.lowerBound]..<offsets[segment.upperBound + 1]]
            let followsCard = segment.lowerBound > 0 && inCard[segment.lowerBound - 1]
            let token = units[segment.lowerBound].token
            let withLead = segment.lowerBound == 0 ? lead : nil
            // Phone numbers are written in groups of two or more digits; "20240512.1" is a build, not a number to call.
            // Digits read aloud are said one by one, even where speech to text wrote a few as numerals.
            let grouped = units[segment.lowerBound].spoken || units[segment].allSatisfy { $0.spoken || $0.digits.count >= 2 }
            let whole = kind(
                of: stretch, international: international && segment.lowerBound == 0, grouped: grouped, followsCard: followsCard,
                token: token, words: &words)
            // Just after a card, written groups that are nothing whole are its code (and its expiry, masked with it): "…0366 123 0928".
            if whole == nil, segment.count > 1, !units[segment.lowerBound].spoken,
               followsCard || lastBefore(words.cardEnds, token).map({ token - $0 <= cardReach }) == true {
                for unit in units[segment] where (3...4).contains(unit.digits.count) {
                    words.secrets.insert(unit.digits)
                    found.append(RedactionFinding(kind: .securityCode, range: unit.start..<unit.end))
                }
                continue
            }
            guard let kind = whole else { continue }
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
            // The first short number after the word that asked for it (that word is then spent), one
            // the words right after name ("719 is the code"), or one soon after a card number.
            var asked = words.mention(Vocabulary.securityCode, before: token, after: words.spent)
            if asked == nil, words.cardFound { asked = words.mention(Vocabulary.codeAfterCard, before: token, after: words.spent) }
            if let asked { words.spent = asked }
            let named = words.follows(Vocabulary.securityCode, after: token)
            let nearCard = lastBefore(words.cardEnds, token).map { token - $0 <= cardReach } ?? false
            guard asked != nil || named || followsCard || nearCard else { return nil }
            words.secrets.insert(Array(digits))
            return .securityCode
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
        // A trunk-0 number just after "ref.", "entidade", "invoice"... is that reference ("ref. 030 666 385"):
        // mobile forms and tax numbers are still taken, whatever they follow.
        if grouped, (9...12).contains(count), first == 0, !words.said(Vocabulary.reference, justBefore: token, count: 2) { return .phone }
        if count == 9, Checksums.portugueseNIF(digits) { return .nationalID }
        return nil
    }
}
