/// What a redactor finds in free text: the kinds of personal data a contact center
/// hears and writes down most, and must not keep in notes, chats or transcripts.
public enum RedactionKind: String, Sendable, Codable, CaseIterable, Comparable {
    case cardNumber
    case securityCode
    case iban
    case nationalID
    case email
    case phone

    /// The placeholder written in place of a masked value.
    public var placeholder: String {
        switch self {
        case .cardNumber: "[CARD]"
        case .securityCode: "[SECURITY CODE]"
        case .iban: "[IBAN]"
        case .nationalID: "[ID NUMBER]"
        case .email: "[EMAIL]"
        case .phone: "[PHONE]"
        }
    }

    /// Between two overlapping findings of the same length, which names the merged one: payment data first.
    var precedence: Int {
        switch self {
        case .cardNumber: 0
        case .iban: 1
        case .securityCode: 2
        case .nationalID: 3
        case .email: 4
        case .phone: 5
        }
    }

    public static func < (lhs: RedactionKind, rhs: RedactionKind) -> Bool { lhs.precedence < rhs.precedence }
}
