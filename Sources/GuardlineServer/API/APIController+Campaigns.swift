import Foundation
import GuardlineAPI
import GuardlineCore
import GuardlineStore

/// Campaigns, preview dialing, the suppression list and processing limits over the API.
extension APIController {
    func listCampaigns(_ input: Operations.ListCampaigns.Input) async throws -> Operations.ListCampaigns.Output {
        let campaigns = try await services.campaigns.list(by: try Principal.required())
        return .ok(.init(body: .json(.init(items: campaigns.map { Self.campaign($0) }))))
    }

    func createCampaign(_ input: Operations.CreateCampaign.Input) async throws -> Operations.CreateCampaign.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        var draft = CampaignDesk.Draft(
            name: body.name, purpose: body.purpose, channel: ContactChannel(rawValue: body.channel.rawValue)!, stages: body.stages ?? [])
        if let hours = body.callingHours { draft.hours = try Self.hours(hours) }
        if let zone = body.timeZone { draft.timeZone = zone }
        if let attempts = body.maxAttempts { draft.maxAttempts = attempts }
        let campaign = try await services.campaigns.create(draft, by: principal)
        return .created(.init(body: .json(Self.campaign(campaign))))
    }

    func getCampaign(_ input: Operations.GetCampaign.Input) async throws -> Operations.GetCampaign.Output {
        let principal = try Principal.required()
        let id: CampaignID = try Self.id(input.path.campaignId, "The campaign")
        let campaign = try await services.campaigns.find(id, by: principal)
        let progress = try await services.campaigns.progress(id, by: principal)
        return .ok(.init(body: .json(Self.campaign(campaign, progress: progress))))
    }

    func buildCampaignList(_ input: Operations.BuildCampaignList.Input) async throws -> Operations.BuildCampaignList.Output {
        let build = try await services.campaigns.build(try Self.id(input.path.campaignId, "The campaign"), by: try Principal.required())
        return .ok(.init(body: .json(Self.build(build))))
    }

    func nextCampaignContact(_ input: Operations.NextCampaignContact.Input) async throws -> Operations.NextCampaignContact.Output {
        guard let offer = try await services.campaigns.next(try Self.id(input.path.campaignId, "The campaign"), by: try Principal.required()) else {
            return .noContent(.init())
        }
        return .ok(.init(body: .json(.init(
            campaignId: offer.campaign.id.description, attempts: offer.entry.attempts, contact: Self.contact(offer.contact)))))
    }

    func recordCampaignOutcome(_ input: Operations.RecordCampaignOutcome.Input) async throws -> Operations.RecordCampaignOutcome.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        guard let contact = ContactID(body.contactId) else { throw GuardlineError.invalid("'contactId' must be an id (a UUID).") }
        let entry = try await services.campaigns.recordOutcome(
            CallOutcome(rawValue: body.outcome.rawValue)!, contact: contact,
            campaign: try Self.id(input.path.campaignId, "The campaign"), by: principal)
        return .ok(.init(body: .json(.init(
            contactId: entry.contactID.description, state: .init(rawValue: entry.state.rawValue)!, attempts: entry.attempts,
            outcome: entry.outcome.map { .init(rawValue: $0.rawValue)! }))))
    }

    func getSuppressionCounts(_ input: Operations.GetSuppressionCounts.Input) async throws -> Operations.GetSuppressionCounts.Output {
        let counts = try await services.campaigns.suppressionCounts(by: try Principal.required())
        return .ok(.init(body: .json(.init(phone: counts["phone"] ?? 0, email: counts["email"] ?? 0))))
    }

    func addSuppression(_ input: Operations.AddSuppression.Input) async throws -> Operations.AddSuppression.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        let added = try await services.campaigns.suppress(body.value, channel: ContactChannel(rawValue: body.channel.rawValue)!, by: principal)
        return .created(.init(body: .json(.init(added: added))))
    }

    func removeSuppression(_ input: Operations.RemoveSuppression.Input) async throws -> Operations.RemoveSuppression.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        try await services.campaigns.unsuppress(body.value, channel: ContactChannel(rawValue: body.channel.rawValue)!, by: principal)
        return .noContent(.init())
    }

    func getContactRestriction(_ input: Operations.GetContactRestriction.Input) async throws -> Operations.GetContactRestriction.Output {
        let principal = try Principal.required()
        let id: ContactID = try Self.id(input.path.contactId, "The contact")
        return .ok(.init(body: .json(try await restriction(id, by: principal, checked: false))))
    }

    func setContactRestriction(_ input: Operations.SetContactRestriction.Input) async throws -> Operations.SetContactRestriction.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        let id: ContactID = try Self.id(input.path.contactId, "The contact")
        try await services.contacts.restrict(
            id, restricted: body.restricted, ground: body.ground?.rawValue, liftReason: body.liftReason?.rawValue,
            subjectInformed: body.subjectInformed, by: principal)
        return .ok(.init(body: .json(try await restriction(id, by: principal, checked: true))))
    }

    func recordObjection(_ input: Operations.RecordObjection.Input) async throws -> Operations.RecordObjection.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        let id: ContactID = try Self.id(input.path.contactId, "The contact")
        _ = try await services.contacts.object(id, to: body.purpose, by: principal)
        return .ok(.init(body: .json(try await restriction(id, by: principal, checked: true))))
    }

    /// `checked`: the caller already passed the capability and reach checks of a change.
    private func restriction(_ id: ContactID, by principal: Principal, checked: Bool) async throws -> Components.Schemas.Restriction {
        if !checked {
            try principal.require(.restrictProcessing, to: "see processing limits")
            _ = try await services.contacts.reach(id, by: principal)
        }
        let limits = try await services.contacts.limits(id, org: principal.orgID)
        return .init(
            restricted: limits.restriction != nil, restrictedAt: limits.restriction?.since,
            ground: (limits.restriction?.ground?.rawValue).flatMap(Components.Schemas.RestrictionGround.init(rawValue:)),
            objections: limits.objections.map { .init(purpose: $0.purpose, at: $0.at) })
    }

    // MARK: Mapping

    static func hours(_ input: Components.Schemas.CallingHours) throws -> CallingHours {
        guard let start = CallingHours.minutes(input.start), let end = CallingHours.minutes(input.end) else {
            throw GuardlineError.invalid("Calling hours are written HH:MM, e.g. 09:00.")
        }
        return CallingHours(start: start, end: end, days: input.days)
    }

    static func campaign(_ campaign: Campaign, progress: [ListEntryState: Int]? = nil) -> Components.Schemas.Campaign {
        .init(
            id: campaign.id.description, name: campaign.name, purpose: campaign.purpose, channel: .init(rawValue: campaign.channel.rawValue)!,
            stages: campaign.stages,
            callingHours: .init(start: CallingHours.text(campaign.hours.start), end: CallingHours.text(campaign.hours.end), days: campaign.hours.days),
            timeZone: campaign.timeZone, maxAttempts: campaign.maxAttempts, createdAt: campaign.createdAt,
            lastBuild: campaign.lastBuild.map(build),
            progress: progress.map { .init(pending: $0[.pending] ?? 0, offered: $0[.offered] ?? 0, done: $0[.done] ?? 0, excluded: $0[.excluded] ?? 0) })
    }

    static func build(_ build: ListBuild) -> Components.Schemas.ListBuild {
        let count = { (reason: ExclusionReason) in build.excluded[reason] ?? 0 }
        return .init(
            included: build.included,
            excluded: .init(
                erased: count(.erased), restricted: count(.restricted), objection: count(.objection), noLawfulBasis: count(.noLawfulBasis),
                suppressed: count(.suppressed), unreachable: count(.unreachable)),
            builtAt: build.builtAt)
    }
}
