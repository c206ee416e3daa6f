import Foundation
import GuardlineCore
import GuardlineCrypto
import GuardlineStore

/// Data subject requests from receipt to answer (Art. 12, 15–21): filed by an agent on a
/// call, by the portal or by an integration; the person recognised before anything is
/// done; due one calendar month after receipt, extended only by the data protection
/// team and only on the grounds Art. 12(3) allows; every step in the audit chain.
public struct RequestDesk: Sendable {
    let store: RequestStore
    let directory: ContactDirectory
    let suppressions: SuppressionStore
    let exporter: SubjectExporter
    let audit: AuditWriter
    let clock: WallClock
    let notices: RequestNotices
    /// Requests being answered in this process: a cancel or refusal waits for no fulfilment, it is
    /// refused while one runs, so a person is never erased under a request marked cancelled.
    let answering = RequestGate()
    /// Packages built at once: each may hold tens of megabytes of audio while it is zipped.
    let packages = ConcurrencyGate(limit: 2, busy: "Export packages are being built already; try again in a few seconds.")

    /// A request as filed by staff or an integration.
    public struct Filing: Sendable {
        public var kind: RequestKind
        public var contact: ContactID
        public var channel: RequestChannel
        /// Objections: the purpose objected to; none objects to direct marketing (Art. 21(3)).
        public var purpose: String?
        /// Rectifications: each field to correct and its corrected value.
        public var changes: [String: String]?
        /// The live call or chat an agent took the request in (need-to-know).
        public var interaction: InteractionID?
        /// When a letter or email arrived, if it is keyed in later: the month runs from then.
        public var receivedAt: Date?

        public init(
            kind: RequestKind, contact: ContactID, channel: RequestChannel, purpose: String? = nil, changes: [String: String]? = nil,
            interaction: InteractionID? = nil, receivedAt: Date? = nil
        ) {
            self.interaction = interaction
            self.receivedAt = receivedAt
            self.kind = kind
            self.contact = contact
            self.channel = channel
            self.purpose = purpose
            self.changes = changes
        }
    }

    /// A request as shown: where it stands against its deadline, and which fields a
    /// rectification would change (their names; the values stay sealed).
    public struct View: Sendable {
        public let request: SubjectRequest
        public let overdue: Bool
        public let dueSoon: Bool
        public let changedFields: [String]
        /// A correction's proposed values, for those who handle requests (`get` only).
        public var proposedChanges: [String: String]? = nil
    }

    static let maxChanges = 20

    // MARK: Filing

    public func file(_ filing: Filing, by principal: Principal) async throws -> View {
        guard principal.authorization.mayWriteContacts else { throw GuardlineError.forbidden("This token has no contacts.write scope.") }
        guard filing.channel != .portal else {
            throw GuardlineError.invalid("'portal' is for requests the person files on the privacy portal; give the channel the request came by.")
        }
        if filing.kind != .objection, filing.purpose != nil { throw GuardlineError.invalid("'purpose' is only for objections.") }
        if filing.kind != .rectification, filing.changes != nil { throw GuardlineError.invalid("'changes' is only for rectifications.") }
        let reach = try await directory.reach(filing.contact, by: principal)
        if !principal.authorization.has(.handleRequests) { try await requireContext(filing.contact, by: principal, interaction: filing.interaction) }
        let org = principal.orgID
        let now = clock.now
        var received = now
        if let arrived = filing.receivedAt {
            try principal.require(.handleRequests, to: "date a request by when it arrived")
            guard filing.channel == .email || filing.channel == .letter || filing.channel == .api else {
                throw GuardlineError.invalid("'receivedAt' is for letters, emails and API requests keyed in after they arrived; a call is received as it is taken.")
            }
            try RequestDeadline.checkReceived(arrived, now: now)
            received = min(arrived, now)
        }
        let id = SubjectRequestID.make(at: now)
        var sealed: [UInt8]?
        var fields: [String] = []
        if let purpose = filing.purpose {
            guard try await directory.catalogs.purposes(for: org).contains(where: { $0.key == purpose }) else {
                throw GuardlineError.invalid("Unknown purpose '\(CatalogRules.isPurposeKey(purpose) ? purpose : "(malformed)")'.")
            }
        }
        if filing.kind == .rectification {
            let normalized = try Self.normalize(filing.changes, catalog: reach.catalog)
            fields = normalized.keys.sorted()
            sealed = try await seal(normalized, request: id, contact: filing.contact, org: org)
        }
        let request = SubjectRequest(
            id: id, orgID: org, contactID: filing.contact, kind: filing.kind, channel: filing.channel, state: .received, receivedAt: received,
            dueAt: RequestDeadline.due(receivedAt: received), purpose: filing.purpose, updatedAt: now)
        var context = "request \(id); kind \(filing.kind.rawValue); channel \(filing.channel.rawValue)"
        if let purpose = filing.purpose { context += "; purpose \(purpose)" }
        if let interaction = filing.interaction { context += "; interaction \(interaction)" }
        if received < now { context += "; received \(RequestDeadline.day(received))" }
        let record = AuditRecord(by: principal.auditActor, org: org, at: now, action: "request.file", contactID: filing.contact, fields: fields, context: context)
        let filed = try await audit.recording(record) { step in
            try await store.file(.init(request: request, sealedChanges: sealed), step: step)
        }
        return view(filed, changedFields: fields)
    }

