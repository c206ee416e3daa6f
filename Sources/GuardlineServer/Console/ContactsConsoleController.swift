import Foundation
import GuardlineCore
import Hummingbird

/// Caller lookup, contact cards, create, edit, reveal and erase in the console.
/// Everything goes through `ContactDirectory`, as the API does.
struct ContactsConsoleController {
    typealias Context = GuardlineRequestContext

    let services: GuardlineServices
    let views: ConsoleViews

    func addRoutes(to group: RouterGroup<Context>) {
        // The form posts, so the number or address looked up stays out of URLs, history and proxy logs.
        group.get("/lookup") { request, context in try await lookup(nil, context, interaction: request.uri.queryParameters["interaction"].map(String.init)) }
        group.post("/lookup") { request, context in try await lookup(try await FormBody(request), context) }
        group.get("/contacts") { request, context in try await list(request, context) }
        group.get("/contacts/new") { request, context in
            try await newForm(context, values: [:], error: nil, interaction: request.uri.queryParameters["interaction"].flatMap { InteractionID(String($0)) })
        }
        group.post("/contacts") { request, context in try await create(request, context) }
        group.get("/contacts/:id") { request, context in
            try await show(context, id: try contactID(context), interaction: request.uri.queryParameters["interaction"].flatMap { InteractionID(String($0)) })
        }
        group.get("/contacts/:id/edit") { request, context in
            try await editForm(context, id: try contactID(context), error: nil,
                               interaction: request.uri.queryParameters["interaction"].flatMap { InteractionID(String($0)) })
        }
        group.post("/contacts/:id") { request, context in try await update(request, context) }
        group.post("/contacts/:id/reveal") { request, context in try await reveal(request, context) }
        group.post("/contacts/:id/erase") { _, context in try await erase(context) }
        group.post("/contacts/:id/consents") { request, context in try await recordConsent(request, context) }
        group.post("/contacts/:id/stage") { request, context in try await move(request, context) }
        group.post("/contacts/:id/restriction") { request, context in try await restrict(request, context) }
        group.post("/contacts/:id/objections") { request, context in try await object(request, context) }
    }

    func contactID(_ context: Context) throws -> ContactID {
        guard let raw = context.parameters.get("id"), let id = ContactID(raw) else { throw GuardlineError.notFound("The contact") }
        return id
    }

    /// `interaction`: the live call or chat the lookup is for (a screen pop's link), kept in the form.
    private func lookup(_ form: FormBody?, _ context: Context, interaction linked: String? = nil) async throws -> Response {
        let (principal, csrf, _) = try context.consoleUser()
        let interactionText = form?.text("interaction") ?? linked ?? ""
        let interaction = InteractionID(interactionText)
        let phone = form?.text("phone") ?? ""
        let email = form?.text("email") ?? ""
        let name = form?.text("name") ?? ""
        let reference = form?.text("reference") ?? ""
        // Empty inputs of the same form are not lookups; the first filled one is.
        let given: ContactDirectory.Lookup? = !phone.isEmpty ? .phone(String(phone.prefix(40)))
            : !email.isEmpty ? .email(String(email.prefix(254))) : !name.isEmpty ? .name(String(name.prefix(200)))
            : !reference.isEmpty ? .reference(String(reference.prefix(20))) : nil
        var cards: [ContactCard] = []
        var error: String?
        if let given {
            do {
                let catalog = try await services.catalogs.catalog(for: principal.orgID)
                // A call from a caller not yet known: each card offers "this is the caller".
                var unlinked = false
                if let interaction, let row = try await services.interactions.store.find(interaction, org: principal.orgID) {
                    unlinked = row.interaction.contactID == nil && row.interaction.agentID == principal.user.id
                }
                cards = try await services.contacts.lookup(given, by: principal, channel: "console", interaction: interaction).map {
                    var card = ContactCard($0, catalog: catalog, principal: principal, csrf: csrf, interaction: interaction)
                    card.linksCall = unlinked
                    return card
                }
            } catch let failure as GuardlineError where failure.code == .invalidInput || failure.code == .forbidden {
                error = failure.message
            }
        }
        return views.render("lookup", LookupPage(
            chrome: Chrome(principal, csrf: csrf, current: "/lookup"), phone: phone, email: email, name: name, reference: reference,
            interaction: interaction?.description,
            canSearchByName: AccessPolicy.maySearch(by: .name, principal.profile, catalog: try await services.catalogs.catalog(for: principal.orgID)),
            canSearchByReference: principal.authorization.has(.listContacts),
            searched: given != nil, cards: cards, error: error))
    }

