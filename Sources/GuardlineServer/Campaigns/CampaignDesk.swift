import Foundation
import GuardlineCore
import GuardlineCrypto
import GuardlineStore

/// Outbound campaigns: supervisors create them and build their lists (counts of who
/// was left off and why), outbound agents take the next contact (preview dialing)
/// and record what came of the call. The lawful basis is checked twice: when the
/// list is built and again when a contact is offered, so a withdrawal in between counts.
public struct CampaignDesk: Sendable {
    let campaigns: CampaignStore
    let suppressions: SuppressionStore
    let directory: ContactDirectory
    let catalogs: CatalogCache
    let audit: AuditWriter
    let clock: WallClock
    let builds = OrganizationGate(busy: "A list is being built for your organization already: try again when it is done.")

    /// An offer not answered with an outcome within this time goes back to the list.
    static let offerLifetime: TimeInterval = 30 * 60
    /// How many entries one request for the next contact looks at before it says none is due.
    static let scanLimit = 50

    /// What a supervisor sends to create a campaign.
    public struct Draft: Sendable {
        public var name: String
        public var purpose: String
        public var channel: ContactChannel
        public var stages: [String]
        public var hours: CallingHours
        public var timeZone: String
        public var maxAttempts: Int

        public init(name: String, purpose: String, channel: ContactChannel, stages: [String] = [], hours: CallingHours = .standard,
                    timeZone: String = "Europe/Lisbon", maxAttempts: Int = 3) {
            self.name = name
            self.purpose = purpose
            self.channel = channel
            self.stages = stages
            self.hours = hours
            self.timeZone = timeZone
            self.maxAttempts = maxAttempts
        }
    }

    public func create(_ draft: Draft, by principal: Principal) async throws -> Campaign {
        try principal.require(.manageCampaigns, to: "create campaigns")
        let now = clock.now
        let purposes = try await catalogs.purposes(for: principal.orgID)
        let campaign = Campaign(
            id: .make(at: now), orgID: principal.orgID, name: try TextRules.required(draft.name, "name", max: 120), purpose: draft.purpose,
            lawfulBasis: purposes.first { $0.key == draft.purpose }?.lawfulBasis ?? .consent, channel: draft.channel, stages: draft.stages, hours: draft.hours, timeZone: draft.timeZone, maxAttempts: draft.maxAttempts,
            createdBy: principal.auditActor.recordedID, createdAt: now)
        try CampaignRules.check(campaign, purposes: purposes, stages: try await catalogs.stages(for: principal.orgID))
        // The name is the supervisor's words: the entry names the campaign by id, purpose and channel.
        try await audit.recording(AuditRecord(
            by: principal.auditActor, org: principal.orgID, at: now, action: "campaign.create",
            context: "campaign \(campaign.id) purpose \(campaign.purpose) basis \(campaign.lawfulBasis.rawValue) channel \(campaign.channel.rawValue)")) { step in
            try await campaigns.insert(campaign, step: step)
        }
        return campaign
    }

    /// Supervisors see every campaign; outbound agents see them to dial them.
    public func list(by principal: Principal) async throws -> [Campaign] {
        try requireCampaigns(principal)
        return try await campaigns.list(org: principal.orgID)
    }

    public func find(_ id: CampaignID, by principal: Principal) async throws -> Campaign {
        try requireCampaigns(principal)
        guard let campaign = try await campaigns.find(id, org: principal.orgID) else { throw GuardlineError.notFound("The campaign") }
        return campaign
    }

    public func progress(_ id: CampaignID, by principal: Principal) async throws -> [ListEntryState: Int] {
        let campaign = try await find(id, by: principal)
        return try await campaigns.progress(campaign)
    }

    /// Builds the list and records the build with its counts (no contact is named).
    public func build(_ id: CampaignID, by principal: Principal) async throws -> ListBuild {
        try principal.require(.manageCampaigns, to: "build campaign lists")
        guard let campaign = try await campaigns.find(id, org: principal.orgID) else { throw GuardlineError.notFound("The campaign") }
        try await checkPurpose(of: campaign)
        let now = clock.now
        let builder = principal.auditActor.recordedID
        let record = AuditRecord(
            by: principal.auditActor, org: principal.orgID, at: now, action: "campaign.build",
            context: "campaign \(campaign.id) purpose \(campaign.purpose) channel \(campaign.channel.rawValue)")
        let build = try await builds.run(for: principal.orgID) {
            try await audit.recording(record) { step in
                try await campaigns.build(campaign, at: now, by: builder, step: step)
            }
        }
        // The counts, once known, in an entry of their own: on SQLite the build's entry is written before it runs.
        let counts = build.counts.map { "\($0.reason.rawValue) \($0.count)" }.joined(separator: " ")
        try await audit.append(AuditRecord(
            by: principal.auditActor, org: principal.orgID, at: clock.now, action: "campaign.built",
            context: "campaign \(campaign.id) included \(build.included) excluded \(counts)"))
        return build
    }

    // MARK: Preview dialing

