import Foundation
import GuardlineCore
import GuardlineStore
import Logging

/// Tells a person how their request moved (Art. 12(3)–(4)): an extension with its reason
/// and new date, and the answer, at the email address on record, else by text message, in
/// the language they used on the portal. Sent after the team's step is recorded, never
/// holding it up; a failure is logged without the address.
struct RequestNotices: Sendable {
    let directory: ContactDirectory
    let outbox: any Outbox
    let sendsTexts: Bool
    let facts: PrivacyFactsStore
    let audit: AuditWriter
    let clock: WallClock
    let logger = Logger(label: "guardline.notices")

    /// `known`: the address read before an erasure took it, so the person still hears it is done.
    /// `kept`: the grounds of holds that kept some of the person's data from an erasure.
    func tell(_ request: SubjectRequest, at known: OutboundMessage.Recipient? = nil, kept: [ErasureHold.Ground] = []) {
        Task { [self] in
            do {
                var to = known
                if to == nil { to = try await address(of: request.contactID, org: request.orgID) }
                guard let to else { return }
                let language = request.language.flatMap(PortalLanguage.init(rawValue:)) ?? .en
                let authority = request.state == .rejected ? try await facts.facts(org: request.orgID).authority : nil
                try await outbox.deliver(OutboundMessage(
                    to: to, subject: language.text(.requestSubject), body: language.progress(request, kept: kept, authority: authority)))
                // That the person was told, and how: the field the address came from, never the address.
                let field = if case .email = to { "email" } else { "phone" }
                try await audit.append(AuditRecord(
                    by: .system, org: request.orgID, at: clock.now, action: "request.notice", contactID: request.contactID, fields: [field],
                    context: "request \(request.id); state \(request.state.rawValue)"))
            } catch {
                logger.error("A person could not be told of their request's progress", metadata: [
                    "guardline.request": "\(request.id)", "guardline.error": "\(PrivacyPortal.describe(error))",
                ])
            }
        }
    }

    /// The person's email on record, else their number where texts can go; nil for someone erased.
    func address(of contact: ContactID, org: OrganizationID) async throws -> OutboundMessage.Recipient? {
        guard let sealed = try await directory.contacts.find(contact, org: org) else { return nil }
        let cipher = try await directory.cipher(for: contact, org: org)
        if let box = sealed.fields[.email], let email = EmailAddress(try cipher.open(box, field: .email)) { return .email(email.normalized) }
        if sendsTexts, let box = sealed.fields[.phone], let phone = PhoneNumber(try cipher.open(box, field: .phone)) { return .phone(phone.e164) }
        return nil
    }
}