    private func list(_ request: Request, _ context: Context) async throws -> Response {
        let (principal, csrf, _) = try context.consoleUser()
        let cursor = request.uri.queryParameters["cursor"].flatMap { ContactID(String($0)) }
        let page = try await services.contacts.page(after: cursor, limit: 25, by: principal)
        let catalog = try await services.catalogs.catalog(for: principal.orgID)
        return views.render("contacts", ContactListPage(
            chrome: Chrome(principal, csrf: csrf, current: "/contacts"),
            cards: page.views.map { ContactCard($0, catalog: catalog, principal: principal, csrf: csrf) },
            nextCursor: page.next?.description))
    }

    func show(
        _ context: Context, id: ContactID, interaction: InteractionID? = nil, revealed: (FieldKey, String)? = nil, flash: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let (principal, csrf, _) = try context.consoleUser()
        let view = try await services.contacts.read(id, by: principal, reason: nil, context: "console contact card", interaction: interaction)
        let timeline = try await services.interactions.timeline(id, by: principal, interaction: interaction, reason: nil, before: nil, limit: 50)
        let catalog = try await services.catalogs.catalog(for: principal.orgID)
        let consent = try await ConsentPanel(
            services.consent.overview(id, by: principal), contact: id, stages: services.catalogs.stages(for: principal.orgID),
            catalog: catalog, principal: principal, csrf: csrf)
        var limits: LimitsPanel?
        if principal.authorization.has(.restrictProcessing) {
            let (restriction, objections) = try await services.contacts.limits(id, org: principal.orgID)
            limits = LimitsPanel(
                contact: id, restriction: restriction, objections: objections,
                purposes: try await services.catalogs.purposes(for: principal.orgID), csrf: csrf)
        }
        let restricted = try await services.contacts.restriction(of: id, org: principal.orgID)
        return views.render("contact", ContactPage(
            chrome: Chrome(principal, csrf: csrf, current: "", flash: flash),
            card: ContactCard(view, catalog: catalog, principal: principal, csrf: csrf, revealed: revealed, interaction: interaction),
            consent: consent, limits: limits,
            restrictedSince: restricted.map { ConsentPanel.time($0.since) },
            timeline: TimelinePanel(timeline.interactions, consents: timeline.consents, contact: id, viewer: principal.user.id,
                                    interaction: interaction, csrf: csrf, mayPlay: principal.authorization.has(.playRecordings))), status: status)
    }

    /// `interaction`: a call from a caller not yet known; the new contact is linked to it when it holds the caller's number.
    private func newForm(_ context: Context, values: [String: String], error: String?, interaction: InteractionID? = nil) async throws -> Response {
        let (principal, csrf, _) = try context.consoleUser()
        try principal.require(.createContacts, to: "create contacts")
        let catalog = try await services.catalogs.catalog(for: principal.orgID)
        return views.render("contact-form", ContactFormPage(
            chrome: Chrome(principal, csrf: csrf, current: "/contacts/new"), title: "New contact", action: "/contacts",
            inputs: ContactFormPage.inputs(catalog: catalog, profile: principal.profile, values: values), error: error, isEdit: false,
            interaction: interaction?.description),
            status: error == nil ? .ok : .badRequest)
    }

    private func create(_ request: Request, _ context: Context) async throws -> Response {
        let (principal, _, _) = try context.consoleUser()
        let form = try await FormBody(request)
        let catalog = try await services.catalogs.catalog(for: principal.orgID)
        var fields: [String: String] = [:]
        for key in catalog.keys { if let value = form.text(key.rawValue) { fields[key.rawValue] = value } }
        let interaction = form.text("interaction").flatMap(InteractionID.init)
        do {
            let view = try await services.contacts.create(fields, by: principal)
            // Made during a call from this number: the call is theirs (a number other than the caller's links nothing).
            if let interaction, (try? await services.interactions.link(interaction, to: view.id, by: principal)) != nil {
                return ConsolePage.redirect("/contacts/\(view.id)?interaction=\(interaction)")
            }
            return ConsolePage.redirect("/contacts/\(view.id)")
        } catch let failure as GuardlineError where failure.code == .invalidInput {
            return try await newForm(context, values: fields, error: failure.message, interaction: interaction)
        }
    }

