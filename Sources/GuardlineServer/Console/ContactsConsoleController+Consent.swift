import Foundation
import GuardlineCore
import Hummingbird

/// Consent answers and journey moves from the contact's page: the same
/// `ConsentDesk` and `ContactDirectory` rules as the API.
extension ContactsConsoleController {
    func recordConsent(_ request: Request, _ context: Context) async throws -> Response {
        let (principal, _, _) = try context.consoleUser()
        let id = try contactID(context)
        let form = try await FormBody(request)
        do {
            guard let channel = ContactChannel(rawValue: form.text("channel") ?? ""),
                  let decision = ConsentDecision(rawValue: form.text("decision") ?? "")
            else { throw GuardlineError.invalid("Choose a channel and an answer.") }
            let script = try form.text("scriptVersionId").map { raw in
                guard let id = UUID(uuidString: raw) else { throw GuardlineError.invalid("The script version is not one Guardline showed.") }
                return id
            }
            _ = try await services.consent.record(
                .init(purpose: form.text("purpose") ?? "", channel: channel, decision: decision, interactionID: form.text("interactionId"),
                      scriptVersionID: script),
                for: id, by: principal)
            return ConsolePage.redirect("/contacts/\(id)#consent")
        } catch let failure as GuardlineError where failure.code == .invalidInput {
            return try await show(context, id: id, flash: failure.message)
        }
    }

    func move(_ request: Request, _ context: Context) async throws -> Response {
        let (principal, _, _) = try context.consoleUser()
        let id = try contactID(context)
        let form = try await FormBody(request)
        do {
            try await services.contacts.move(id, to: form.text("stage") ?? "", by: principal)
            return ConsolePage.redirect("/contacts/\(id)#consent")
        } catch let failure as GuardlineError where failure.code == .invalidInput {
            return try await show(context, id: id, flash: failure.message)
        }
    }

    func restrict(_ request: Request, _ context: Context) async throws -> Response {
        let (principal, _, _) = try context.consoleUser()
        let id = try contactID(context)
        let form = try await FormBody(request)
        guard let value = form.text("restricted"), ["true", "false"].contains(value) else {
            return try await show(context, id: id, flash: "Choose to restrict or to lift the restriction.", status: .badRequest)
        }
        do {
            try await services.contacts.restrict(
                id, restricted: value == "true", ground: form.text("ground"), liftReason: form.text("liftReason"),
                subjectInformed: value == "true" ? nil : form.text("subjectInformed") == "true", by: principal)
            return ConsolePage.redirect("/contacts/\(id)#limits")
        } catch let failure as GuardlineError where failure.code == .invalidInput {
            return try await show(context, id: id, flash: failure.message, status: .badRequest)
        }
    }

    func object(_ request: Request, _ context: Context) async throws -> Response {
        let (principal, _, _) = try context.consoleUser()
        let id = try contactID(context)
        let form = try await FormBody(request)
        do {
            _ = try await services.contacts.object(id, to: form.text("purpose") ?? "", by: principal)
            return ConsolePage.redirect("/contacts/\(id)#limits")
        } catch let failure as GuardlineError where failure.code == .invalidInput {
            return try await show(context, id: id, flash: failure.message)
        }
    }
}
