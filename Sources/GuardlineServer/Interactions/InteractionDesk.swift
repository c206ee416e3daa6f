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
    let recordings: RecordingStore
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
        /// The agent holds it now (a live chat a chat platform hands over); otherwise it is logged
        /// closed, after the fact. Only the phone system's or chat platform's token opens one live.
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
        /// The call's recording, shown to those who may read the interaction's content.
        public var recording: Recording? = nil
    }

    static let maxSubject = 500, maxText = 50_000, maxTurns = 2_000

    // MARK: Logging

    public func log(_ input: NewInteraction, contact: ContactID, by principal: Principal) async throws -> View {
        guard principal.authorization.mayWriteContacts else { throw GuardlineError.forbidden("This token has no contacts.write scope.") }
        try Self.check(input.content)
        let disposition = try input.disposition.map(Self.disposition)
        if let queue = input.queue { try Self.checkQueue(queue) }
        let source: InteractionSource
        let agent: StaffUser
        // Only a platform's token (the phone system's scope, made by someone who manages users) opens a
        // live interaction or hands one to an agent: what a person logs is their own word, and a token a
        // person makes for themselves is that person.
        if principal.authorization.holdsPhoneSystemScope {
            source = .integration
            if let email = input.agentEmail { agent = try await agentNamed(email, org: principal.orgID) } else { agent = principal.user }
        } else {
            guard !input.live else {
                throw GuardlineError.forbidden("Only the phone system or a chat platform opens a live interaction; log yours once it is over.")
            }
            guard input.agentEmail == nil || EmailAddress(input.agentEmail!)?.normalized == principal.user.email else {
                throw GuardlineError.forbidden("Only the phone system or a chat platform hands an interaction to another agent; log your own.")
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
    /// until it is closed. Notes pass the redactor like any content, and are added to what is
    /// stored as it is when written (under the row's lock), so two wrap-ups lose nothing.
    public func wrapUp(_ id: InteractionID, notes: String?, disposition: String?, close: Bool, by principal: Principal) async throws -> View {
        guard principal.authorization.mayWriteContacts else { throw GuardlineError.forbidden("This token has no contacts.write scope.") }
        if let notes { try Self.check(InteractionContent(notes: notes)) }
        let disposition = try disposition.map(Self.disposition)
        guard let current = try await store.find(id, org: principal.orgID) else { throw GuardlineError.notFound("The interaction") }
        guard current.interaction.agentID == principal.user.id else {
            throw GuardlineError.forbidden("Only the agent holding an interaction wraps it up.")
        }
        let notes = notes.flatMap { $0.isEmpty ? nil : $0 }
        var opened: FieldCipher?
        if notes != nil {
            guard let contact = current.interaction.contactID else {
                throw GuardlineError(.conflict, "Link the caller to a contact first: notes are sealed under the contact's key.")
            }
            opened = try await directory.cipher(for: contact, org: principal.orgID)
        }
        let cipher = opened
        let redacted = notes.map { redactor.redact(InteractionContent(notes: $0), policies: policies) }
        let now = clock.now
        let wrapUp = directory.wrapUp
        let user = principal.user.id
        let record = AuditRecord(
            by: principal.auditActor, org: principal.orgID, at: now, action: close ? "interaction.close" : "interaction.update",
            contactID: current.interaction.contactID, fields: notes == nil ? [] : ["notes"],
            context: "interaction \(id)" + (disposition.map { "; disposition \($0)" } ?? "") + (redacted.map(Self.found) ?? ""))
        let changed: Interaction? = try await audit.recording(record) { step in
            try await store.modify(id, org: principal.orgID, { stored in
                var interaction = stored.interaction
                guard interaction.agentID == user else { throw GuardlineError.forbidden("Only the agent holding an interaction wraps it up.") }
                guard interaction.state(at: now, wrapUp: wrapUp) != .closed else {
                    throw GuardlineError(.conflict, "This interaction is closed; its notes can no longer change.")
                }
                var row = stored
                if let redacted, let cipher {
                    var merged = try Self.open(stored, cipher: cipher)
                    merged.content.notes = [merged.content.notes, redacted.content.notes].compactMap { $0 }.joined(separator: "\n")
                    guard (merged.content.notes ?? "").unicodeScalars.count <= Self.maxText else {
                        throw GuardlineError.invalid("An interaction's notes hold at most \(Self.maxText) characters in all.")
                    }
                    merged.originals[.notes, default: [:]].merge(redacted.originals[.notes] ?? [:]) { first, _ in first }
                    let sealed = try Self.seal(merged, id: id, cipher: cipher)
                    row.content = sealed.content
                    row.originals = sealed.originals
                    interaction.hasContent = true
                }
                if let disposition { interaction.disposition = disposition }
                if close {
                    interaction.state = .closed
                    interaction.closedAt = now
                    interaction.callerHash = nil
                }
                interaction.updatedAt = now
                row.interaction = interaction
                return (row, redacted != nil, interaction)
            }, step: step)
        }
        guard let changed else { throw GuardlineError.notFound("The interaction") }
        return View(interaction: changed, content: nil, withheld: changed.hasContent, state: changed.state(at: now, wrapUp: wrapUp))
    }

    /// Links a call from a caller no contact matched (or several did: a shared line) to the
    /// contact they are: only by its agent, while it is live, and only to a contact holding the
    /// number the call came from (a new contact made with it, or one of those sharing it), so a
    /// link never opens someone the call is not from.
    public func link(_ id: InteractionID, to contact: ContactID, by principal: Principal) async throws -> View {
        guard principal.authorization.mayWriteContacts else { throw GuardlineError.forbidden("This token has no contacts.write scope.") }
        guard let current = try await store.find(id, org: principal.orgID) else { throw GuardlineError.notFound("The interaction") }
        let now = clock.now
        let wrapUp = directory.wrapUp
        let user = principal.user.id
        guard current.interaction.agentID == user else { throw GuardlineError.forbidden("Only the agent holding a call links it to its caller.") }
        guard current.interaction.contactID == nil else { throw GuardlineError(.conflict, "This interaction is linked to a contact already.") }
        switch current.interaction.state(at: now, wrapUp: wrapUp) {
        case .closed: throw GuardlineError(.conflict, "This interaction is closed; it can no longer be linked.")
        case .ringing: throw GuardlineError(.conflict, "Answer the call first: a ring is not yet a conversation with the caller.")
        case .active, .wrapUp: break
        }
        guard let hash = current.interaction.callerHash, try await directory.holds(contact, phoneHash: hash, org: principal.orgID) else {
            throw GuardlineError(.conflict, "That contact does not hold the number the call came from: a call is linked only to its caller (add the number to the contact first, or create the contact with it).")
        }
        let record = AuditRecord(by: principal.auditActor, org: principal.orgID, at: now, action: "interaction.link", contactID: contact,
                                 context: "interaction \(id)")
        let linked: Interaction? = try await audit.recording(record) { step in
            try await store.modify(id, org: principal.orgID, { stored in
                guard stored.interaction.contactID == nil, stored.interaction.agentID == user else {
                    throw GuardlineError(.conflict, "The interaction changed meanwhile; read it again.")
                }
                var row = stored
                row.interaction.contactID = contact
                // Linked, the number's hash has done its work: it is not kept beside the contact.
                row.interaction.callerHash = nil
                row.interaction.updatedAt = now
                return (row, false, row.interaction)
            }, step: step)
        }
        guard let linked else { throw GuardlineError.notFound("The interaction") }
        return View(interaction: linked, content: nil, withheld: linked.hasContent, state: linked.state(at: now, wrapUp: wrapUp))
    }

    // MARK: Reading

    /// One interaction: its facts for anyone in its scope, what was said only if it opens for them.
    public func get(_ id: InteractionID, by principal: Principal) async throws -> View {
        guard principal.authorization.mayReadContacts else { throw GuardlineError.forbidden("This token has no contacts scope.") }
        guard let row = try await store.find(id, org: principal.orgID), Self.inScope(row.interaction, principal) else {
            throw GuardlineError.notFound("The interaction")
        }
        // Need-to-know holds here too: one's own interaction reads in full while it is live.
        var binding = try await directory.binding(principal, interaction: nil, reason: false)
        if let contact = row.interaction.contactID, let live = try? await directory.binding(principal, interaction: id, reason: false),
           (try? live.profile(for: contact, strict: true)) != nil {
            binding = live
        }
        let views = try await project([row], for: principal, binding: binding, recordReads: true)
        return views[0]
    }

    /// A contact's timeline: interactions and consent decisions, newest first. Entries show
    /// to anyone who may see the contact; what was said opens by `InteractionAccess`, and
    /// under need-to-know only within the live interaction (or a stated reason). Audited.
    public func timeline(
        _ contact: ContactID, by principal: Principal, interaction: InteractionID?, reason: String?, before: InteractionID?, limit: Int
    ) async throws -> (interactions: [View], consents: [ConsentEvent], next: InteractionID?) {
        _ = try await directory.reach(contact, by: principal)
        let reason = try reason.flatMap { $0.isEmpty ? nil : try TextRules.reason($0) }
        let binding = try await directory.binding(principal, interaction: interaction, reason: reason != nil)
        _ = try binding.profile(for: contact, strict: true)
        // A reason that opens what was said is sealed under the contact's key, its note named in the entry.
        var note: String?
        if let reason { note = try await directory.sealNote(reason, contact: contact, org: principal.orgID) }
        let rows = try await store.forContact(contact, org: principal.orgID, before: before, limit: limit + 1)
        let page = Array(rows.prefix(limit))
        let views = try await project(page, for: principal, binding: binding, recordReads: false)
        let consents = before == nil ? try await consents.events(contact: contact, org: principal.orgID).reversed() : []
        let opened = views.filter { $0.content != nil }.map { $0.interaction.id.description }
        try await audit.append(AuditRecord(
            by: principal.auditActor, org: principal.orgID, at: clock.now, action: "contact.timeline", contactID: contact,
            fields: opened.isEmpty ? [] : ["interactionContent"],
            context: (["entries \(views.count)", opened.isEmpty ? nil : "opened \(opened.joined(separator: " "))", binding.auditContext,
                       note.map { "reason \(RevealReason.other.rawValue); \($0)" }]
                .compactMap { $0 }).joined(separator: "; ")))
        return (views, Array(consents), rows.count > limit ? page.last?.interaction.id : nil)
    }

    /// The open interactions a person may list: their own, their team's (supervisors, who watch
    /// the queues), every one (the DPO). Facts only: what was said opens on the timeline.
    public func open(by principal: Principal) async throws -> [Interaction] {
        guard principal.authorization.mayReadContacts else { throw GuardlineError.forbidden("This token has no contacts scope.") }
        let now = clock.now
        let rows: [Interaction]
        switch InteractionAccess.scope(for: Self.viewer(principal)) {
        case .all: rows = try await store.open(org: principal.orgID)
        case .team(let team): rows = try await store.open(org: principal.orgID, team: team)
        case .own(let user): rows = try await store.open(org: principal.orgID, agent: user)
        }
        return rows.filter { $0.state(at: now, wrapUp: directory.wrapUp) != .closed }
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

    /// Opens what each row's viewer may read (under need-to-know, `binding`, when given), and
    /// records the read of what was said when `recordReads`; a timeline records its own entry.
    private func project(
        _ rows: [InteractionStore.Row], for principal: Principal, binding: NeedToKnowBinding?, recordReads: Bool
    ) async throws -> [View] {
        let viewer = Self.viewer(principal)
        let now = clock.now
        let recorded = try await recordings.forInteractions(rows.filter { $0.interaction.channel == .voice }.map(\.interaction.id), org: principal.orgID)
        var views: [View] = []
        for row in rows {
            let interaction = row.interaction
            var opens = InteractionAccess.opensContent(interaction, for: viewer)
            if opens, let binding, let contact = interaction.contactID { opens = binding.opensFully(contact) }
            var content: InteractionContent?
            if opens, row.content != nil, let contact = interaction.contactID {
                content = try Self.open(row, cipher: try await directory.cipher(for: contact, org: principal.orgID)).content
            }
            views.append(View(interaction: interaction, content: content, withheld: row.content != nil && content == nil,
                              state: interaction.state(at: now, wrapUp: directory.wrapUp), recording: opens ? recorded[interaction.id] : nil))
        }
        if recordReads, let view = views.first, view.content != nil {
            try await audit.append(AuditRecord(
                by: principal.auditActor, org: principal.orgID, at: now, action: "interaction.read", contactID: view.interaction.contactID,
                fields: ["interactionContent"], context: "interaction \(view.interaction.id)"))
        }
        return views
    }

    private func seal(_ redacted: RedactedContent, id: InteractionID, contact: ContactID, org: OrganizationID) async throws -> (content: [UInt8], originals: [UInt8]?) {
        try Self.seal(redacted, id: id, cipher: try await directory.cipher(for: contact, org: org))
    }

    static func seal(_ redacted: RedactedContent, id: InteractionID, cipher: FieldCipher) throws -> (content: [UInt8], originals: [UInt8]?) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let content = try cipher.seal(String(decoding: try encoder.encode(redacted.content), as: UTF8.self), field: contentField(id))
        guard !redacted.originals.isEmpty else { return (content, nil) }
        let originals = Dictionary(uniqueKeysWithValues: redacted.originals.map { ($0.key.rawValue, $0.value) })
        return (content, try cipher.seal(String(decoding: try encoder.encode(originals), as: UTF8.self), field: originalsField(id)))
    }

    /// The stored content, opened (with its tokenized originals, to carry into a re-seal).
    static func open(_ row: InteractionStore.Row, cipher: FieldCipher) throws -> RedactedContent {
        guard let sealed = row.content else { return RedactedContent(content: InteractionContent(), originals: [:], found: [:]) }
        let id = row.interaction.id
        let content = try JSONDecoder().decode(InteractionContent.self, from: Data(try cipher.open(sealed, field: contentField(id)).utf8))
        var originals: [ContentField: [String: String]] = [:]
        if let box = row.originals {
            let decoded = try JSONDecoder().decode([String: [String: String]].self, from: Data(try cipher.open(box, field: originalsField(id)).utf8))
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

    /// A disposition is a code (`resolved`, `callback_requested`), never free text and never a
    /// number: it is kept in clear and named in the audit chain. Words go in the notes.
    static func disposition(_ text: String) throws -> String {
        guard (1...40).contains(text.count), text.first?.isLetter == true,
              text.allSatisfy({ $0.isASCII && ($0.isLetter || $0 == "_" || $0 == "-") })
        else { throw GuardlineError.invalid("'disposition' is a code of letters, '_' and '-' (at most 40), such as 'resolved'; words go in the notes.") }
        return text
    }

    /// A queue is a label the PBX is configured with; it is kept in clear, so nothing the
    /// redactor would take for personal data (a number, an address) is one.
    static func checkQueue(_ queue: String) throws {
        guard CallEvent.isQueue(queue), Redactor().findings(in: queue).isEmpty else {
            throw GuardlineError.invalid("'queue' is a queue name: letters, digits, '_ . - +' and spaces, at most 64, and no number or address.")
        }
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
