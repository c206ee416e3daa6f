import Foundation
import GuardlineAPI
import GuardlineCore

/// The consent ledger, notices and scripts, and the journey stage, over the API.
extension APIController {
    func getConsents(_ input: Operations.GetConsents.Input) async throws -> Operations.GetConsents.Output {
        let principal = try Principal.required()
        let overview = try await services.consent.overview(try Self.id(input.path.contactId, "The contact"), by: principal)
        let current = overview.ledger.current.sorted { $0.key < $1.key }.map { key, event in
            Components.Schemas.ConsentState(
                purpose: key.purpose, channel: .init(rawValue: key.channel.rawValue)!, decision: .init(rawValue: event.decision.rawValue)!,
                eventId: event.id.uuidString.lowercased(), at: event.at)
        }
        func ask(_ ask: ProgressiveProfile.Ask) -> Components.Schemas.ConsentAsk {
            .init(purpose: ask.purpose.key, name: ask.purpose.name, channels: ask.channels.map { .init(rawValue: $0.rawValue)! },
                  script: overview.scripts[ask.purpose.key].map(Self.notice))
        }
        return .ok(.init(body: .json(.init(
            stage: overview.profile.stage, history: overview.ledger.history.map(Self.consent), current: current,
            undecided: overview.profile.undecided.map(ask), askNow: overview.profile.askNow.map(ask),
            collectableFields: overview.profile.collectable.map(\.rawValue)))))
    }

    func recordConsent(_ input: Operations.RecordConsent.Input) async throws -> Operations.RecordConsent.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        let version = try body.scriptVersionId.map { raw in
            guard let id = UUID(uuidString: raw) else { throw GuardlineError.invalid("'scriptVersionId' is not a version id.") }
            return id
        }
        let event = try await services.consent.record(
            .init(purpose: body.purpose, channel: ContactChannel(rawValue: body.channel.rawValue)!,
                  decision: ConsentDecision(rawValue: body.decision.rawValue)!, interactionID: body.interactionId, scriptVersionID: version),
            for: try Self.id(input.path.contactId, "The contact"), by: principal)
        return .created(.init(body: .json(Self.consent(event))))
    }

    func setContactStage(_ input: Operations.SetContactStage.Input) async throws -> Operations.SetContactStage.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        try await services.contacts.move(try Self.id(input.path.contactId, "The contact"), to: body.stage, by: principal)
        return .ok(.init(body: .json(.init(stage: body.stage))))
    }

    func listNoticeVersions(_ input: Operations.ListNoticeVersions.Input) async throws -> Operations.ListNoticeVersions.Output {
        let principal = try Principal.required()
        if let purpose = input.query.purpose, !CatalogRules.isPurposeKey(purpose) {
            throw GuardlineError.invalid("'purpose' is a purpose key: lowercase letters, digits and underscores.")
        }
        let versions = try await services.notices.versions(
            NoticeVersion.Kind(rawValue: input.query.kind.rawValue)!, purpose: input.query.purpose, org: principal.orgID)
        return .ok(.init(body: .json(.init(items: versions.map(Self.notice)))))
    }

    func publishNotice(_ input: Operations.PublishNotice.Input) async throws -> Operations.PublishNotice.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        let version = try await services.notices.publish(
            NoticeVersion.Kind(rawValue: body.kind.rawValue)!, purpose: body.purpose, text: body.text, by: principal)
        return .created(.init(body: .json(Self.notice(version))))
    }

    static func consent(_ event: ConsentEvent) -> Components.Schemas.ConsentEvent {
        .init(id: event.id.uuidString.lowercased(), purpose: event.purpose, channel: .init(rawValue: event.channel.rawValue)!,
              decision: .init(rawValue: event.decision.rawValue)!, source: .init(rawValue: event.source.rawValue)!,
              capturedBy: event.capturedBy, noticeVersionId: event.noticeVersionID?.uuidString.lowercased(), noticeHash: event.noticeHash,
              interactionId: event.interactionID, evidence: event.evidence, at: event.at)
    }

    static func notice(_ version: NoticeVersion) -> Components.Schemas.NoticeVersion {
        .init(id: version.id.uuidString.lowercased(), kind: .init(rawValue: version.kind.rawValue)!, purpose: version.purpose,
              version: version.version, text: version.text, hash: version.hash, createdBy: version.createdBy?.description,
              createdAt: version.createdAt)
    }
}

/// The organization's statement of recipients, transfers and automated decisions.
extension APIController {
    func getPrivacyFacts(_ input: Operations.GetPrivacyFacts.Input) async throws -> Operations.GetPrivacyFacts.Output {
        let principal = try Principal.required()
        return .ok(.init(body: .json(Self.facts(try await services.notices.privacyFacts(org: principal.orgID)))))
    }

    func setPrivacyFacts(_ input: Operations.SetPrivacyFacts.Input) async throws -> Operations.SetPrivacyFacts.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        let written = try await services.notices.setPrivacyFacts(
            PrivacyFacts(recipients: body.recipients, transfers: body.transfers, automatedDecisions: body.automatedDecisions, authority: body.authority),
            by: principal)
        return .ok(.init(body: .json(Self.facts(written))))
    }

    static func facts(_ facts: PrivacyFacts) -> Components.Schemas.PrivacyFacts {
        .init(recipients: facts.recipients, transfers: facts.transfers, automatedDecisions: facts.automatedDecisions, authority: facts.authority)
    }
}