    /// A correction's fields and values, as the contact's own rules would store them.
    static func normalize(_ changes: [String: String]?, catalog: FieldCatalog) throws -> [String: String] {
        guard let changes, !changes.isEmpty else {
            throw GuardlineError.invalid("A rectification names each field to correct and its corrected value in 'changes'.")
        }
        guard changes.count <= maxChanges else { throw GuardlineError.invalid("At most \(maxChanges) fields are corrected in one request.") }
        var normalized: [String: String] = [:]
        for (key, raw) in changes {
            normalized[key] = try ContactFieldRules.normalize(FieldKey(key), raw, catalog: catalog)
        }
        return normalized
    }

    // MARK: Moving it along

    /// Records that the person was recognised, and how. The data protection team records any
    /// method; an agent vouches for a caller only during the call they hold with them.
    public func verify(_ id: SubjectRequestID, method: VerificationMethod, interaction: InteractionID?, by principal: Principal) async throws -> View {
        guard principal.authorization.mayWriteContacts else { throw GuardlineError.forbidden("This token has no contacts.write scope.") }
        let request = try await visible(id, by: principal, interaction: interaction)
        var call: Interaction?
        if let interaction {
            guard let row = try await directory.interactions.find(interaction, org: principal.orgID) else { throw GuardlineError.notFound("The interaction") }
            call = row.interaction
        }
        let now = clock.now
        let catalog = try await directory.catalogs.catalog(for: principal.orgID)
        try RequestVerification.check(
            method, request: request, handlesRequests: principal.authorization.has(.handleRequests), call: call, user: principal.user.id, now: now,
            wrapUp: directory.wrapUp, knowsDetails: RequestVerification.knowsDetails(principal.profile, catalog: catalog))
        // The person behind the credential, whether a session or a token they made: four eyes are two people.
        let verifier = principal.user.id.description
        let next = RequestWorkflow.afterVerification(request.kind)
        try RequestWorkflow.check(request, to: next)
        return try await move(request, action: "request.verify", by: principal,
                              context: "method \(method.rawValue)" + (interaction.map { "; interaction \($0)" } ?? "")) { r in
            try RequestWorkflow.check(r, to: next)
            r.state = next
            r.verification = method
            r.verifiedAt = now
            r.verifiedBy = verifier
        }
    }

    /// Takes up to two further months, on a ground Art. 12(3) allows, within the first month.
    public func extend(_ id: SubjectRequestID, months: Int, reason: ExtensionReason, by principal: Principal) async throws -> View {
        try requireHandler(principal)
        let request = try await visible(id, by: principal)
        let now = clock.now
        let due = try RequestDeadline.extended(request, by: months, at: now)
        let moved = try await move(request, action: "request.extend", by: principal,
                                   context: "reason \(reason.rawValue); due \(RequestDeadline.day(due))") { r in
            r.dueAt = try RequestDeadline.extended(r, by: months, at: now)
            r.extended = reason
        }
        notices.tell(moved.request)
        return moved
    }

    /// Refuses a request with a reason the person is told; its open repeats are refused with it.
    public func reject(_ id: SubjectRequestID, reason: RejectionReason, by principal: Principal) async throws -> View {
        try requireHandler(principal)
        return try await answering.run(id) {
            try await rejectNow(id, reason: reason, by: principal)
        }
    }

    private func rejectNow(_ id: SubjectRequestID, reason: RejectionReason, by principal: Principal) async throws -> View {
        let request = try await visible(id, by: principal)
        try RequestWorkflow.check(request, to: .rejected)
        let view = try await close(request, as: .rejected, rejection: reason, by: principal, context: "reason \(reason.rawValue)")
        try await closeRepeats(of: request, as: .rejected, rejection: reason, by: principal)
        notices.tell(view.request)
        return view
    }

