import Foundation
import GuardlineCore
import GuardlineStore

/// Consent given or withdrawn by the person themselves, on the privacy portal: one button
/// each way (Art. 7(3)), under the same rules as an agent's record, with the privacy notice
/// the portal shows as the text they decided on.
extension ConsentDesk {
    /// `shown`: the notice version the page showed; a decision on a notice that changed since is refused.
    public func recordByPerson(
        _ decision: ConsentDecision, purpose key: String, channel: ContactChannel, contact: ContactID, org: OrganizationID, shown: UUID?
    ) async throws -> ConsentEvent {
        guard decision != .refused else { throw GuardlineError.invalid("On the portal a consent is given or withdrawn.") }
        guard let purpose = try await catalogs.purposes(for: org).first(where: { $0.key == key }) else {
            throw GuardlineError.invalid("Unknown purpose '\(CatalogRules.isPurposeKey(key) ? key : "(malformed)")'.")
        }
        guard let stage = try await directory.contacts.stage(of: contact, org: org) else { throw GuardlineError.notFound("The contact") }
        try ConsentRules.check(decision, for: purpose, on: channel, stage: stage)
        if decision == .granted, try await directory.restriction(of: contact, org: org) != nil {
            throw GuardlineError(.conflict, "Your data is restricted: we do not use it, so there is nothing to consent to until the restriction is lifted.")
        }
        let notice = try await library.current(.notice, purpose: nil, org: org)
        guard shown == nil || shown == notice.id else {
            throw GuardlineError(.conflict, "Our privacy notice changed since the page was opened: reload it, read it, and decide again.")
        }
        let now = clock.now
        let event = ConsentEvent(
            id: UUID.version7(at: now), orgID: org, contactID: contact, purpose: purpose.key, channel: channel, decision: decision, source: .portal,
            capturedBy: nil, noticeVersionID: notice.id, noticeHash: notice.hash, interactionID: nil, at: now)
        let record = AuditRecord(
            by: .subject(contact), org: org, at: now, action: "consent.\(decision.rawValue)", contactID: contact,
            context: "purpose \(purpose.key) channel \(channel.rawValue) notice v\(notice.version) \(notice.hash); portal")
        return try await audit.recording(record) { step in try await consents.append(event, step: step) }
    }
}
