/// Sums of money: digits beside a currency ("£42.99", "1.499,00 EUR", "37,50€"), with the
/// groups of their thousands and decimals. An amount is neither a card, a code nor a phone:
/// "cvv 671 and it's £42.99" names one code, and "EN52196916 (1138,33€)" holds no card.
enum Amounts {
    static let currencies: Set<String> = [
        "eur", "euro", "euros", "usd", "gbp", "chf", "dollars", "dólares", "pounds", "libras", "reais",
    ]

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
        var amounts = Set<Int>()
        for index in list.indices where list[index].kind == .digits {
            if beside(index, -1).map(isCurrency) == true || beside(index, 1).map(isCurrency) == true { amounts.insert(index) }
        }
        guard !amounts.isEmpty else { return amounts }
        // Thousands before the currency's group ("1.499,00 EUR"), then decimals after it ("£42.99").
        for index in list.indices.reversed() where list[index].kind == .digits && !amounts.contains(index) {
            if isSeparator(index + 1), amounts.contains(index + 2) { amounts.insert(index) }
        }
        for index in list.indices where list[index].kind == .digits && !amounts.contains(index) {
            if index >= 2, isSeparator(index - 1), amounts.contains(index - 2) { amounts.insert(index) }
        }
        return amounts
    }
}
