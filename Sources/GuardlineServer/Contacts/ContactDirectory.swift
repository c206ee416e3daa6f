import Crypto
import Foundation
import GuardlineCore
import GuardlineCrypto
import GuardlineStore
import Logging
import Metrics

/// Contacts as people reach them: every read passes the access policy,
/// only permitted fields are decrypted, masking happens here, and every
/// access is in the audit chain before the data leaves.
public struct ContactDirectory: Sendable {
    let contacts: ContactStore
    let vault: SubjectKeyVault
    let ring: KeyRing
    let audit: AuditWriter
    let catalogs: CatalogCache
    let keyCache: SubjectKeyCache
    let notes: AuditNoteStore
    let rateLimit: ContactRateLimit
    let clock: WallClock
    let interactions: InteractionStore
    /// How long a call's agent keeps its contact open after it ends (`NeedToKnow`).
    let wrapUp: TimeInterval
    /// Where recordings are kept: erasure deletes the person's.
    let blobs: any BlobStore
    /// The person's requests: an erasure they asked for goes through its approval.
    let requests: RequestStore
    /// What must outlive an erasure (Art. 17(3)).
    let holds: HoldStore

    /// How a lookup finds contacts: by caller ID, email or exact name tokens.
    public enum Lookup: Sendable {
        case phone(String)
        case email(String)
        case name(String)
        /// The contact's readable reference (`C-004211`).
        case reference(String)

        /// The field searched by; nil for the reference, which is no personal data.
        var field: FieldKey? {
            switch self {
            case .phone: .phone
            case .email: .email
            case .name: .name
            case .reference: nil
            }
        }

        var label: String { field?.rawValue ?? "reference" }
    }

    // MARK: Reading

    /// The screen pop: finds contacts and shows them as the principal may see them.
    /// Searching by a field the profile hides is refused, and a contact the profile
    /// sees nothing of is left out, so a lookup never confirms what it may not show.
    /// Under a profile bound to need-to-know, only the contact of the live `interaction`
    /// named shows in full; any other shows minimal (`NeedToKnow.minimal`).
    public func lookup(_ lookup: Lookup, by principal: Principal, channel: String, interaction: InteractionID? = nil) async throws -> [ContactView] {
        guard principal.authorization.mayReadContacts else { throw GuardlineError.forbidden("This token has no contacts scope.") }
        // A name finds up to a page of people: it costs what it may return. A number or address finds one.
        try rateLimit.spend(principal, cost: lookup.field == .name ? ContactStore.lookupLimit : 1)
        let catalog = try await catalogs.catalog(for: principal.orgID)
        if let field = lookup.field, !AccessPolicy.maySearch(by: field, principal.profile, catalog: catalog) {
            throw GuardlineError.forbidden(field == .name
                ? "Your access profile does not let you search by name (it needs the name shown and the 'searchByName' capability)."
                : "Your access profile does not show the \(lookup.label), so you cannot search by it.")
        }
        let binding = try await binding(principal, interaction: interaction, reason: false)
        let index = ring.blindIndex
        let org = principal.orgID
        let kind: BlindIndex.Kind
        let hashes: [[UInt8]]
        switch lookup {
        case .phone(let raw):
            guard let phone = PhoneNumber(raw) else {
                throw GuardlineError.invalid("The phone number to look up must be international, e.g. +351 912 345 678.")
            }
            kind = .phone
            hashes = [index.hash(.phone, phone.e164, org: org)]
        case .email(let raw):
            guard let email = EmailAddress(raw) else { throw GuardlineError.invalid("The email to look up is not a valid address.") }
            kind = .email
            hashes = [index.hash(.email, email.normalized, org: org)]
        case .name(let raw):
            let tokens = NameTokens.of(raw)
            guard !tokens.isEmpty, tokens.count <= 8 else {
                throw GuardlineError.invalid("A name lookup needs 1 to 8 words.")
            }
            kind = .nameToken
            hashes = tokens.map { index.hash(.nameToken, $0, org: org) }
        case .reference(let raw):
            // References count up, so searching by them walks the directory: that is browsing.
            try principal.require(.listContacts, to: "look contacts up by reference (references are numbered in order, so searching by them is browsing)")
            guard let reference = ContactReference(parsing: raw) else {
                throw GuardlineError.invalid("A contact reference looks like C-004211.")
            }
            // Like any other match, it is shown (and recorded) only if the profile sees something of it.
            let found = try await contacts.find(reference: reference, org: org).map { [$0] } ?? []
            return try await project(found, for: principal, action: "contact.lookup", context: joined("\(channel) lookup by reference", binding.auditContext),
                                     catalog: catalog, profile: { try binding.profile(for: $0, strict: false) })
        }
        let found = try await contacts.lookup(kind: kind.rawValue, hashes: hashes, org: org)
        return try await project(found, for: principal, action: "contact.lookup", context: joined("\(channel) lookup by \(lookup.label)", binding.auditContext),
                                 catalog: catalog, profile: { try binding.profile(for: $0, strict: false) })
    }

