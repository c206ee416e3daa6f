/// The fields and purposes a new organization starts with: the usual contact-center set.
public enum StandardCatalog {
    public static let purposes: [Purpose] = [
        Purpose(
            key: "customer_support", name: "Customer support",
            description: "To answer your calls, chats and emails and to fix the problems you report to us.",
            lawfulBasis: .contract, retentionDays: 3 * 365),
        Purpose(
            key: "service_delivery", name: "Service delivery",
            description: "To schedule and carry out visits and deliveries at your address.",
            lawfulBasis: .contract, retentionDays: 3 * 365, stages: ["customer"]),
        Purpose(
            key: "outbound_marketing", name: "Marketing calls and messages",
            description: "To call or write to you about offers, only while you agree to it.",
            lawfulBasis: .consent, retentionDays: 2 * 365, stages: ["prospect", "customer", "former_customer"]),
        Purpose(
            key: "call_recording", name: "Call recording",
            description: "To record our calls with you, to check and improve the quality of our service, only if you agree.",
            lawfulBasis: .consent, retentionDays: 90, channels: [.phone]),
        Purpose(
            key: "billing", name: "Billing",
            description: "To bill you and keep the accounting records the law requires.",
            lawfulBasis: .legalObligation, retentionDays: 10 * 365, stages: ["customer", "former_customer"]),
        Purpose(
            key: "identity_verification", name: "Identity verification",
            description: "To make sure we are talking to you before discussing your account.",
            lawfulBasis: .legitimateInterest, retentionDays: 3 * 365),
    ]

    public static let fields: [DataField] = [
        DataField(key: .name, label: "Name", category: "user.name", specialCategory: false,
                  purposes: ["customer_support", "service_delivery", "billing", "identity_verification"]),
        DataField(key: .phone, label: "Phone", category: "user.contact.phone", specialCategory: false,
                  purposes: ["customer_support", "outbound_marketing", "service_delivery"]),
        DataField(key: .email, label: "Email", category: "user.contact.email", specialCategory: false,
                  purposes: ["customer_support", "outbound_marketing", "billing"]),
        DataField(key: .address, label: "Postal address", category: "user.contact.address", specialCategory: false,
                  purposes: ["service_delivery", "billing"]),
        DataField(key: .birthDate, label: "Date of birth", category: "user.demographic.date_of_birth",
                  specialCategory: false, purposes: ["identity_verification"], stages: ["customer", "former_customer"]),
        DataField(key: "language", label: "Preferred language", category: "user.demographic.language",
                  specialCategory: false, purposes: ["customer_support"]),
        DataField(key: "accountNumber", label: "Account number", category: "user.account.number",
                  specialCategory: false, purposes: ["billing", "identity_verification"], stages: ["customer", "former_customer"]),
        DataField(key: "healthNotes", label: "Health notes", category: "user.health",
                  specialCategory: true, purposes: ["service_delivery"], stages: ["customer"]),
    ]
}
