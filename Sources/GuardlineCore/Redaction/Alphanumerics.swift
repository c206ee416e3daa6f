/// Identifiers of letters and digits: IBANs (in groups of four or run together), the
/// Italian codice fiscale, the Spanish DNI and NIE, and the UK's National Insurance
/// number, each only when its check (mod 97, check letter, allowed prefixes) holds.
enum Alphanumerics {
    /// A maximal run of ASCII letters and digits, uppercased.
    struct Chunk {
        let start: Int
        let end: Int
        let text: [UInt8]
    }

    static func findings(_ tokens: TextTokens) -> [RedactionFinding] {
        let bytes = tokens.bytes
        var chunks: [Chunk] = []
        var index = 0
        while index < bytes.count {
            guard isAlphanumeric(bytes[index]) else {
                index += 1
                continue
            }
            let start = index
            while index < bytes.count, isAlphanumeric(bytes[index]) { index += 1 }
            // Letters of a word that goes on in accented letters are not an identifier's.
            if index < bytes.count, bytes[index] >= 0x80 { continue }
            if start > 0, bytes[start - 1] >= 0x80 { continue }
            chunks.append(Chunk(start: start, end: index, text: bytes[start..<index].map { $0 >= UInt8(ascii: "a") ? $0 - 32 : $0 }))
        }
        var found: [RedactionFinding] = []
        var chunk = 0
        while chunk < chunks.count {
            if let (kind, last) = identifier(at: chunk, chunks, bytes) {
                found.append(RedactionFinding(kind: kind, range: chunks[chunk].start..<chunks[last].end))
                chunk = last + 1
            } else {
                chunk += 1
            }
        }
        return found
    }

    /// The identifier starting at `first`, and the last chunk it takes.
    static func identifier(at first: Int, _ chunks: [Chunk], _ bytes: [UInt8]) -> (RedactionKind, Int)? {
        let head = chunks[first].text
        // IBAN: country letters, check digits, then groups; the longest stretch that checks.
        if head.count >= 4, head[0...1].allSatisfy(isUpper), head[2...3].allSatisfy(TextTokens.isDigit) {
            var compact = head, best: Int?
            var last = first
            while true {
                if compact.count >= 15, Checksums.iban(compact) { best = last }
                // Groups on one line, or wrapped onto the next (an email's line, a transcript's next turn).
                guard last + 1 < chunks.count, joined(chunks[last], chunks[last + 1], bytes, by: [UInt8(ascii: " "), 0x0A]),
                      chunks[last + 1].text.count <= 4, compact.count + chunks[last + 1].text.count <= 34 else { break }
                last += 1
                compact += chunks[last].text
            }
            if let best { return (.iban, best) }
        }
        if head.count == 16, Checksums.italianFiscalCode(head) { return (.nationalID, first) }
        // DNI and NIE, whole or with a space, hyphen or dots ("12345678-Z", "X-1234567-L", "12.345.678-Z").
        if let last = compacted(
            from: first, chunks, bytes, length: 9, by: [UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: ".")], maxChunks: 5, Checksums.spanishID) {
            return (.nationalID, last)
        }
        // NINO, whole or in its printed pairs ("QQ 12 34 56 C").
        if isUpper(head[0]), let last = compacted(from: first, chunks, bytes, length: 9, by: [UInt8(ascii: " ")], maxChunks: 5, Checksums.britishNINO) {
            return (.nationalID, last)
        }
        return nil
    }

    /// The last chunk of the shortest run from `first`, joined by one of `separators`, that
    /// is `length` characters long and passes `check`.
    static func compacted(
        from first: Int, _ chunks: [Chunk], _ bytes: [UInt8], length: Int, by separators: [UInt8], maxChunks: Int, _ check: ([UInt8]) -> Bool
    ) -> Int? {
        var compact = chunks[first].text, last = first
        while compact.count < length, last + 1 < chunks.count, last - first + 1 < maxChunks, joined(chunks[last], chunks[last + 1], bytes, by: separators) {
            last += 1
            compact += chunks[last].text
        }
        return compact.count == length && check(compact) ? last : nil
    }

    /// Whether one separator byte, and only that, stands between two chunks.
    static func joined(_ left: Chunk, _ right: Chunk, _ bytes: [UInt8], by separators: [UInt8]) -> Bool {
        right.start == left.end + 1 && separators.contains(bytes[left.end])
    }

    static func isUpper(_ byte: UInt8) -> Bool { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        TextTokens.isDigit(byte) || isUpper(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
    }
}