    /// One contact by id. A `reason` typed by a person is sealed as a note (`sealNote`);
    /// `context` is Guardline's own wording (where the read came from), never user text.
    /// Under a profile bound to need-to-know the read opens in full within the live
    /// `interaction` the person holds with the contact, for a stated reason where the
    /// profile allows one, or on Guardline's own `assigned` offer; otherwise minimal.
    public func read(
        _ id: ContactID, by principal: Principal, reason: String?, context: String? = nil, interaction: InteractionID? = nil, assigned: Bool = false,
        known: Interaction? = nil
    ) async throws -> ContactView {
        guard principal.authorization.mayReadContacts else { throw GuardlineError.forbidden("This token has no contacts scope.") }
        try rateLimit.spend(principal)
        let reason = reason.flatMap { $0.isEmpty ? nil : $0 }
        let binding = try await binding(principal, interaction: interaction, reason: reason != nil, assigned: assigned, known: known)
        let profile = try binding.profile(for: id, strict: true)
        guard let sealed = try await contacts.find(id, org: principal.orgID) else { throw GuardlineError.notFound("The contact") }
        // Nothing shown, nothing sealed: a contact the profile cannot see leaves no note behind.
        let catalog = try await catalogs.catalog(for: principal.orgID)
        guard ContactProjection(profile: profile, catalog: catalog, storedFields: Array(sealed.fields.keys)).opensAnyField else {
            throw GuardlineError.notFound("The contact")
        }
        var context = joined(context, binding.auditContext)
        if let reason {
            context = joined("reason \(RevealReason.other.rawValue); " + (try await sealNote(reason, contact: id, org: principal.orgID)), context)
        }
        guard let view = try await project([sealed], for: principal, action: "contact.read", context: context, catalog: catalog, profile: { _ in profile }).first else {
            throw GuardlineError.notFound("The contact")
        }
        return view
    }

    /// Browsing is a capability of its own: agents reach contacts by lookup, not by scrolling.
    public func page(after cursor: ContactID?, limit: Int, by principal: Principal) async throws -> (views: [ContactView], next: ContactID?) {
        try principal.require(.listContacts, to: "list contacts")
        try rateLimit.spend(principal, cost: limit)
        let rows = try await contacts.page(org: principal.orgID, after: cursor, limit: limit + 1)
        let shown = Array(rows.prefix(limit))
        // A list is no interaction: under need-to-know every contact on it shows minimal.
        let binding = try await binding(principal, interaction: nil, reason: false)
        let views = try await project(shown, for: principal, action: "contact.list", context: nil, profile: { try binding.profile(for: $0, strict: false) })
        return (views, rows.count > limit ? shown.last?.id : nil)
    }

