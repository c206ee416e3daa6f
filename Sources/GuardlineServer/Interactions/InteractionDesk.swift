import Foundation
import GuardlineCore
import GuardlineCrypto
import GuardlineStore

/// Interactions as people log and read them: what was said passes the redactor under
/// its field's policy and is sealed under the contact's key (erasure shreds it with the
/// contact), the facts stay in clear for timelines and reports, and every read of what
/// was said is in the audit chain.
public struct InteractionDesk: Sendable {
    let store: InteractionStore
    let directory: ContactDirectory
    let consents: ConsentStore
    let users: UserStore
    let audit: AuditWriter
    let policies: RedactionPolicies
    let clock: WallClock
    let redactor = Redactor()

    /// What is sent to log an email, chat, SMS or call.
    public struct NewInteraction: Sendable {
        public var channel: InteractionChannel
        public var direction: InteractionDirection
        /// `active`: the agent holds it now (a live chat); `closed` (default): logged after the fact.
        public var live: Bool
        public var content: InteractionContent
        public var disposition: String?
        public var queue: String?
        /// An integration names the agent it hands the interaction to (their sign-in email).
        public var agentEmail: String?

        public init(channel: InteractionChannel, direction: InteractionDirection, live: Bool = false, content: InteractionContent,
                    disposition: String? = nil, queue: String? = nil, agentEmail: String? = nil) {
            self.channel = channel
            self.direction = direction
            self.live = live
            self.content = content
            self.disposition = disposition
            self.queue = queue
            self.agentEmail = agentEmail
        }
    }

    /// An interaction as one person may see it: what was said only if it opens for them.
    public struct View: Sendable {
        public let interaction: Interaction
        /// nil when there is none, or when it does not open for the viewer.
        public let content: InteractionContent?
        /// Whether there is content the viewer may not read.
        public let withheld: Bool
        public let state: InteractionState
    }

    static let maxSubject = 500, maxText = 50_000, maxTurns = 2_000

    // MARK: Logging

    public func log(_ input: NewInteraction, contact: ContactID, by principal: Principal) async throws -> View {
        guard principal.authorization.mayWriteContacts else { throw GuardlineError.forbidden("This token has no contacts.write scope.") }
        try Self.check(input.content)
        let disposition = try input.disposition.map(Self.disposition)
        if let queue = input.queue, !CallEvent.isQueue(queue) {
            throw GuardlineError.invalid("'queue' is a queue name: letters, digits, '_ . - +' and spaces, at most 64.")
        }
        let source: InteractionSource
        let agent: StaffUser
        switch principal.credential {
        case .integrationToken:
            source = .integration
            if let email = input.agentEmail { agent = try await agentNamed(email, org: principal.orgID) } else { agent = principal.user }
        case .session, .loginToken:
            guard input.agentEmail == nil || EmailAddress(input.agentEmail!)?.normalized == principal.user.email else {
                throw GuardlineError.forbidden("Only an integration hands an interaction to another agent; log your own.")
            }
            source = .agent
            agent = principal.user
        }
        _ = try await directory.reach(contact, by: principal)
        let now = clock.now
        let id = InteractionID.make(at: now)
        var interaction = Interaction(
            id: id, orgID: principal.orgID, contactID: contact, channel: input.channel, direction: input.direction,
            state: input.live ? .active : .closed, source: source, agentID: agent.id, teamID: agent.teamID, assignedAt: now,
            queue: input.queue, startedAt: now, answeredAt: now, closedAt: input.live ? nil : now, disposition: disposition, updatedAt: now)
        let redacted = redactor.redact(input.content, policies: policies)
        let sealed = redacted.content.isEmpty ? nil : try await seal(redacted, id: id, contact: contact, org: principal.orgID)
        interaction.hasContent = sealed != nil
        let row = InteractionStore.Row(interaction: interaction, content: sealed?.content, originals: sealed?.originals)
        let record = AuditRecord(
            by: principal.auditActor, org: principal.orgID, at: now, action: "interaction.create", contactID: contact,
            fields: Self.parts(redacted.content), context: "interaction \(id); \(input.channel.rawValue) \(input.direction.rawValue)" + Self.found(redacted))
        try await audit.recording(record) { step in try await store.insert(row, step: step) }
        return View(interaction: interaction, content: redacted.content.isEmpty ? nil : redacted.content, withheld: false, state: interaction.state)
    }

