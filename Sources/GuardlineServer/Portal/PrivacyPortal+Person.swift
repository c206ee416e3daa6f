import Foundation
import GuardlineCore
import GuardlineStore

/// What a signed-in person sees and does: their data in plain language, their consents
/// with one button each way, and their requests.
extension PrivacyPortal {
    public struct Overview: Sendable {
        public let export: SubjectExport
        public let consents: [ConsentChoice]
        public let requests: [RequestDesk.View]
        /// Purposes one may object to: those resting on legitimate interests or public task (Art. 21).
        public let objectable: [Purpose]
        /// Fields the person may ask to correct: those their record holds or the catalog collects.
        public let correctable: [(key: String, label: String)]
        /// Holds in force: what must be kept, and why (Art. 17(3)).
        public let holds: [ErasureHold]
        /// The privacy notice a consent given here is recorded against, shown beside the buttons.
        public let notice: NoticeVersion
    }

    public struct ConsentChoice: Sendable {
        public let purpose: Purpose
        public let channel: ContactChannel
        public let decision: ConsentDecision?
        /// Whether the person may give it now (the purpose is asked at their stage and they are not restricted).
        public let mayGrant: Bool
    }

    /// The person's data as held, read as an access of their own (audited); nil once erased.
    public func overview(_ session: PortalStore.Session) async throws -> Overview? {
        let org = session.orgID, contact = session.contactID
        guard let export = try await requests.exporter.export(contact, org: org, at: clock.now),
              let stage = try await directory.contacts.stage(of: contact, org: org)
        else { return nil }
        let purposes = try await directory.catalogs.purposes(for: org)
        let ledger = ConsentLedger(try await consents.events(contact: contact, org: org))
        let restricted = export.restrictedSince != nil
        var choices: [ConsentChoice] = []
        for purpose in purposes where purpose.lawfulBasis == .consent {
            for channel in purpose.channels {
                let decision = ledger.decision(purpose.key, channel)
                let mayGrant = !restricted && (try? ConsentRules.check(.granted, for: purpose, on: channel, stage: stage)) != nil
                // A retired purpose shows only where consent still stands, to be withdrawn.
                guard purpose.active || decision == .granted else { continue }
                choices.append(ConsentChoice(purpose: purpose, channel: channel, decision: decision, mayGrant: mayGrant))
            }
        }
        let catalog = try await directory.catalogs.catalog(for: org)
        let held = Set(export.fields.map(\.key))
        let correctable = catalog.keys.filter { held.contains($0.rawValue) || $0 == .email || $0 == .phone }
            .map { (key: $0.rawValue, label: catalog[$0]?.label ?? $0.rawValue) }
        try await audit.append(AuditRecord(
            by: .subject(contact), org: org, at: clock.now, action: "portal.read", contactID: contact, fields: export.fields.map(\.key)))
        return Overview(
            export: export, consents: choices, requests: try await requests.forPerson(session),
            objectable: purposes.filter(RequestWorkflow.mayObjectTo),
            correctable: correctable,
            holds: try await directory.holds.active(contact: contact, org: org, at: clock.now),
            notice: try await consent.library.current(.notice, purpose: nil, org: org))
    }

    public func decide(_ decision: ConsentDecision, purpose: String, channel: String, notice: String?, session: PortalStore.Session) async throws {
        guard let channel = ContactChannel(rawValue: channel) else { throw GuardlineError.invalid("Unknown channel.") }
        guard let notice, let shown = UUID(uuidString: notice) else { throw GuardlineError.invalid("The form does not say which notice it showed; reload the page.") }
        _ = try await consent.recordByPerson(decision, purpose: purpose, channel: channel, contact: session.contactID, org: session.orgID, shown: shown)
    }
}