    /// The contact offered to an agent, shown as their profile allows.
    public struct Offer: Sendable {
        public let campaign: Campaign
        public let entry: CampaignStore.Entry
        public let contact: ContactView
    }

    /// The next contact for this agent: one they hold already, else the first due entry
    /// that is still lawful to contact and inside its calling hours in their time zone.
    /// Entries that are excluded now leave the list; those outside hours wait for them.
    public func next(_ id: CampaignID, by principal: Principal) async throws -> Offer? {
        try principal.require(.dialCampaigns, to: "dial campaigns")
        guard principal.authorization.mayReadContacts else { throw GuardlineError.forbidden("This token has no contacts scope.") }
        guard let campaign = try await campaigns.find(id, org: principal.orgID) else { throw GuardlineError.notFound("The campaign") }
        try await checkPurpose(of: campaign)
        guard let agent = principal.auditActor.recordedID else { throw GuardlineError.forbidden("Only staff dial campaigns.") }
        let fallback = TimeZone(identifier: campaign.timeZone) ?? .gmt
        for _ in 0..<Self.scanLimit {
            let now = clock.now
            guard let entry = try await campaigns.offerNext(
                campaign, to: agent, at: now, staleBefore: now.addingTimeInterval(-Self.offerLifetime)) else { return nil }
            switch try await campaigns.standing(of: entry.contactID, in: campaign) {
            case .excluded(let reason):
                try await campaigns.release(entry, to: .excluded, reason: reason)
                continue
            case .untargeted:
                try await campaigns.release(entry, to: .excluded)
                continue
            case .contactable:
                break
            }
            let zone = CallingZone.of(try await directory.phone(of: entry.contactID, org: principal.orgID), fallback: fallback)
            guard campaign.hours.isOpen(at: now, in: zone) else {
                try await campaigns.release(entry, to: .pending, notBefore: campaign.hours.nextOpening(after: now, in: zone))
                continue
            }
            let view: ContactView
            do {
                view = try await directory.read(entry.contactID, by: principal, reason: nil, context: "campaign \(campaign.id) preview", assigned: true)
            } catch let error as GuardlineError where error.code == .notFound {
                // Nothing of it is visible to this profile: set it aside a while for an agent whose profile shows it.
                try await campaigns.release(entry, to: .pending, notBefore: now.addingTimeInterval(Self.offerLifetime))
                continue
            }
            return Offer(campaign: campaign, entry: entry, contact: view)
        }
        return nil
    }

    /// Records what came of the call to the contact this agent was offered. "Do not call
    /// me" puts their number (or address) on the suppression list, by its hash, and objects
    /// to the purpose. A wrong number is suppressed too: whoever holds it never agreed to be
    /// called, and no campaign reaches them again through this contact's record.
    public func recordOutcome(_ outcome: CallOutcome, contact: ContactID, campaign id: CampaignID, by principal: Principal) async throws -> CampaignStore.Entry {
        try principal.require(.dialCampaigns, to: "dial campaigns")
        guard principal.authorization.mayWriteContacts else { throw GuardlineError.forbidden("This token has no contacts.write scope.") }
        guard let campaign = try await campaigns.find(id, org: principal.orgID) else { throw GuardlineError.notFound("The campaign") }
        guard let agent = principal.auditActor.recordedID else { throw GuardlineError.forbidden("Only staff dial campaigns.") }
        // Checked before anything is recorded: no entry names a contact this agent was not offered.
        guard try await campaigns.heldOffer(campaign, contact: contact, agent: agent) != nil else { throw Self.noOffer }
        let now = clock.now
        let kind = campaign.channel == .email ? BlindIndex.Kind.email : .phone
        let record = AuditRecord(
            by: principal.auditActor, org: principal.orgID, at: now, action: "campaign.outcome", contactID: contact,
            context: "campaign \(campaign.id) outcome \(outcome.rawValue)\(Self.effects(of: outcome, purpose: campaign.purpose))")
        return try await audit.recording(record) { step in
            guard let entry = try await campaigns.recordOutcome(outcome, contact: contact, campaign: campaign, by: agent, step: { db in
                if outcome == .doNotCall || outcome == .wrongNumber {
                    // The number leaves every list. The person's own "do not call me" only the DPO takes off again.
                    _ = try await suppressions.addIndexed(
                        kind: kind.rawValue, of: contact, org: principal.orgID, source: outcome == .doNotCall ? .outcome : .wrongNumber, at: now, on: db)
                }
                if outcome == .doNotCall {
                    // And the purpose is objected to on every channel.
                    try await ContactStore.insertObjection(
                        contact, to: campaign.purpose, org: principal.orgID, by: principal.auditActor.recordedID, at: now, on: db)
                }
                try await step?(db)
            }) else { throw Self.noOffer }
            return entry
        }
    }

    /// What an outcome does beyond the list, as its audit entry says it.
    static func effects(of outcome: CallOutcome, purpose: String) -> String {
        switch outcome {
        case .doNotCall: " suppressed, objection to \(purpose)"
        case .wrongNumber: " suppressed"
        default: ""
        }
    }