    /// Withdraws a request (the person changed their mind, or it was filed in error).
    public func cancel(_ id: SubjectRequestID, by principal: Principal) async throws -> View {
        try requireHandler(principal)
        return try await answering.run(id) {
            let request = try await visible(id, by: principal)
            try RequestWorkflow.check(request, to: .cancelled)
            return try await close(request, as: .cancelled, rejection: nil, by: principal, context: nil)
        }
    }

    // MARK: Reading

    /// One request. That a person asked something is itself about them: every read is recorded.
    /// Those who handle requests also see a correction's proposed values, to approve it knowingly.
    public func get(_ id: SubjectRequestID, interaction: InteractionID? = nil, by principal: Principal) async throws -> View {
        let row = try await visibleRow(id, by: principal, interaction: interaction)
        let request = row.request
        let changes = try await changes(in: row) ?? [:]
        let proposed = principal.authorization.has(.handleRequests) && !changes.isEmpty
        try await audit.append(AuditRecord(
            by: principal.auditActor, org: principal.orgID, at: clock.now, action: "request.read", contactID: request.contactID,
            fields: proposed ? changes.keys.sorted() : [],
            context: "request \(id)" + (interaction.map { "; interaction \($0)" } ?? "") + (proposed ? "; proposed values" : "")))
        var shown = view(request, changedFields: changes.keys.sorted())
        if proposed { shown.proposedChanges = changes }
        return shown
    }

    /// A person's requests, newest first, for anyone who may open the person.
    public func forContact(_ contact: ContactID, interaction: InteractionID? = nil, by principal: Principal) async throws -> [View] {
        guard principal.authorization.mayReadContacts else { throw GuardlineError.forbidden("This token has no contacts scope.") }
        if principal.authorization.has(.handleRequests) {
            _ = try await directory.reach(contact, by: principal)
        } else {
            try await requireContext(contact, by: principal, interaction: interaction)
        }
        try await audit.append(AuditRecord(
            by: principal.auditActor, org: principal.orgID, at: clock.now, action: "request.read", contactID: contact,
            context: "the person's requests" + (interaction.map { "; interaction \($0)" } ?? "")))
        return try await store.forContact(contact, org: principal.orgID).map { view($0, changedFields: []) }
    }

    /// The data protection team's queue: open requests, overdue first, then those due soonest.
    /// A page at a time: `after` is the last request of the previous page.
    public func queue(after: SubjectRequestID?, limit: Int, by principal: Principal) async throws -> (items: [View], open: Int, overdue: Int) {
        try requireHandler(principal)
        var position: (due: Date, id: SubjectRequestID)?
        if let after {
            guard let row = try await store.find(after, org: principal.orgID) else { throw GuardlineError.invalid("'cursor' names no request of your organization.") }
            position = (row.request.dueAt, after)
        }
        let items = try await store.queue(org: principal.orgID, after: position, limit: limit).map { view($0, changedFields: []) }
        let counts = try await store.openCounts(org: principal.orgID, at: clock.now)
        return (items, counts.open, counts.overdue)
    }

    // MARK: Shared steps

    /// The request, for the data protection team, or for someone who may open its person
    /// (within the live interaction they hold with them, under need-to-know); 404 for one
    /// whose person they cannot reach at all.
    func visible(_ id: SubjectRequestID, by principal: Principal, interaction: InteractionID? = nil) async throws -> SubjectRequest {
        try await visibleRow(id, by: principal, interaction: interaction).request
    }

    /// `visible`, with the sealed correction as stored.
    func visibleRow(_ id: SubjectRequestID, by principal: Principal, interaction: InteractionID? = nil) async throws -> RequestStore.Row {
        guard principal.authorization.mayReadContacts else { throw GuardlineError.forbidden("This token has no contacts scope.") }
        guard let row = try await store.find(id, org: principal.orgID) else { throw GuardlineError.notFound("The request") }
        if !principal.authorization.has(.handleRequests) {
            do {
                try await requireContext(row.request.contactID, by: principal, interaction: interaction)
            } catch let error as GuardlineError where error.code == .notFound && error.message.hasPrefix("The contact") {
                throw GuardlineError.notFound("The request")
            }
        }
        return row
    }

