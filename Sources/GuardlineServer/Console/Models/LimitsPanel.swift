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
    let ground: String?
    let grounds: [ConsentPanel.Option]
    let liftReasons: [ConsentPanel.Option]
    let objections: [Objection]
    /// Purposes not yet objected to.
    let purposes: [ConsentPanel.Option]

    init(contact: ContactID, restriction: Restriction?, objections: [(purpose: String, at: Date)], purposes: [Purpose], csrf: String) {
        contactID = contact.description
        self.csrf = csrf
        restricted = restriction != nil
        restrictedAt = restriction.map { ConsentPanel.time($0.since) }
        ground = restriction.map { $0.ground?.label ?? "no ground recorded" }
        grounds = RestrictionGround.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0 == restriction?.ground) }
        liftReasons = RestrictionLift.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: false) }
        let names = Dictionary(purposes.map { ($0.key, $0.name) }, uniquingKeysWith: { first, _ in first })
        self.objections = objections.map { Objection(purpose: $0.purpose, name: names[$0.purpose] ?? $0.purpose, at: ConsentPanel.time($0.at)) }
        let objected = Set(objections.map(\.purpose))
        self.purposes = purposes.filter { !objected.contains($0.key) }.map { .init(value: $0.key, label: $0.name, selected: false) }
    }
}