    /// Shows one masked field in clear, for a stated reason: its code goes into the
    /// audit chain, its words are sealed under the contact's key (`sealNote`).
    /// Under a profile bound to need-to-know, a reveal too needs the live `interaction`
    /// (or, where the profile allows it, the reason it is given with is enough).
    public func reveal(
        _ id: ContactID, field: FieldKey, reasonCode: RevealReason = .other, reason: String, interaction: InteractionID? = nil, by principal: Principal
    ) async throws -> String {
        try principal.require(.reveal, to: "reveal masked fields")
        try rateLimit.spend(principal)
        let reason = try TextRules.reason(reason)
        let binding = try await binding(principal, interaction: interaction, reason: true)
        guard try binding.profile(for: id, strict: true) == principal.profile else {
            throw GuardlineError.forbidden("Your access profile reveals a field only within a live interaction with the contact: give its interactionId.")
        }
        let catalog = try await catalogs.catalog(for: principal.orgID)
        guard case .masked = AccessPolicy.decide(principal.profile, field: field, catalog: catalog) else {
            throw GuardlineError.forbidden("Only fields shown masked to you can be revealed; this one is hidden or already visible.")
        }
        guard let sealed = try await contacts.find(id, org: principal.orgID) else { throw GuardlineError.notFound("The contact") }
        guard let box = sealed.fields[field] else { throw GuardlineError.notFound("That field of the contact") }
        let value = try await cipher(for: sealed.id, org: sealed.orgID).open(box, field: field)
        let note = try await sealNote(reason, contact: id, org: principal.orgID)
        try await record(principal, "contact.reveal", contact: id, fields: [field.rawValue],
                         context: joined("reason \(reasonCode.rawValue); \(note)", binding.auditContext))
        return value
    }

    // MARK: Writing

    /// A new contact at `stage` (the first journey stage if nil); fields its stage does
    /// not yet allow collecting are refused.
    public func create(_ input: [String: String], stage: String? = nil, by principal: Principal) async throws -> ContactView {
        try requireCreate(principal)
        let catalog = try await catalogs.catalog(for: principal.orgID)
        let prepared = try prepare(input, stage: stage, by: principal, catalog: catalog, stages: try await catalogs.stages(for: principal.orgID))
        return try await store(prepared, by: principal, catalog: catalog)
    }

    /// A new contact as checked, not yet stored: its normalized values and its stage.
    public struct Prepared: Sendable {
        public let values: [FieldKey: String]
        public let stage: String
    }

    func requireCreate(_ principal: Principal) throws {
        guard principal.authorization.mayWriteContacts else { throw GuardlineError.forbidden("This token has no contacts.write scope.") }
        try principal.require(.createContacts, to: "create contacts")
    }

    /// Checks a new contact as `create` does, storing nothing (an import checks a whole file first).
    func prepare(_ input: [String: String], stage: String?, by principal: Principal, catalog: FieldCatalog, stages: [JourneyStage]) throws -> Prepared {
        var values: [FieldKey: String] = [:]
        for (key, raw) in input { values[FieldKey(key)] = try ContactFieldRules.normalize(FieldKey(key), raw, catalog: catalog) }
        guard !values.isEmpty else { throw GuardlineError.invalid("A contact needs at least one field.") }
        try requireEditable(values.keys, principal: principal, catalog: catalog)
        let stage = stage ?? stages.first?.key ?? JourneyStage.initial
        try CatalogRules.checkStages([stage], known: stages)
        try ProgressiveProfile.checkStage(values.keys, stage: stage, catalog: catalog)
        return Prepared(values: values, stage: stage)
    }

    /// Seals, indexes and stores a prepared contact under a new subject key, recorded as `contact.create`.
    func store(_ prepared: Prepared, by principal: Principal, catalog: FieldCatalog, context: String? = nil) async throws -> ContactView {
        let (values, stage) = (prepared.values, prepared.stage)
        let now = clock.now
        let id = ContactID.make(at: now)
        let key = SubjectKey.generate()
        let cipher = FieldCipher(key: key, org: principal.orgID, contact: id)
        var sealedFields: [FieldKey: [UInt8]] = [:]
        for (field, value) in values { sealedFields[field] = try cipher.seal(value, field: field) }
        let sealed = SealedContact(id: id, orgID: principal.orgID, fields: sealedFields, createdAt: now, updatedAt: now)
        let wrapped = try key.wrapped(by: ring, org: principal.orgID, contact: id)
        let indexTerms = blindTerms(values, org: principal.orgID)
        let reference = try await recorded(principal, "contact.create", contact: id, fields: values.keys.map(\.rawValue).sorted(), context: context) { step in
            try await vault.put(wrapped, contact: id, org: principal.orgID, at: now)
            do {
                return try await contacts.insert(sealed, terms: indexTerms, stage: stage, step: step)
            } catch {
                // No contact was stored, so its key has nothing to open.
                _ = try? await vault.destroy(contact: id, org: principal.orgID)
                throw error
            }
        }
        keyCache.put(key, for: id)
        var view = ContactProjection(profile: principal.profile, catalog: catalog, storedFields: Array(values.keys))
            .view(id: id, values: values, createdAt: now, updatedAt: now)
        view.reference = reference
        return view
    }

