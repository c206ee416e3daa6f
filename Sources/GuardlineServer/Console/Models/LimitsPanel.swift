import Foundation
import GuardlineCore

/// Restriction (Art. 18) and objections (Art. 21) on the contact's page, for a DPO
/// (`restrictProcessing`): what limits the contact now, and the one-click changes.
struct LimitsPanel {
    struct Objection {
        let purpose: String
        let name: String
        let at: String
    }

    let contactID: String
    let csrf: String
    let restricted: Bool
    let restrictedAt: String?
    let objections: [Objection]
    /// Purposes not yet objected to.
    let purposes: [ConsentPanel.Option]

    init(contact: ContactID, restrictedAt: Date?, objections: [(purpose: String, at: Date)], purposes: [Purpose], csrf: String) {
        contactID = contact.description
        self.csrf = csrf
        restricted = restrictedAt != nil
        self.restrictedAt = restrictedAt.map(ConsentPanel.time)
        let names = Dictionary(purposes.map { ($0.key, $0.name) }, uniquingKeysWith: { first, _ in first })
        self.objections = objections.map { Objection(purpose: $0.purpose, name: names[$0.purpose] ?? $0.purpose, at: ConsentPanel.time($0.at)) }
        let objected = Set(objections.map(\.purpose))
        self.purposes = purposes.filter { !objected.contains($0.key) }.map { .init(value: $0.key, label: $0.name, selected: false) }
    }
}
