/// An email address, normalized for lookup: trimmed and lowercased.
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    public let normalized: String

    /// A pragmatic check (RFC 5321 lengths, one `@`, a dotted domain of
    /// letters, digits and hyphens); deliverability is not our question.
    public init?(_ raw: String) {
        let value = raw.trimmingWhitespace().lowercased()
        guard value.utf8.count <= 254 else { return nil }
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last else { return nil }
        guard (1...64).contains(local.utf8.count), !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else {
            return nil
        }
        let localAllowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.!#$%&'*+/=?^_`{|}~-")
        guard local.allSatisfy({ localAllowed.contains($0) }) else { return nil }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return nil }
        let labelAllowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
        for label in labels {
            guard (1...63).contains(label.count), label.first != "-", label.last != "-",
                  label.allSatisfy({ labelAllowed.contains($0) })
            else { return nil }
        }
        self.normalized = value
    }

    public var description: String { normalized }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
