/// Email addresses, written ("ana.silva@example.com") or read aloud ("ana dot silva
/// at example dot com", "ana arroba exemplo ponto pt").
enum Addresses {
    static func findings(_ tokens: TextTokens, words: WordIndex) -> [RedactionFinding] {
        written(tokens) + spoken(tokens, words: words)
    }

    static func written(_ tokens: TextTokens) -> [RedactionFinding] {
        let bytes = tokens.bytes
        var found: [RedactionFinding] = []
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "@") else {
                index += 1
                continue
            }
            var start = index
            while start > 0, isLocal(bytes[start - 1]) { start -= 1 }
            var end = index + 1
            while end < bytes.count, isDomain(bytes[end]) { end += 1 }
            // A sentence's full stop is not the address's.
            while end > index + 1, bytes[end - 1] == UInt8(ascii: ".") || bytes[end - 1] == UInt8(ascii: "-") { end -= 1 }
            let domain = bytes[(index + 1)..<end]
            if start < index, let dot = domain.lastIndex(of: UInt8(ascii: ".")), dot > index + 1,
               end - dot - 1 >= 2, bytes[(dot + 1)..<end].allSatisfy(isLetter) {
                found.append(RedactionFinding(kind: .email, range: start..<end))
            }
            index = end > index ? end : index + 1
        }
        return found
    }

    /// Word (dot word)* at word (dot word)+, the last a known top-level domain.
    static func spoken(_ tokens: TextTokens, words: WordIndex) -> [RedactionFinding] {
        let list = tokens.tokens
        /// The token after the next space, if `index` is followed by exactly one space.
        func next(_ index: Int) -> Int? {
            index + 2 < list.count && list[index + 1].kind == .space ? index + 2 : nil
        }
        func previous(_ index: Int) -> Int? {
            index >= 2 && list[index - 1].kind == .space ? index - 2 : nil
        }
        func isName(_ index: Int) -> Bool { list[index].kind == .word || list[index].kind == .digits }
        var found: [RedactionFinding] = []
        for (index, word) in words.lowered.enumerated() {
            guard let word, Vocabulary.at.contains(word), let before = previous(index), isName(before), let after = next(index), isName(after) else {
                continue
            }
            // The domain: name (dot name)+, ending on a top-level domain.
            var end = after, labels = 0, cursor = after
            while let dot = next(cursor), let dotWord = words.lowered[dot], Vocabulary.dot.contains(dotWord), let label = next(dot), isName(label) {
                cursor = label
                labels += 1
                if let tld = words.lowered[label], Vocabulary.topLevelDomains.contains(tld) { end = label }
            }
            guard labels > 0, end != after else { continue }
            // The local part: name (dot name)* before "at".
            var start = before
            while let dot = previous(start), let dotWord = words.lowered[dot], Vocabulary.dot.contains(dotWord), let label = previous(dot), isName(label) {
                start = label
            }
            found.append(RedactionFinding(kind: .email, range: list[start].start..<list[end].end))
        }
        return found
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    static func isLocal(_ byte: UInt8) -> Bool {
        isLetter(byte) || TextTokens.isDigit(byte) || [UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "%"), UInt8(ascii: "+"), UInt8(ascii: "-")].contains(byte)
    }

    static func isDomain(_ byte: UInt8) -> Bool {
        isLetter(byte) || TextTokens.isDigit(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
    }
}