    /// Applies changes (nil clears a field); each changed field must be editable for the principal,
    /// and under need-to-know the change is made within the live `interaction` with the contact.
    public func update(_ id: ContactID, changes: [String: String?], interaction: InteractionID? = nil, by principal: Principal) async throws -> ContactView {
        guard principal.authorization.mayWriteContacts else { throw GuardlineError.forbidden("This token has no contacts.write scope.") }
        let binding = try await binding(principal, interaction: interaction, reason: false)
        guard binding.opensFully(id) else {
            throw GuardlineError.forbidden("Your access profile changes a contact only within a live call or chat with them: give its interactionId.")
        }
        let catalog = try await catalogs.catalog(for: principal.orgID)
        var normalized: [FieldKey: String?] = [:]
        for (key, raw) in changes {
            let field = FieldKey(key)
            if let raw {
                normalized.updateValue(try ContactFieldRules.normalize(field, raw, catalog: catalog), forKey: field)
            } else {
                guard catalog.contains(field) else {
                    throw GuardlineError.invalid("Unknown field '\(field.isWellFormed ? key : "(malformed key)")'.")
                }
                normalized.updateValue(nil, forKey: field)
            }
        }
        guard !normalized.isEmpty else { throw GuardlineError.invalid("Send at least one field to change.") }
        try requireEditable(normalized.keys, principal: principal, catalog: catalog)
        guard var sealed = try await contacts.find(id, org: principal.orgID) else { throw GuardlineError.notFound("The contact") }
        try await requireUnrestricted(id, by: principal, to: "change their data")
        if let stage = try await contacts.stage(of: id, org: principal.orgID) {
            try ProgressiveProfile.checkStage(normalized.compactMap { $0.value == nil ? nil : $0.key }, stage: stage, catalog: catalog)
        }

        let cipher = try await cipher(for: id, org: principal.orgID)
        // The index covers phone, email and name: open those to rebuild it, whoever is editing.
        var values: [FieldKey: String] = [:]
        for field in [FieldKey.phone, .email, .name] {
            if let box = sealed.fields[field] { values[field] = try cipher.open(box, field: field) }
        }
        // An address codes are sent to, really changed (not resent as it was): the portal holds its codes back a while.
        let readdressed = [FieldKey.email, .phone].filter { normalized[$0] != nil && normalized[$0]! != values[$0] }.map(\.rawValue)
        for (field, value) in normalized {
            if let value {
                sealed.fields[field] = try cipher.seal(value, field: field)
                values[field] = value
            } else {
                sealed.fields[field] = nil
                values[field] = nil
            }
        }
        guard !sealed.fields.isEmpty else { throw GuardlineError.invalid("A contact must keep at least one field; erase the contact instead.") }
        sealed.updatedAt = clock.now
        let changed = sealed
        let indexTerms = blindTerms(values, org: principal.orgID)
        let context = readdressed.isEmpty ? nil : "\(Self.addressChanged) \(readdressed.joined(separator: ", "))"
        try await recorded(principal, "contact.update", contact: id, fields: normalized.keys.map(\.rawValue).sorted(), context: context) {
            guard try await contacts.replace(changed, terms: indexTerms, step: $0) else { throw GuardlineError.notFound("The contact") }
        }
        // Clearing the last field one sees leaves nothing to show but the contact one just edited.
        return try await project([sealed], for: principal, action: "contact.read", context: joined("after update", binding.auditContext)).first
            ?? ContactView(id: id, reference: sealed.reference, fields: [:], masked: [], editable: [], createdAt: sealed.createdAt,
                           updatedAt: sealed.updatedAt)
    }

