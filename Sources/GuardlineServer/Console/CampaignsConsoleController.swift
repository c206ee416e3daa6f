import Foundation
import GuardlineCore
import Hummingbird

/// Campaigns in the console, through `CampaignDesk` as the API: supervisors create
/// them, build lists and keep the suppression list; outbound agents take the next
/// contact and record the outcome of the call.
struct CampaignsConsoleController {
    typealias Context = GuardlineRequestContext

    let services: GuardlineServices
    let views: ConsoleViews
    var desk: CampaignDesk { services.campaigns }

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("/campaigns") { _, context in try await list(context, flash: nil, status: .ok) }
        group.post("/campaigns") { request, context in try await create(request, context) }
        group.post("/campaigns/suppressions") { request, context in try await suppress(request, context, remove: false) }
        group.post("/campaigns/suppressions/remove") { request, context in try await suppress(request, context, remove: true) }
        group.get("/campaigns/:id") { _, context in try await show(context, id: try id(context), flash: nil) }
        group.post("/campaigns/:id/list") { _, context in try await build(context) }
        group.post("/campaigns/:id/next") { _, context in try await next(context) }
        group.post("/campaigns/:id/outcome") { request, context in try await outcome(request, context) }
    }

    private func id(_ context: Context) throws -> CampaignID {
        guard let raw = context.parameters.get("id"), let id = CampaignID(raw) else { throw GuardlineError.notFound("The campaign") }
        return id
    }

    private func list(_ context: Context, flash: String?, status: HTTPResponse.Status) async throws -> Response {
        let (principal, csrf, _) = try context.consoleUser()
        let has = principal.authorization.has
        // The DPO, without campaign rights, sees only the form that lifts a suppression.
        let sees = has(.manageCampaigns) || has(.dialCampaigns)
        let campaigns = sees || !has(.restrictProcessing) ? try await desk.list(by: principal) : []
        let manages = has(.manageCampaigns)
        let purposes = try await services.catalogs.purposes(for: principal.orgID)
        let stages = try await services.catalogs.stages(for: principal.orgID)
        let counts = manages ? try await desk.suppressionCounts(by: principal) : [:]
        return views.render("campaigns", CampaignsPage(
            chrome: Chrome(principal, csrf: csrf, current: "/campaigns", flash: flash),
            campaigns: campaigns.map { CampaignsPage.Row($0, purposes: purposes) }, sees: sees, manages: manages,
            lifts: !manages && has(.restrictProcessing),
            purposes: purposes.filter(\.active).map { .init(value: $0.key, label: "\($0.name) (\($0.lawfulBasis.label))", selected: false) },
            channels: ContactChannel.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0 == .phone) },
            stages: stages.map { .init(value: $0.key, label: $0.label, checked: false) },
            days: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].enumerated().map {
                .init(value: String($0.offset + 1), label: $0.element, checked: $0.offset < 5)
            },
            suppressedPhones: counts["phone"] ?? 0, suppressedEmails: counts["email"] ?? 0), status: status)
    }

    private func create(_ request: Request, _ context: Context) async throws -> Response {
        let (principal, _, _) = try context.consoleUser()
        let form = try await FormBody(request)
        do {
            guard let channel = ContactChannel(rawValue: form["channel"] ?? "") else { throw GuardlineError.invalid("Choose a channel.") }
            guard let start = CallingHours.minutes(form["start"] ?? ""), let end = CallingHours.minutes(form["end"] ?? "") else {
                throw GuardlineError.invalid("Calling hours are written HH:MM, e.g. 09:00.")
            }
            guard let attempts = Int(form["maxAttempts"] ?? "") else { throw GuardlineError.invalid("Give the maximum attempts as a number.") }
            let stages = try await services.catalogs.stages(for: principal.orgID).map(\.key).filter { form["stage.\($0)"] == "on" }
            let campaign = try await desk.create(.init(
                name: form["name"] ?? "", purpose: form["purpose"] ?? "", channel: channel, stages: stages,
                hours: CallingHours(start: start, end: end, days: (1...7).filter { form["day.\($0)"] == "on" }),
                timeZone: form.text("timeZone") ?? "", maxAttempts: attempts), by: principal)
            return ConsolePage.redirect("/campaigns/\(campaign.id)")
        } catch let failure as GuardlineError where failure.code == .invalidInput {
            return try await list(context, flash: failure.message, status: .badRequest)
        }
    }

    private func suppress(_ request: Request, _ context: Context, remove: Bool) async throws -> Response {
        let (principal, _, _) = try context.consoleUser()
        let form = try await FormBody(request)
        do {
            guard let channel = ContactChannel(rawValue: form["channel"] ?? "") else { throw GuardlineError.invalid("Choose phone or email.") }
            let value = form["value"] ?? ""
            let message: String
            if remove {
                try await desk.unsuppress(value, channel: channel, by: principal)
                message = "Taken off the suppression list."
            } else {
                message = try await desk.suppress(value, channel: channel, by: principal)
                    ? "Added to the suppression list." : "It was on the suppression list already."
            }
            return try await list(context, flash: message, status: .ok)
        } catch let failure as GuardlineError where [.invalidInput, .notFound].contains(failure.code) {
            return try await list(context, flash: failure.message, status: failure.code == .notFound ? .notFound : .badRequest)
        }
    }

    private func show(_ context: Context, id: CampaignID, flash: String?, offer: CampaignDesk.Offer? = nil) async throws -> Response {
        let (principal, csrf, _) = try context.consoleUser()
        let campaign = try await desk.find(id, by: principal)
        let progress = try await desk.progress(id, by: principal)
        let purposes = try await services.catalogs.purposes(for: principal.orgID)
        var card: ContactCard?
        if let offer {
            card = ContactCard(offer.contact, catalog: try await services.catalogs.catalog(for: principal.orgID), principal: principal, csrf: csrf)
        }
        return views.render("campaign", CampaignPage(
            chrome: Chrome(principal, csrf: csrf, current: "/campaigns", flash: flash),
            campaign: CampaignsPage.Row(campaign, purposes: purposes),
            build: campaign.lastBuild.map { build in
                .init(included: build.included, at: ConsentPanel.time(build.builtAt),
                      reasons: build.counts.map { .init(reason: $0.reason.rawValue, label: $0.reason.label, count: $0.count) })
            },
            progress: [ListEntryState.pending, .offered, .done, .excluded].map { .init(state: $0.rawValue, count: progress[$0] ?? 0) },
            manages: principal.authorization.has(.manageCampaigns), dials: principal.authorization.has(.dialCampaigns),
            offer: card, attempts: offer?.entry.attempts ?? 0,
            outcomes: CallOutcome.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: false) }))
    }

    private func build(_ context: Context) async throws -> Response {
        let (principal, _, _) = try context.consoleUser()
        let id = try id(context)
        do {
            let build = try await desk.build(id, by: principal)
            return try await show(context, id: id, flash: "List built: \(build.included) to contact, \(build.excluded.values.reduce(0, +)) left off.")
        } catch let failure as GuardlineError where failure.code == .conflict {
            return try await show(context, id: id, flash: failure.message)
        }
    }

    private func next(_ context: Context) async throws -> Response {
        let (principal, _, _) = try context.consoleUser()
        let id = try id(context)
        do {
            guard let offer = try await desk.next(id, by: principal) else { return try await show(context, id: id, flash: CampaignPage.nothingDue) }
            return try await show(context, id: id, flash: nil, offer: offer)
        } catch let failure as GuardlineError where failure.code == .conflict {
            return try await show(context, id: id, flash: failure.message)
        }
    }

    private func outcome(_ request: Request, _ context: Context) async throws -> Response {
        let (principal, _, _) = try context.consoleUser()
        let id = try id(context)
        let form = try await FormBody(request)
        do {
            guard let outcome = CallOutcome(rawValue: form["outcome"] ?? ""), let contact = ContactID(form["contact"] ?? "") else {
                throw GuardlineError.invalid("Choose what came of the call.")
            }
            let entry = try await desk.recordOutcome(outcome, contact: contact, campaign: id, by: principal)
            let note = outcome == .doNotCall ? " The number is on the suppression list." : entry.state == .pending ? " They will be tried again." : ""
            return try await show(context, id: id, flash: "Recorded: \(outcome.label).\(note)")
        } catch let failure as GuardlineError where [.invalidInput, .conflict].contains(failure.code) {
            return try await show(context, id: id, flash: failure.message)
        }
    }
}

