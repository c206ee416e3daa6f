/// The six lawful bases of Art. 6(1) GDPR; every purpose names one.
public enum LawfulBasis: String, Sendable, Codable, CaseIterable {
    case consent
    case contract
    case legalObligation
    case vitalInterest
    case publicTask
    case legitimateInterest

    public var label: String {
        switch self {
        case .consent: "Consent (Art. 6(1)(a))"
        case .contract: "Contract (Art. 6(1)(b))"
        case .legalObligation: "Legal obligation (Art. 6(1)(c))"
        case .vitalInterest: "Vital interest (Art. 6(1)(d))"
        case .publicTask: "Public task (Art. 6(1)(e))"
        case .legitimateInterest: "Legitimate interest (Art. 6(1)(f))"
        }
    }
}