    /// Erasure by crypto-shredding: the person's rows are deleted and the contact tombstoned
    /// (with its entry), then the subject key is destroyed, the recordings' files deleted,
    /// and a signed receipt of what was removed appended to the chain. In that order an entry
    /// never outlives a change that failed: a failed erasure leaves the contact and its key as
    /// they were, and a key that could not be destroyed is destroyed by erasing again (the
    /// contact is already gone from every answer).
    /// `request`: the erasure request this carries out, once approved; without one, a person
    /// with an open erasure request is not erased directly (that would skip its four eyes).
    /// Answers the grounds of the holds that kept some fields (none for a full erasure).
    @discardableResult
    public func erase(_ id: ContactID, by principal: Principal, request: SubjectRequestID? = nil) async throws -> [ErasureHold.Ground] {
        guard principal.authorization.mayWriteContacts else { throw GuardlineError.forbidden("This token has no contacts.write scope.") }
        try principal.require(.deleteContacts, to: "erase contacts")
        let org = principal.orgID
        if request == nil, try await requests.hasOpen(.erasure, contact: id, org: org) {
            throw GuardlineError(.conflict,
                "This person has an open erasure request: carry it out there, approved by someone other than whoever verified them.")
        }
        return try await performErasure(id, org: org, by: principal.auditActor)
    }

    static let logger = Logger(label: "guardline.contacts")
    /// How a `contact.update` entry says an address codes go to changed value.
    static let addressChanged = "address changed:"
    static let keyless = Counter(label: "guardline_contacts_without_key_total")

    // MARK: Policy, crypto and audit in one place

    /// `catalog`: the one the caller already read for this request, if it did.
    /// `profile`: the one each contact is shown with (need-to-know may narrow the principal's).
    private func project(
        _ rows: [SealedContact], for principal: Principal, action: String, context: String?, catalog known: FieldCatalog? = nil,
        profile: ((ContactID) throws -> AccessProfile)? = nil
    ) async throws -> [ContactView] {
        guard !rows.isEmpty else { return [] }
        var catalog = known
        if catalog == nil { catalog = try await catalogs.catalog(for: principal.orgID) }
        guard let catalog else { return [] }
        var views: [ContactView] = []
        views.reserveCapacity(rows.count)
        for row in rows {
            let projection = ContactProjection(profile: try profile?(row.id) ?? principal.profile, catalog: catalog, storedFields: Array(row.fields.keys))
            // Nothing of its values may be shown (hidden or fully redacted): answered as if
            // there were no such contact, so a lookup or an id confirms nothing.
            guard projection.opensAnyField else { continue }
            let cipher: FieldCipher?
            do {
                cipher = projection.opensAnyField ? try await self.cipher(for: row.id, org: row.orgID) : nil
            } catch let gone as GuardlineError where gone.code == .notFound {
                // Its key is gone (a key store restored from a backup older than the data?): nothing of it can be
                // shown. Said in the log (by id, a pseudonym) and counted, for someone to finish the erasure.
                Self.keyless.increment()
                Self.logger.warning("A live contact has no subject key; it is left out of answers", metadata: ["guardline.contact": "\(row.id)"])
                continue
            }
            var view = try projection.view(id: row.id, createdAt: row.createdAt, updatedAt: row.updatedAt) { field in
                guard let cipher, let box = row.fields[field] else { return nil }
                return try cipher.open(box, field: field)
            }
            view.reference = row.reference
            views.append(view)
        }
        guard !views.isEmpty else { return [] }
        let actor = principal.auditActor
        let now = clock.now
        try await audit.append(views.map {
            AuditRecord(by: actor, org: principal.orgID, at: now, action: action, contactID: $0.id, fields: $0.auditedFields, context: context)
        })
        return views
    }

