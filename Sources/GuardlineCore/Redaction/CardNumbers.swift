/// Card numbers however they are written or said: 13 to 19 digits that pass the Luhn
/// check and start as cards do (2 to 6), in groups joined by up to three marks of any
/// punctuation ("4532, 0151, 1283, 0366", "4532/0151", "4532 0151 oh three six six"),
/// and inside a longer run (a card typed together with its code). Every stretch that
/// checks is masked with the groups it touches: a date before a card that happens to
/// make a valid stretch with part of it takes the whole card with it, not half of it.
enum CardNumbers {
    struct Group {
        let digits: [UInt8]
        let start: Int
        let end: Int
        let lastToken: Int
    }

    /// Marks between two groups of one card; a pause written "..." counts once.
    static let maxGap = 3

    static func findings(_ tokens: TextTokens, words: inout WordIndex) -> [RedactionFinding] {
        var streams: [[Group]] = [], current: [Group] = []
        var gap = 0, previous: TextTokens.Kind?
        var index = 0
        while index < tokens.tokens.count {
            if let (unit, after) = DigitRuns.unit(at: index, tokens, words) {
                // A sum of money ends a card's groups and is none of them.
                if words.amounts.contains(index) {
                    if !current.isEmpty { streams.append(current) }
                    current = []
                    gap = 0
                    previous = nil
                    index = after
                    continue
                }
                current.append(Group(digits: unit.digits, start: unit.start, end: unit.end, lastToken: after - 1))
                gap = 0
                previous = nil
                index = after
                continue
            }
            let kind = tokens.tokens[index].kind
            switch kind {
            case .space, .symbol: if kind != previous { gap += 1 }
            default: gap = maxGap + 1
            }
            previous = kind
            if gap > maxGap, !current.isEmpty {
                streams.append(current)
                current = []
            }
            index += 1
        }
        if !current.isEmpty { streams.append(current) }
        var found: [RedactionFinding] = []
        for stream in streams { found += cards(in: stream, words: &words) }
        return found
    }

    /// Every stretch from the start of a group, 13 to 19 digits long, that checks; the groups they touch, merged.
    static func cards(in stream: [Group], words: inout WordIndex) -> [RedactionFinding] {
        var offsets = [0]
        for group in stream { offsets.append(offsets.last! + group.digits.count) }
        let digits = stream.flatMap(\.digits)
        guard digits.count >= 13 else { return [] }
        var covered = [Bool](repeating: false, count: stream.count)
        for start in stream.indices where (2...6).contains(stream[start].digits[0]) {
            let from = offsets[start]
            for length in 13...19 where from + length <= digits.count {
                var group = start
                while offsets[group + 1] < from + length { group += 1 }
                // It ends with a group, or is one group: a card with its code typed after it ("4532015112830366123").
                let rest = offsets[group + 1] - (from + length)
                guard rest == 0 || (group == start && (15...16).contains(length) && (3...4).contains(rest)) else { continue }
                let stretch = digits[from..<(from + length)]
                guard Checksums.luhn(stretch) else { continue }
                words.secrets.insert(Array(stretch))
                for touched in start...group { covered[touched] = true }
            }
        }
        var found: [RedactionFinding] = []
        var group = 0
        while group < stream.count {
            guard covered[group] else {
                group += 1
                continue
            }
            var last = group
            while last + 1 < stream.count, covered[last + 1] { last += 1 }
            found.append(RedactionFinding(kind: .cardNumber, range: stream[group].start..<stream[last].end))
            words.cardFound = true
            words.cardEnds.append(stream[last].lastToken)
            group = last + 1
        }
        return found
    }
}