    /// Adds wrap-up notes and a disposition, and closes it if asked: only its agent, and only
    /// until it is closed. Notes pass the redactor like any content.
    public func wrapUp(_ id: InteractionID, notes: String?, disposition: String?, close: Bool, by principal: Principal) async throws -> View {
        guard principal.authorization.mayWriteContacts else { throw GuardlineError.forbidden("This token has no contacts.write scope.") }
        if let notes { try Self.check(InteractionContent(notes: notes)) }
        let disposition = try disposition.map(Self.disposition)
        guard let current = try await store.find(id, org: principal.orgID) else { throw GuardlineError.notFound("The interaction") }
        var interaction = current.interaction
        guard interaction.agentID == principal.user.id else {
            throw GuardlineError.forbidden("Only the agent holding an interaction wraps it up.")
        }
        let now = clock.now
        guard interaction.state(at: now, wrapUp: directory.wrapUp) != .closed else {
            throw GuardlineError(.conflict, "This interaction is closed; its notes can no longer change.")
        }
        var content: (content: [UInt8], originals: [UInt8]?)?
        var found = ""
        var parts: [String] = []
        if let notes, !notes.isEmpty {
            guard let contact = interaction.contactID else {
                throw GuardlineError(.conflict, "Link the caller to a contact first: notes are sealed under the contact's key.")
            }
            var existing = try await open(current, contact: contact)
            let redacted = redactor.redact(InteractionContent(notes: notes), policies: policies)
            existing.content.notes = [existing.content.notes, redacted.content.notes].compactMap { $0 }.joined(separator: "\n")
            existing.found.merge(redacted.found, uniquingKeysWith: +)
            existing.originals[.notes, default: [:]].merge(redacted.originals[.notes] ?? [:]) { first, _ in first }
            content = try await seal(existing, id: id, contact: contact, org: principal.orgID)
            found = Self.found(redacted)
            parts = ["notes"]
        }
        if let disposition { interaction.disposition = disposition }
        if close {
            interaction.state = .closed
            interaction.closedAt = now
        }
        interaction.updatedAt = now
        interaction.hasContent = interaction.hasContent || content != nil
        let changed = interaction
        let sealed = content
        let record = AuditRecord(
            by: principal.auditActor, org: principal.orgID, at: now, action: close ? "interaction.close" : "interaction.update",
            contactID: interaction.contactID, fields: parts, context: "interaction \(id)" + (disposition.map { "; disposition \($0)" } ?? "") + found)
        try await audit.recording(record) { step in
            let written: Bool? = try await store.modify(id, org: principal.orgID, { stored in
                // Someone else closed or took it since it was read: refuse rather than write over them.
                guard stored.interaction.agentID == changed.agentID, stored.interaction.state == current.interaction.state else { return nil }
                return (InteractionStore.Row(interaction: changed, content: sealed?.content ?? stored.content, originals: sealed?.originals ?? stored.originals),
                        sealed != nil, true)
            }, step: step)
            guard written == true else { throw GuardlineError(.conflict, "The interaction changed meanwhile; read it again.") }
        }
        return View(interaction: changed, content: nil, withheld: changed.hasContent, state: changed.state)
    }

    // MARK: Reading

    /// One interaction: its facts for anyone in its scope, what was said only if it opens for them.
    public func get(_ id: InteractionID, by principal: Principal) async throws -> View {
        guard principal.authorization.mayReadContacts else { throw GuardlineError.forbidden("This token has no contacts scope.") }
        guard let row = try await store.find(id, org: principal.orgID), Self.inScope(row.interaction, principal) else {
            throw GuardlineError.notFound("The interaction")
        }
        let views = try await project([row], for: principal, binding: nil)
        return views[0]
    }