    private func joined(_ first: String?, _ second: String?) -> String? {
        let parts = [first, second].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    private func record(_ principal: Principal, _ action: String, contact: ContactID, fields: [String], context: String?) async throws {
        try await audit.append(AuditRecord(
            by: principal.auditActor, org: principal.orgID, at: clock.now, action: action, contactID: contact, fields: fields, context: context))
    }

    /// Makes a change and records it (`AuditWriter.recording`): with the change in one
    /// transaction on PostgreSQL, else first and followed by a `.failed` entry if it fails.
    func recorded<R: Sendable>(
        _ principal: Principal, _ action: String, contact: ContactID, fields: [String], context: String?,
        _ change: (TransactionStep?) async throws -> R
    ) async throws -> R {
        try await audit.recording(AuditRecord(
            by: principal.auditActor, org: principal.orgID, at: clock.now, action: action, contactID: contact, fields: fields, context: context),
            change)
    }

    // MARK: Sealed notes

    /// Seals free text under the contact's key and returns what the audit entry keeps
    /// of it: `note <id> sha256:<hash of the sealed bytes>`, so the note can be checked
    /// against the chain, while the words themselves go when the contact's key does.
    /// The text passes the redactor first (masked): a card number or a phone typed into
    /// a reason is not what the reason is for, and is never stored.
    func sealNote(_ text: String, contact: ContactID, org: OrganizationID) async throws -> String {
        let id = UUID.version7(at: clock.now)
        let sealed = try await cipher(for: contact, org: org).seal(Redactor().redact(text).text, field: Self.noteField(id))
        try await notes.insert(id: id, org: org, contact: contact, sealed: sealed, at: clock.now)
        let hash = SHA256.hash(data: sealed).hex
        return "note \(id.uuidString.lowercased()) sha256:\(hash)"
    }

    /// The notes named in audit contexts, opened for the DPO; a note whose contact
    /// was erased (its key shredded) or whose bytes differ from the hash is left out.
    public func openNotes(inContexts contexts: [String], by principal: Principal) async throws -> [String: String] {
        try principal.require(.readAudit, to: "read the audit log")
        var hashes: [UUID: String] = [:]
        for context in contexts {
            guard let match = context.firstMatch(of: /note ([0-9a-f-]{36}) sha256:([0-9a-f]{64})/), let id = UUID(uuidString: String(match.1))
            else { continue }
            hashes[id] = String(match.2)
        }
        var opened: [String: String] = [:]
        var readOf: [ContactID: [String]] = [:]
        for note in try await notes.notes(Array(hashes.keys), org: principal.orgID) {
            guard SHA256.hash(data: note.sealed).hex == hashes[note.id],
                  let cipher = try? await cipher(for: note.contactID, org: principal.orgID),
                  let text = try? cipher.open(note.sealed, field: Self.noteField(note.id))
            else { continue }
            opened[note.id.uuidString.lowercased()] = text
            readOf[note.contactID, default: []].append(note.id.uuidString.lowercased())
        }
        // Reading what someone wrote about a person is itself an access to record.
        let now = clock.now
        try await audit.append(readOf.map { contact, ids in
            AuditRecord(by: principal.auditActor, org: principal.orgID, at: now, action: "audit.note_read", contactID: contact,
                        context: "notes \(ids.sorted().joined(separator: " "))")
        })
        return opened
    }

    private static func noteField(_ id: UUID) -> FieldKey { FieldKey("auditNote|" + id.uuidString.lowercased()) }

    func cipher(for id: ContactID, org: OrganizationID) async throws -> FieldCipher {
        FieldCipher(key: try await subjectKey(for: id, org: org), org: org, contact: id)
    }

    /// The contact's data key: its fields, notes, interactions and recordings are sealed under it.
    func subjectKey(for id: ContactID, org: OrganizationID) async throws -> SubjectKey {
        if let key = keyCache.get(id) { return key }
        guard let wrapped = try await vault.wrapped(contact: id, org: org) else {
            throw GuardlineError(.notFound, "The contact's key is gone: the contact was erased.")
        }
        let key = try SubjectKey.unwrap(wrapped, by: ring, org: org, contact: id)
        keyCache.put(key, for: id)
        return key
    }

    func blindTerms(_ values: [FieldKey: String], org: OrganizationID) -> [IndexTerm] {
        ring.blindIndex.terms(for: values, org: org).map { IndexTerm(kind: $0.kind.rawValue, hash: $0.hash) }
    }

    private func requireEditable(_ fields: some Sequence<FieldKey>, principal: Principal, catalog: FieldCatalog) throws {
        let refused = fields.filter { !AccessPolicy.permits(.edit, principal.profile, field: $0, catalog: catalog) }
        guard refused.isEmpty else {
            throw GuardlineError.forbidden("Your access profile does not let you edit: \(refused.map(\.rawValue).sorted().joined(separator: ", ")).")
        }
    }
}
