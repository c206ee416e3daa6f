/// A contact's short, readable reference within its organization (`C-004211`),
/// numbered in creation order. Ids are time-ordered UUIDs whose first characters
/// are the creation time, so contacts made together read alike ("01a23748…"); the
/// reference is what a person reads on a card, in the audit log, on the phone.
/// It is a counter, not personal data.
public struct ContactReference: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let number: Int64

    public init(_ number: Int64) { self.number = number }

    /// `C-004211`, `c-4211` or `4211`; nil for anything else.
    public init?(parsing text: String) {
        var digits = Substring(text.trimmingWhitespace())
        if let first = digits.first, first == "C" || first == "c" {
            digits = digits.dropFirst()
            guard digits.first == "-" else { return nil }
            digits = digits.dropFirst()
        }
        guard (1...12).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int64(digits), number > 0 else {
            return nil
        }
        self.number = number
    }

    public var description: String {
        let digits = String(number)
        return "C-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    public static func < (lhs: ContactReference, rhs: ContactReference) -> Bool { lhs.number < rhs.number }
}