    /// A contact's timeline: interactions and consent decisions, newest first. Entries show
    /// to anyone who may see the contact; what was said opens by `InteractionAccess`, and
    /// under need-to-know only within the live interaction (or a stated reason). Audited.
    public func timeline(
        _ contact: ContactID, by principal: Principal, interaction: InteractionID?, reason: Bool, before: InteractionID?, limit: Int
    ) async throws -> (interactions: [View], consents: [ConsentEvent], next: InteractionID?) {
        _ = try await directory.reach(contact, by: principal)
        let binding = try await directory.binding(principal, interaction: interaction, reason: reason)
        _ = try binding.profile(for: contact, strict: true)
        let rows = try await store.forContact(contact, org: principal.orgID, before: before, limit: limit + 1)
        let page = Array(rows.prefix(limit))
        let views = try await project(page, for: principal, binding: binding)
        let consents = before == nil ? try await consents.events(contact: contact, org: principal.orgID).reversed() : []
        let opened = views.filter { $0.content != nil }.map { $0.interaction.id.description }
        try await audit.append(AuditRecord(
            by: principal.auditActor, org: principal.orgID, at: clock.now, action: "contact.timeline", contactID: contact,
            fields: opened.isEmpty ? [] : ["interactionContent"],
            context: (["entries \(views.count)", opened.isEmpty ? nil : "opened \(opened.joined(separator: " "))", binding.auditContext]
                .compactMap { $0 }).joined(separator: "; ")))
        return (views, Array(consents), rows.count > limit ? page.last?.interaction.id : nil)
    }

    /// The interactions a person may list: their own open ones, their team's (supervisors), all (the DPO).
    public func open(by principal: Principal) async throws -> [Interaction] {
        guard principal.authorization.mayReadContacts else { throw GuardlineError.forbidden("This token has no contacts scope.") }
        let now = clock.now
        return try await store.open(agent: principal.user.id, org: principal.orgID)
            .filter { $0.state(at: now, wrapUp: directory.wrapUp) != .closed }
    }

    // MARK: Policy, sealing

    static func viewer(_ principal: Principal) -> InteractionAccess.Viewer {
        .init(user: principal.user.id, role: principal.user.role, team: principal.user.teamID, capabilities: principal.authorization.capabilities)
    }

    static func inScope(_ interaction: Interaction, _ principal: Principal) -> Bool {
        switch InteractionAccess.scope(for: viewer(principal)) {
        case .all: true
        case .team(let team): interaction.teamID == team || interaction.agentID == principal.user.id
        case .own(let user): interaction.agentID == user
        }
    }

    /// Opens what each row's viewer may read, and records the reads of single interactions
    /// (`binding` nil); a timeline records its own entry.
    private func project(_ rows: [InteractionStore.Row], for principal: Principal, binding: NeedToKnowBinding?) async throws -> [View] {
        let viewer = Self.viewer(principal)
        let now = clock.now
        var views: [View] = []
        for row in rows {
            let interaction = row.interaction
            var opens = row.content != nil && InteractionAccess.opensContent(interaction, for: viewer)
            if opens, let binding, let contact = interaction.contactID { opens = binding.opensFully(contact) }
            let content = opens ? try? await open(row, contact: interaction.contactID!).content : nil
            views.append(View(interaction: interaction, content: content, withheld: row.content != nil && content == nil,
                              state: interaction.state(at: now, wrapUp: directory.wrapUp)))
        }
        if binding == nil, let view = views.first, view.content != nil {
            try await audit.append(AuditRecord(
                by: principal.auditActor, org: principal.orgID, at: now, action: "interaction.read", contactID: view.interaction.contactID,
                fields: ["interactionContent"], context: "interaction \(view.interaction.id)"))
        }
        return views
    }

