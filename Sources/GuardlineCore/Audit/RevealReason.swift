/// Why someone opened a masked field or a contact card, as a code the audit
/// chain can hold: the words a person types are free text, which may name
/// anyone, so they are sealed under the contact's key (`AuditNote`) and the
/// chain keeps only this code and the sealed note's hash.
public enum RevealReason: String, Sendable, CaseIterable, Codable {
    case customerRequest = "customer_request"
    case identityVerification = "identity_verification"
    case serviceDelivery = "service_delivery"
    case fraudInvestigation = "fraud_investigation"
    case legalObligation = "legal_obligation"
    case other

    public var label: String {
        switch self {
        case .customerRequest: "The customer asked for it"
        case .identityVerification: "Verifying the caller's identity"
        case .serviceDelivery: "Delivering a service (visit, delivery, billing)"
        case .fraudInvestigation: "Fraud investigation"
        case .legalObligation: "Legal obligation"
        case .other: "Other (explained in the note)"
        }
    }
}