    /// Staff who do not handle requests reach a person's requests as they open the person:
    /// a profile bound to need-to-know only within the live call or chat it holds with them.
    /// That a person asked to be erased is itself something about them.
    func requireContext(_ contact: ContactID, by principal: Principal, interaction: InteractionID?) async throws {
        _ = try await directory.reach(contact, by: principal)
        guard try await directory.binding(principal, interaction: interaction, reason: false).opensFully(contact) else {
            throw GuardlineError.forbidden(
                "Your access profile reaches a person's requests only within a live call or chat you hold with them: give its interactionId.")
        }
    }

    func requireHandler(_ principal: Principal) throws {
        guard principal.authorization.mayWriteContacts else { throw GuardlineError.forbidden("This token has no contacts.write scope.") }
        try principal.require(.handleRequests, to: "handle data subject requests")
    }

    /// Changes a request under its row lock, with its audit entry (`request.<step>`).
    func move(
        _ request: SubjectRequest, action: String, by principal: Principal, context: String?,
        _ change: @escaping @Sendable (inout SubjectRequest) throws -> Void
    ) async throws -> View {
        let now = clock.now
        let record = AuditRecord(
            by: principal.auditActor, org: principal.orgID, at: now, action: action, contactID: request.contactID,
            context: "request \(request.id); kind \(request.kind.rawValue)" + (context.map { "; \($0)" } ?? ""))
        let moved = try await audit.recording(record) { step in
            guard let (moved, _) = try await store.modify(request.id, org: principal.orgID, { row in
                var r = row.request
                try change(&r)
                r.updatedAt = now
                return (r, ())
            }, step: step)
            else { throw GuardlineError.notFound("The request") }
            return moved
        }
        return view(moved, changedFields: [])
    }

    func close(
        _ request: SubjectRequest, as state: RequestState, rejection: RejectionReason?, by principal: Principal, context: String?,
        repeatOf primary: SubjectRequestID? = nil
    ) async throws -> View {
        let action = switch state {
        case .completed: "request.fulfil"
        case .rejected: "request.reject"
        default: "request.cancel"
        }
        let now = clock.now
        let context = [context, primary.map { "repeat of \($0)" }].compactMap { $0 }.joined(separator: "; ")
        return try await move(request, action: action, by: principal, context: context.isEmpty ? nil : context) { r in
            if primary != nil {
                guard RequestWorkflow.followsAnswer(r, state: state, rejection: rejection) else {
                    throw GuardlineError(.conflict, "The repeat does not take this answer.")
                }
            } else {
                try RequestWorkflow.check(r, to: state)
            }
            r.state = state
            r.rejection = rejection
            r.closedAt = now
        }
    }

    /// The open repeats of `request` get its answer. One answered meanwhile is left as it is.
    func closeRepeats(of request: SubjectRequest, as state: RequestState, rejection: RejectionReason?, by principal: Principal) async throws {
        for repeated in try await store.openRepeats(of: request.id, org: principal.orgID)
        where RequestWorkflow.followsAnswer(repeated, state: state, rejection: rejection) {
            do {
                _ = try await close(repeated, as: state, rejection: rejection, by: principal, context: nil, repeatOf: request.id)
            } catch let error as GuardlineError where error.code == .conflict {
                continue
            }
        }
    }

    func view(_ request: SubjectRequest, changedFields: [String]) -> View {
        let now = clock.now
        return View(request: request, overdue: request.isOverdue(at: now), dueSoon: RequestDeadline.isDueSoon(request, at: now), changedFields: changedFields)
    }

    // MARK: Sealed corrections

    static func changesField(_ id: SubjectRequestID) -> FieldKey { FieldKey("request|\(id)|changes") }

    func seal(_ changes: [String: String], request: SubjectRequestID, contact: ContactID, org: OrganizationID) async throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(changes), as: UTF8.self)
        return try await directory.cipher(for: contact, org: org).seal(text, field: Self.changesField(request))
    }

    /// A rectification's corrections, opened (nil when the person's key is gone).
    func changes(in row: RequestStore.Row) async throws -> [String: String]? {
        guard let sealed = row.sealedChanges else { return nil }
        let cipher: FieldCipher
        do {
            cipher = try await directory.cipher(for: row.request.contactID, org: row.request.orgID)
        } catch let error as GuardlineError where error.code == .notFound {
            return nil  // the person was erased: their key, and so the correction, is gone
        }
        return try JSONDecoder().decode([String: String].self, from: Data(try cipher.open(sealed, field: Self.changesField(row.request.id)).utf8))
    }

}