    static let noOffer = GuardlineError(.conflict, "You hold no offer of this contact in this campaign: ask for the next contact first.")

    // MARK: Suppression list

    /// Adds a number or address to the suppression list, by its hash only. Answers false,
    /// if it was there already. Every try is recorded and counts against the contact rate
    /// limit: adding and removing tell whether a number is on the list.
    public func suppress(_ value: String, channel: ContactChannel, by principal: Principal) async throws -> Bool {
        try principal.require(.manageCampaigns, to: "keep the suppression list")
        try directory.rateLimit.spend(principal)
        let (kind, hash) = try directory.indexHash(value, channel: channel, org: principal.orgID)
        let now = clock.now
        guard try await suppressions.source(kind: kind.rawValue, hash: hash, org: principal.orgID) == nil else {
            try await audit.append(AuditRecord(
                by: principal.auditActor, org: principal.orgID, at: now, action: "suppression.add", context: "kind \(kind.rawValue) already listed"))
            return false
        }
        return try await audit.recording(AuditRecord(
            by: principal.auditActor, org: principal.orgID, at: now, action: "suppression.add", context: "kind \(kind.rawValue) source manual")) { step in
            try await suppressions.add(kind: kind.rawValue, hashes: [hash], org: principal.orgID, source: .manual, at: now, step: step) > 0
        }
    }

    /// Takes a number or address off the list. One the person put there themselves ("do not
    /// call me" on a call) is theirs: only the DPO lifts it, on their word.
    public func unsuppress(_ value: String, channel: ContactChannel, by principal: Principal) async throws {
        guard principal.authorization.has(.manageCampaigns) || principal.authorization.has(.restrictProcessing) else {
            throw GuardlineError.forbidden("Your access profile does not allow you to change the suppression list (needs 'manageCampaigns').")
        }
        try directory.rateLimit.spend(principal)
        let (kind, hash) = try directory.indexHash(value, channel: channel, org: principal.orgID)
        let missing = GuardlineError.notFound("That \(channel == .email ? "address" : "number") on the suppression list")
        guard let source = try await suppressions.source(kind: kind.rawValue, hash: hash, org: principal.orgID) else {
            try await audit.append(AuditRecord(
                by: principal.auditActor, org: principal.orgID, at: clock.now, action: "suppression.remove", context: "kind \(kind.rawValue) not listed"))
            throw missing
        }
        let needed: Capability = source.isPersons ? .restrictProcessing : .manageCampaigns
        if !principal.authorization.has(needed) {
            // The refusal tells the asker why the number is listed: the try is recorded too.
            try await audit.append(AuditRecord(
                by: principal.auditActor, org: principal.orgID, at: clock.now, action: "suppression.remove",
                context: "kind \(kind.rawValue) source \(source.rawValue) refused"))
        }
        try principal.require(needed, to: source.isPersons
            ? "lift a suppression the person asked for themselves (ask the DPO)" : "keep the suppression list")
        try await audit.recording(AuditRecord(
            by: principal.auditActor, org: principal.orgID, at: clock.now, action: "suppression.remove",
            context: "kind \(kind.rawValue) source \(source.rawValue)")) { step in
            guard try await suppressions.remove(kind: kind.rawValue, hash: hash, org: principal.orgID, step: step) else { throw missing }
        }
    }

    public func suppressionCounts(by principal: Principal) async throws -> [String: Int] {
        try principal.require(.manageCampaigns, to: "keep the suppression list")
        return try await suppressions.counts(org: principal.orgID)
    }

    // MARK: -

    private func requireCampaigns(_ principal: Principal) throws {
        guard principal.authorization.has(.manageCampaigns) || principal.authorization.has(.dialCampaigns) else {
            throw GuardlineError.forbidden("Your access profile does not allow you to see campaigns (needs 'manageCampaigns' or 'dialCampaigns').")
        }
    }

    /// The campaign's purpose as the catalog has it now. A purpose made inactive, moved to
    /// another lawful basis or no longer pursued on the campaign's channel stops its campaigns:
    /// who may be listed was decided on what it was when the campaign was created.
    private func checkPurpose(of campaign: Campaign) async throws {
        guard let purpose = try await catalogs.purposes(for: campaign.orgID).first(where: { $0.key == campaign.purpose }), purpose.active else {
            throw GuardlineError(.conflict, "The purpose '\(campaign.purpose)' is no longer active: its campaigns stop.")
        }
        guard purpose.lawfulBasis == campaign.lawfulBasis else {
            throw GuardlineError(.conflict, """
                The purpose '\(campaign.purpose)' now rests on \(purpose.lawfulBasis.rawValue), not \(campaign.lawfulBasis.rawValue) as when this \
                campaign was created: it stops. Create a new campaign if the change is right.
                """)
        }
        guard purpose.channels.contains(campaign.channel) else {
            throw GuardlineError(.conflict, "The purpose '\(campaign.purpose)' no longer reaches people by \(campaign.channel.rawValue): its campaigns on it stop.")
        }
    }
}