    /// The form holds the fields the viewer may edit, as the read within `interaction` shows them:
    /// under need-to-know, editing is for the live interaction, as reading is.
    private func editForm(
        _ context: Context, id: ContactID, error: String?, values: [String: String]? = nil, interaction: InteractionID? = nil
    ) async throws -> Response {
        let (principal, csrf, _) = try context.consoleUser()
        let catalog = try await services.catalogs.catalog(for: principal.orgID)
        let view = try await services.contacts.read(id, by: principal, reason: nil, context: "console edit form", interaction: interaction)
        let current = values ?? Dictionary(uniqueKeysWithValues: view.editable.compactMap { key in view.fields[key].map { (key.rawValue, $0) } })
        let inputs = ContactFormPage.inputs(catalog: catalog, editable: Set(view.editable), values: current)
        guard !inputs.isEmpty else {
            throw GuardlineError.forbidden(NeedToKnow.isBound(principal.profile)
                ? "Your access profile edits a contact only within a live call or chat with them: open it from the call."
                : "Your access profile lets you edit no field of a contact.")
        }
        return views.render("contact-form", ContactFormPage(
            chrome: Chrome(principal, csrf: csrf, current: ""), title: "Edit contact", action: "/contacts/\(id)",
            inputs: inputs, error: error, isEdit: true, interaction: interaction?.description), status: error == nil ? .ok : .badRequest)
    }

    /// What changed on the form, against the contact as this viewer sees it now: a field left
    /// as it was is not written, an emptied one is cleared, and a field the viewer is not shown
    /// editable is never touched.
    private func update(_ request: Request, _ context: Context) async throws -> Response {
        let (principal, _, _) = try context.consoleUser()
        let id = try contactID(context)
        let form = try await FormBody(request)
        let interaction = form.text("interaction").flatMap(InteractionID.init)
        let view = try await services.contacts.read(id, by: principal, reason: nil, context: "console edit form", interaction: interaction)
        var changes: [String: String?] = [:]
        var submitted: [String: String] = [:]
        for field in view.editable {
            guard form[field.rawValue] != nil else { continue }
            let value = form.text(field.rawValue)
            submitted[field.rawValue] = value ?? ""
            if value != view.fields[field] { changes.updateValue(value, forKey: field.rawValue) }
        }
        let back = "/contacts/\(id)" + (interaction.map { "?interaction=\($0)" } ?? "")
        guard !changes.isEmpty else { return ConsolePage.redirect(back) }
        do {
            _ = try await services.contacts.update(id, changes: changes, interaction: interaction, by: principal)
            return ConsolePage.redirect(back)
        } catch let failure as GuardlineError where failure.code == .invalidInput {
            return try await editForm(context, id: id, error: failure.message, values: submitted, interaction: interaction)
        }
    }

    private func reveal(_ request: Request, _ context: Context) async throws -> Response {
        let (principal, _, _) = try context.consoleUser()
        let id = try contactID(context)
        let form = try await FormBody(request)
        let field = FieldKey(form.text("field") ?? "")
        let interaction = form.text("interaction").flatMap(InteractionID.init)
        do {
            let code = RevealReason(rawValue: form.text("reasonCode") ?? "") ?? .other
            let value = try await services.contacts.reveal(
                id, field: field, reasonCode: code, reason: form.text("reason") ?? "", interaction: interaction, by: principal)
            return try await show(context, id: id, interaction: interaction, revealed: (field, value))
        } catch let failure as GuardlineError where failure.code == .invalidInput {
            return try await show(context, id: id, interaction: interaction, flash: failure.message)
        }
    }

    private func erase(_ context: Context) async throws -> Response {
        let (principal, csrf, _) = try context.consoleUser()
        try await services.contacts.erase(try contactID(context), by: principal)
        return views.render("lookup", LookupPage(
            chrome: Chrome(principal, csrf: csrf, current: "/lookup", flash: "The contact was erased: its key is destroyed and its data unreadable."),
            phone: "", email: "", name: "", reference: "",
            canSearchByName: AccessPolicy.maySearch(by: .name, principal.profile, catalog: try await services.catalogs.catalog(for: principal.orgID)),
            canSearchByReference: principal.authorization.has(.listContacts),
            searched: false,
            cards: [], error: nil))
    }
}
