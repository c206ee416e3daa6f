import Foundation
import GuardlineAPI
import GuardlineCore

extension APIController {
    static let maxFieldsPerRequest = 50

    func listContacts(_ input: Operations.ListContacts.Input) async throws -> Operations.ListContacts.Output {
        let principal = try Principal.required()
        let limit = try Self.limit(input.query.limit)
        let cursor: ContactID? = try Self.cursor(input.query.cursor)
        let page = try await services.contacts.page(after: cursor, limit: limit, by: principal)
        return .ok(.init(body: .json(.init(items: page.views.map(Self.contact), nextCursor: page.next?.description))))
    }

    func createContact(_ input: Operations.CreateContact.Input) async throws -> Operations.CreateContact.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        let fields = body.fields.additionalProperties
        guard (1...Self.maxFieldsPerRequest).contains(fields.count) else {
            throw GuardlineError.invalid("'fields' must hold 1 to \(Self.maxFieldsPerRequest) entries.")
        }
        let view = try await services.contacts.create(fields, stage: body.stage, by: principal)
        return .created(.init(body: .json(Self.contact(view))))
    }

    func lookupContacts(_ input: Operations.LookupContacts.Input) async throws -> Operations.LookupContacts.Output {
        let views = try await lookup(phone: input.query.phone, email: input.query.email, name: input.query.name, reference: input.query.reference,
                                     interaction: try Self.interactionID(input.query.interactionId))
        return .ok(.init(body: .json(.init(items: views.map(Self.contact)))))
    }

    func searchContacts(_ input: Operations.SearchContacts.Input) async throws -> Operations.SearchContacts.Output {
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        let views = try await lookup(phone: body.phone, email: body.email, name: body.name, reference: body.reference,
                                     interaction: try Self.interactionID(body.interactionId))
        return .ok(.init(body: .json(.init(items: views.map(Self.contact)))))
    }

    /// Both lookup forms: exactly one of the four, each within its length.
    private func lookup(phone: String?, email: String?, name: String?, reference: String?, interaction: InteractionID? = nil) async throws -> [ContactView] {
        let principal = try Principal.required()
        let given: [ContactDirectory.Lookup] = [
            try Self.bounded(phone, "phone", max: 40).map { .phone($0) },
            try Self.bounded(email, "email", max: 254).map { .email($0) },
            try Self.bounded(name, "name", max: 200).map { .name($0) },
            try Self.bounded(reference, "reference", max: 20).map { .reference($0) },
        ].compactMap { $0 }
        guard given.count == 1, let lookup = given.first else {
            throw GuardlineError.invalid("Give exactly one of 'phone', 'email', 'name' or 'reference'.")
        }
        return try await services.contacts.lookup(lookup, by: principal, channel: "api", interaction: interaction)
    }

    func getContact(_ input: Operations.GetContact.Input) async throws -> Operations.GetContact.Output {
        let principal = try Principal.required()
        let reason = try Self.bounded(input.query.reason, "reason", max: 500)
        let view = try await services.contacts.read(try Self.id(input.path.contactId, "The contact"), by: principal, reason: reason,
                                                    interaction: try Self.interactionID(input.query.interactionId))
        return .ok(.init(body: .json(Self.contact(view))))
    }

    func updateContact(_ input: Operations.UpdateContact.Input) async throws -> Operations.UpdateContact.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        let changes = body.fields.additionalProperties
        guard (1...Self.maxFieldsPerRequest).contains(changes.count) else {
            throw GuardlineError.invalid("'fields' must hold 1 to \(Self.maxFieldsPerRequest) entries.")
        }
        let view = try await services.contacts.update(
            try Self.id(input.path.contactId, "The contact"), changes: changes, interaction: try Self.interactionID(input.query.interactionId), by: principal)
        return .ok(.init(body: .json(Self.contact(view))))
    }

    func deleteContact(_ input: Operations.DeleteContact.Input) async throws -> Operations.DeleteContact.Output {
        let principal = try Principal.required()
        try await services.contacts.erase(try Self.id(input.path.contactId, "The contact"), by: principal)
        return .noContent(.init())
    }

    func revealField(_ input: Operations.RevealField.Input) async throws -> Operations.RevealField.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        let field = FieldKey(body.field)
        guard field.isWellFormed else { throw GuardlineError.invalid("'field' is not a field key.") }
        let code = body.reasonCode.flatMap { RevealReason(rawValue: $0.rawValue) } ?? .other
        let value = try await services.contacts.reveal(
            try Self.id(input.path.contactId, "The contact"), field: field, reasonCode: code, reason: body.reason,
            interaction: try Self.interactionID(body.interactionId), by: principal)
        return .ok(.init(body: .json(.init(field: field.rawValue, value: value))))
    }
}