struct CampaignsPage {
    struct Row {
        let id: String
        let name: String
        let purpose: String
        let channel: String
        let stages: String
        let hours: String
        let maxAttempts: Int
        let included: String

        init(_ campaign: Campaign, purposes: [Purpose]) {
            id = campaign.id.description
            name = campaign.name
            purpose = purposes.first { $0.key == campaign.purpose }?.name ?? campaign.purpose
            channel = campaign.channel.label
            stages = campaign.stages.isEmpty ? "every stage" : campaign.stages.joined(separator: ", ")
            let days = campaign.hours.days == [1, 2, 3, 4, 5] ? "weekdays" : campaign.hours.days.map(String.init).joined(separator: ",")
            hours = "\(days) \(CallingHours.text(campaign.hours.start))–\(CallingHours.text(campaign.hours.end)) (contact's time; else \(campaign.timeZone))"
            maxAttempts = campaign.maxAttempts
            included = campaign.lastBuild.map { String($0.included) } ?? "not built"
        }
    }

    let chrome: Chrome
    let campaigns: [Row]
    /// May see campaigns (supervisors, outbound agents).
    let sees: Bool
    let manages: Bool
    /// Lifts suppressions the person asked for, without managing campaigns (the DPO).
    let lifts: Bool
    let purposes: [ConsentPanel.Option]
    let channels: [ConsentPanel.Option]
    let stages: [PurposesPage.Check]
    let days: [PurposesPage.Check]
    let suppressedPhones: Int
    let suppressedEmails: Int
}

struct CampaignPage {
    static let nothingDue = "Nobody on this list is due now (outside their calling hours, or the list is worked through)."

    struct Reason {
        let reason: String
        let label: String
        let count: Int
    }

    struct Build {
        let included: Int
        let at: String
        let reasons: [Reason]
    }

    struct Count {
        let state: String
        let count: Int
    }

    let chrome: Chrome
    let campaign: CampaignsPage.Row
    let build: Build?
    let progress: [Count]
    let manages: Bool
    let dials: Bool
    let offer: ContactCard?
    let attempts: Int
    let outcomes: [ConsentPanel.Option]
}
