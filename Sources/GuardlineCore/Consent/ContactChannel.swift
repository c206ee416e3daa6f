/// A way of reaching a contact that consent and campaigns are given for: a
/// person may agree to marketing calls and refuse marketing emails.
public enum ContactChannel: String, Sendable, Codable, CaseIterable, Comparable {
    case phone
    case sms
    case email

    public var label: String {
        switch self {
        case .phone: "Phone"
        case .sms: "SMS"
        case .email: "Email"
        }
    }

    /// The contact field a campaign on this channel reaches them by.
    public var field: FieldKey { self == .email ? .email : .phone }

    public static func < (lhs: ContactChannel, rhs: ContactChannel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
