/// How much of a field a profile lets its holder see, from least to most.
public enum FieldAccess: String, Sendable, Codable, CaseIterable, Comparable {
    case hidden
    case masked
    case visible
    case editable

    private var rank: Int {
        switch self {
        case .hidden: 0
        case .masked: 1
        case .visible: 2
        case .editable: 3
        }
    }

    public static func < (lhs: FieldAccess, rhs: FieldAccess) -> Bool { lhs.rank < rhs.rank }
}

/// How a masked field is shown.
public enum MaskFormat: String, Sendable, Codable, CaseIterable {
    /// `+351 *** *** 789`: country code and last three digits of a phone; for other
    /// values the last four characters, or at most half of a value of 8 or fewer.
    case lastDigits
    /// `j***@example.com`.
    case partialEmail
    /// `M. S.`
    case initials
    /// Nothing of the value.
    case redacted
}

/// One field's rule in an access profile.
public struct FieldRule: Sendable, Equatable, Codable {
    public var access: FieldAccess
    public var mask: MaskFormat

    public init(access: FieldAccess, mask: MaskFormat = .redacted) {
        self.access = access
        self.mask = mask
    }

    public static let hidden = FieldRule(access: .hidden)
    public static let visible = FieldRule(access: .visible)
    public static let editable = FieldRule(access: .editable)
    public static func masked(_ format: MaskFormat) -> FieldRule { FieldRule(access: .masked, mask: format) }
}
