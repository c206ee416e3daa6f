/// Sums of money: a number written with two decimals beside a currency ("£42.99",
/// "1.499,00 EUR", "37,50€"), with the groups of its thousands. Such an amount is neither
/// a card, a code nor a phone: "cvv 671 and it's £42.99" names one code, and
/// "EN52196916 (1138,33€)" holds no card. Only that shape counts: a bare number beside
/// a currency sign ("€4532015112830366", "912 345 678 €20") may still be one.
enum Amounts {
    static let currencies: Set<String> = ["eur", "euro", "euros", "usd", "gbp", "chf", "dollars", "dólares", "pounds", "libras", "reais"]
    /// The most integer digits an amount is taken to have: beyond it, digits are something else.
    static let maxIntegerDigits = 7

    /// The digit tokens that are part of an amount.
    static func tokens(_ tokens: TextTokens, words: WordIndex) -> Set<Int> {
        let list = tokens.tokens
        func isCurrency(_ index: Int) -> Bool {
            // Every currency sign reads as "$" once the text is normalized.
            if case .symbol(let symbol) = list[index].kind { return symbol == UInt8(ascii: "$") }
            return words.lowered[index].map(currencies.contains) ?? false
        }
        /// The token beside `index` in direction `step`, across at most one space.
        func beside(_ index: Int, _ step: Int) -> Int? {
            var next = index + step
            guard list.indices.contains(next) else { return nil }
            if list[next].kind == .space, list[next].end - list[next].start == 1 { next += step }
            return list.indices.contains(next) ? next : nil
        }
        func isSeparator(_ index: Int) -> Bool {
            guard list.indices.contains(index), case .symbol(let symbol) = list[index].kind else { return false }
            return symbol == UInt8(ascii: ".") || symbol == UInt8(ascii: ",")
        }
        func isDigits(_ index: Int) -> Bool { list.indices.contains(index) && list[index].kind == .digits }
        func length(_ index: Int) -> Int { list[index].end - list[index].start }
        var amounts = Set<Int>()
        // Each two-digit decimal part: walk back over its integer groups (thousands of at most
        // three digits after the first), and keep the number if a currency is beside it.
        for decimals in list.indices where isDigits(decimals) && length(decimals) == 2 && isSeparator(decimals - 1) && isDigits(decimals - 2) {
            var groups = [decimals - 2]
            while let first = groups.last, isSeparator(first - 1), isDigits(first - 2), length(first) == 3 { groups.append(first - 2) }
            let integerDigits = groups.reduce(0) { $0 + length($1) }
            guard integerDigits <= maxIntegerDigits else { continue }
            let before = beside(groups.last!, -1).map(isCurrency) ?? false
            let after = beside(decimals, 1).map(isCurrency) ?? false
            guard before || after else { continue }
            amounts.insert(decimals)
            amounts.formUnion(groups)
        }
        return amounts
    }
}