    private func seal(_ redacted: RedactedContent, id: InteractionID, contact: ContactID, org: OrganizationID) async throws -> (content: [UInt8], originals: [UInt8]?) {
        let cipher = try await directory.cipher(for: contact, org: org)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let content = try cipher.seal(String(decoding: try encoder.encode(redacted.content), as: UTF8.self), field: Self.contentField(id))
        guard !redacted.originals.isEmpty else { return (content, nil) }
        let originals = Dictionary(uniqueKeysWithValues: redacted.originals.map { ($0.key.rawValue, $0.value) })
        return (content, try cipher.seal(String(decoding: try encoder.encode(originals), as: UTF8.self), field: Self.originalsField(id)))
    }

    /// The stored content, opened (with its tokenized originals, to carry into a re-seal).
    private func open(_ row: InteractionStore.Row, contact: ContactID) async throws -> RedactedContent {
        guard let sealed = row.content else { return RedactedContent(content: InteractionContent(), originals: [:], found: [:]) }
        let cipher = try await directory.cipher(for: contact, org: row.interaction.orgID)
        let id = row.interaction.id
        let content = try JSONDecoder().decode(InteractionContent.self, from: Data(try cipher.open(sealed, field: Self.contentField(id)).utf8))
        var originals: [ContentField: [String: String]] = [:]
        if let box = row.originals {
            let decoded = try JSONDecoder().decode([String: [String: String]].self, from: Data(try cipher.open(box, field: Self.originalsField(id)).utf8))
            for (key, value) in decoded { if let field = ContentField(rawValue: key) { originals[field] = value } }
        }
        return RedactedContent(content: content, originals: originals, found: [:])
    }

    static func contentField(_ id: InteractionID) -> FieldKey { FieldKey("interaction|\(id)") }
    static func originalsField(_ id: InteractionID) -> FieldKey { FieldKey("interaction|\(id)|originals") }

    // MARK: Input rules

    static func check(_ content: InteractionContent) throws {
        // Lengths in Unicode scalars, as the document's maxLength counts them.
        if let subject = content.subject, subject.unicodeScalars.count > maxSubject {
            throw GuardlineError.invalid("'subject' is longer than \(maxSubject) characters.")
        }
        for (name, text) in [("body", content.body), ("notes", content.notes)] {
            if let text, text.unicodeScalars.count > maxText { throw GuardlineError.invalid("'\(name)' is longer than \(maxText) characters.") }
        }
        if let turns = content.transcript {
            guard turns.count <= maxTurns else { throw GuardlineError.invalid("A transcript holds at most \(maxTurns) turns.") }
            guard turns.reduce(0, { $0 + $1.text.unicodeScalars.count }) <= maxText else {
                throw GuardlineError.invalid("The transcript is longer than \(maxText) characters.")
            }
        }
    }

    /// A disposition is a code (`resolved`, `callback_requested`), never free text: notes are for words.
    static func disposition(_ text: String) throws -> String {
        guard (1...40).contains(text.count), text.first?.isLetter == true,
              text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
        else { throw GuardlineError.invalid("'disposition' is a code of letters, digits, '_' and '-' (at most 40), such as 'resolved'; words go in the notes.") }
        return text
    }

    static func parts(_ content: InteractionContent) -> [String] {
        [content.subject.map { _ in "subject" }, content.body.map { _ in "body" }, content.notes.map { _ in "notes" },
         content.transcript.map { _ in "transcript" }].compactMap { $0 }
    }

    /// The kinds and counts the redactor found, for the audit entry: never the values.
    static func found(_ redacted: RedactedContent) -> String {
        guard !redacted.found.isEmpty else { return "" }
        return "; redacted " + redacted.found.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
    }

    func agentNamed(_ email: String, org: OrganizationID) async throws -> StaffUser {
        guard let address = EmailAddress(email), let user = try await users.find(email: address.normalized, org: org), !user.disabled else {
            throw GuardlineError.invalid("'agent' names no active user of this organization (give their sign-in email).")
        }
        return user
    }
}
