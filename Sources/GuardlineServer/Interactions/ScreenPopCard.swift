import Foundation
import GuardlineCore

/// What a console is sent for a pop: the contact as this agent may see it within the call,
/// or a "new contact" card with the number shown as their profile shows phones.
public struct ScreenPopCard: Encodable, Sendable {
    public struct Field: Encodable, Sendable {
        public let label: String
        public let value: String
        public let masked: Bool
    }

    public let interactionId: String
    public let event: String
    public let queue: String?
    public let contactId: String?
    public let reference: String?
    public let fields: [Field]
    /// The caller's number for a new contact card, as the profile shows phones (nil if hidden).
    public let caller: String?
    public let link: String

    public static func render(_ pop: ScreenPop, for principal: Principal, services: GuardlineServices) async -> ScreenPopCard {
        let interaction = pop.interactionID.description
        if let contact = pop.contactID {
            // A contact that may not be shown (rate limit, the call moved on) pops as a call with nothing of the caller.
            guard let view = try? await services.contacts.read(
                contact, by: principal, reason: nil, context: "screen pop", interaction: pop.interactionID, known: pop.interaction),
                  let catalog = try? await services.catalogs.catalog(for: principal.orgID)
            else {
                return ScreenPopCard(interactionId: interaction, event: pop.event.rawValue, queue: pop.queue, contactId: nil,
                                     reference: nil, fields: [], caller: nil, link: "/desk")
            }
            let masked = Set(view.masked)
            return ScreenPopCard(
                interactionId: interaction, event: pop.event.rawValue, queue: pop.queue, contactId: contact.description,
                reference: view.reference?.description,
                fields: catalog.keys.compactMap { key in view.fields[key].map { Field(label: catalog[key]?.label ?? key.rawValue, value: $0, masked: masked.contains(key)) } },
                caller: nil, link: "/contacts/\(contact)?interaction=\(interaction)")
        }
        var caller: String?
        if let phone = pop.caller, let catalog = try? await services.catalogs.catalog(for: principal.orgID) {
            // A ring shows the number as the minimal view would; the answer shows what the profile allows.
            let profile = pop.event == .ringing ? NeedToKnow.minimal(principal.profile) : principal.profile
            switch AccessPolicy.decide(profile, field: .phone, catalog: catalog) {
            case .visible, .editable: caller = phone.e164
            case .masked(let format): caller = Masking.mask(phone.e164, as: format, field: .phone)
            case .hidden: caller = nil
            }
        }
        return ScreenPopCard(
            interactionId: interaction, event: pop.event.rawValue, queue: pop.queue, contactId: nil, reference: nil, fields: [],
            caller: caller, link: "/lookup?interaction=\(interaction)")
    }
}
