import Foundation

/// The access profiles a new organization starts with, following the brief:
/// outbound sales sees the phone and nothing else; inbound support sees
/// name, phone, email and address (it schedules visits at the customer's home).
/// None of them sees an Art. 9 special category: that takes a profile an admin
/// makes on purpose, naming the field and holding `specialCategories`.
public enum StandardProfiles {
    public static func all(orgID: OrganizationID, at date: Date) -> [AccessProfile] {
        [inboundSupport, outboundSales, supervision, dataProtection, administration].map { template in
            AccessProfile(
                id: .make(at: date), orgID: orgID, name: template.name, fields: template.fields,
                capabilities: template.capabilities, contextRule: contextRule(template.name), createdAt: date, updatedAt: date)
        }
    }

    /// Agents open a contact within the interaction they hold with them (need-to-know);
    /// inbound support may state a reason instead (a callback, a letter). The DPO,
    /// supervisors and administrators need no interaction.
    public static func contextRule(_ name: String) -> ContextRule {
        switch name {
        case inboundSupport.name: .interactionOrReason
        case outboundSales.name: .interaction
        default: .none
        }
    }

    public typealias Template = (name: String, fields: [FieldKey: FieldRule], capabilities: Set<Capability>)

    public static let inboundSupport: Template = (
        "Inbound Support",
        [.name: .editable, .phone: .editable, .email: .editable, .address: .editable,
         .birthDate: .masked(.redacted), "language": .editable, "accountNumber": .masked(.lastDigits)],
        [.reveal, .searchByName, .createContacts, .recordConsent, .readInteractions]
    )

    public static let outboundSales: Template = ("Outbound Sales", [.phone: .visible], [.recordConsent, .dialCampaigns])

    public static let supervision: Template = (
        "Supervision",
        [.name: .visible, .phone: .masked(.lastDigits), .email: .masked(.partialEmail), "language": .visible],
        [.listContacts, .searchByName, .manageCampaigns, .playRecordings]
    )

    public static let dataProtection: Template = (
        "Data Protection",
        Dictionary(uniqueKeysWithValues: StandardCatalog.fields.filter { !$0.specialCategory }.map { ($0.key, FieldRule.editable) }),
        [.searchByName, .listContacts, .export, .reveal, .createContacts, .deleteContacts, .readAudit, .recordConsent, .restrictProcessing, .importContacts,
         .readInteractions, .allInteractions, .playRecordings, .handleRequests]
    )

    /// Administrators configure Guardline; they need no customer data for it.
    public static let administration: Template = ("Administration", [:], [.manageUsers, .manageProfiles, .manageCatalog])
}
