import Foundation
import GuardlineCore
import GuardlineStore

/// Where consent is asked and recorded: the agent with a contact open sees what
/// is still undecided and what may be asked at the contact's stage, reads the
/// purpose's script, and records the answer with its evidence. Withdrawing is
/// the same single action as granting, at any stage.
public struct ConsentDesk: Sendable {
    let consents: ConsentStore
    let directory: ContactDirectory
    let library: NoticeLibrary
    let catalogs: CatalogCache
    let audit: AuditWriter
    let clock: WallClock

    /// A contact's consent: its history (newest first), the current state folded from
    /// it, and what to ask now. Reading it is an access to the contact, recorded.
    public struct Overview: Sendable {
        public let ledger: ConsentLedger
        public let profile: ProgressiveProfile
        public let purposes: [Purpose]
        /// The script to read for each purpose that may be asked now.
        public let scripts: [String: NoticeVersion]
    }

    public func overview(_ id: ContactID, by principal: Principal) async throws -> Overview {
        let reach = try await directory.reach(id, by: principal)
        let purposes = try await catalogs.purposes(for: principal.orgID)
        let ledger = ConsentLedger(try await consents.events(contact: id, org: principal.orgID))
        let profile = ProgressiveProfile(
            stage: reach.stage, purposes: purposes, catalog: reach.catalog, ledger: ledger, heldFields: reach.heldFields,
            editable: { reach.editable.contains($0) })
        var scripts: [String: NoticeVersion] = [:]
        for ask in profile.askNow { scripts[ask.purpose.key] = try await library.current(.script, purpose: ask.purpose.key, org: principal.orgID) }
        try await audit.append(AuditRecord(by: principal.auditActor, org: principal.orgID, at: clock.now, action: "consent.read", contactID: id))
        return Overview(ledger: ledger, profile: profile, purposes: purposes, scripts: scripts)
    }

    /// What an agent (or integration) sends to record a decision.
    public struct Decision: Sendable {
        public var purpose: String
        public var channel: ContactChannel
        public var decision: ConsentDecision
        /// The call or chat: the PBX's call id until interactions exist.
        public var interactionID: String?
        /// The script version read out; the purpose's current script if nil.
        public var scriptVersionID: UUID?

        public init(purpose: String, channel: ContactChannel, decision: ConsentDecision, interactionID: String? = nil, scriptVersionID: UUID? = nil) {
            self.purpose = purpose
            self.channel = channel
            self.decision = decision
            self.interactionID = interactionID
            self.scriptVersionID = scriptVersionID
        }
    }

    public func record(_ input: Decision, for id: ContactID, by principal: Principal) async throws -> ConsentEvent {
        guard principal.authorization.mayWriteContacts else { throw GuardlineError.forbidden("This token has no contacts.write scope.") }
        try principal.require(.recordConsent, to: "record consent decisions")
        let interaction = try ConsentRules.interactionID(input.interactionID)
        let reach = try await directory.reach(id, by: principal)
        guard let purpose = try await catalogs.purposes(for: principal.orgID).first(where: { $0.key == input.purpose }) else {
            throw GuardlineError.invalid("Unknown purpose '\(CatalogRules.isPurposeKey(input.purpose) ? input.purpose : "(malformed)")'.")
        }
        try ConsentRules.check(input.decision, for: purpose, on: input.channel, stage: reach.stage)
        if input.decision == .granted { try await directory.requireUnrestricted(id, by: principal, to: "record a grant") }
        let script: NoticeVersion
        if let version = input.scriptVersionID {
            guard let found = try await library.find(version, org: principal.orgID), found.kind == .script, found.purpose == purpose.key else {
                throw GuardlineError.invalid("'scriptVersionId' is not a version of the script for '\(purpose.key)'.")
            }
            script = found
        } else {
            script = try await library.current(.script, purpose: purpose.key, org: principal.orgID)
        }
        let actor = principal.auditActor
        // One instant for the id and the time: ids order the ledger as its times do (campaign list builds take the greatest id as the latest).
        let now = clock.now
        let event = ConsentEvent(
            id: UUID.version7(at: now), orgID: principal.orgID, contactID: id, purpose: purpose.key, channel: input.channel,
            decision: input.decision, source: principal.credential.isIntegration ? .api : .agent, capturedBy: actor.recordedID,
            noticeVersionID: script.id, noticeHash: script.hash, interactionID: interaction, at: now)
        // The entry names purpose, channel and script version; the call id stays in the ledger (it is the PBX's, not ours to chain).
        let record = AuditRecord(
            by: actor, org: principal.orgID, at: now, action: "consent.\(input.decision.rawValue)", contactID: id,
            context: "purpose \(purpose.key) channel \(input.channel.rawValue) script v\(script.version) \(script.hash)")
        return try await audit.recording(record) { step in try await consents.append(event, step: step) }
    }
}

extension Principal.Credential {
    var isIntegration: Bool { if case .integrationToken = self { true } else { false } }
}

extension AuditActor {
    /// The id a record keeps of who captured it.
    var recordedID: String? {
        switch self {
        case .user(let id): id.description
        case .token(let token, _): token.description
        case .system, .subject: nil
        }
    }
}
