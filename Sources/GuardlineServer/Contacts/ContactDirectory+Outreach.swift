import Foundation
import GuardlineCore
import GuardlineCrypto
import GuardlineStore

/// What outbound work needs of the directory: a contact's calling zone, the hash a
/// number or address is indexed by, and the limits a DPO puts on processing.
extension ContactDirectory {
    /// The contact's phone number, opened only to tell their time zone for calling
    /// hours; it is not shown to anyone (the offer that follows is a read, recorded).
    func phone(of id: ContactID, org: OrganizationID) async throws -> PhoneNumber? {
        guard let sealed = try await contacts.find(id, org: org), let box = sealed.fields[.phone] else { return nil }
        return PhoneNumber(try await cipher(for: id, org: org).open(box, field: .phone))
    }

    /// The blind-index hash of a number (phone, SMS) or address (email), validated first.
    func indexHash(_ value: String, channel: ContactChannel, org: OrganizationID) throws -> (BlindIndex.Kind, [UInt8]) {
        if channel == .email {
            guard let email = EmailAddress(value) else { throw GuardlineError.invalid("'value' is not a valid email address.") }
            return (.email, ring.blindIndex.hash(.email, email.normalized, org: org))
        }
        guard let phone = PhoneNumber(value) else {
            throw GuardlineError.invalid("'value' must be an international phone number, e.g. +351 912 345 678.")
        }
        return (.phone, ring.blindIndex.hash(.phone, phone.e164, org: org))
    }

    /// The one person on record with this normalized number or address; nil for nobody, and
    /// for several (a code or a request sent to a shared address cannot tell them apart).
    func soleHolder(_ kind: BlindIndex.Kind, _ normalized: String, org: OrganizationID) async throws -> ContactID? {
        let hash = ring.blindIndex.hash(kind, normalized, org: org)
        let holders = try await contacts.lookup(kind: kind.rawValue, hashes: [hash], org: org, limit: 2)
        return holders.count == 1 ? holders[0].id : nil
    }

    // MARK: Restriction and objection

    /// Restricts (Art. 18) a contact's processing on a ground, or lifts the restriction for a
    /// reason once the person was told: kept, not used (campaigns leave them off). The DPO's
    /// decision, recorded with its codes. Restricting again on another ground keeps the date.
    /// The request is read (`RestrictionChange.requested`) only once the caller may make it.
    public func restrict(
        _ id: ContactID, restricted: Bool, ground: String?, liftReason: String?, subjectInformed: Bool?, by principal: Principal
    ) async throws {
        guard principal.authorization.mayWriteContacts else { throw GuardlineError.forbidden("This token has no contacts.write scope.") }
        try principal.require(.restrictProcessing, to: "restrict processing")
        _ = try await reach(id, by: principal)
        let change = try RestrictionChange.requested(restricted: restricted, ground: ground, liftReason: liftReason, subjectInformed: subjectInformed)
        let now = clock.now
        let current = try await contacts.restriction(id, org: principal.orgID)
        let restriction: Restriction?, record: AuditRecord
        switch change {
        case .restrict(let ground):
            guard current?.ground != ground || current == nil else { return }
            restriction = Restriction(since: current?.since ?? now, ground: ground)
            record = AuditRecord(
                by: principal.auditActor, org: principal.orgID, at: now, action: "contact.restrict", contactID: id, context: "ground \(ground.rawValue)")
        case .lift(let reason):
            guard current != nil else { return }
            // What an erasure kept under a hold is kept, not used: it goes when the hold does.
            guard try await !contacts.isHeldErasure(id, org: principal.orgID) else {
                throw GuardlineError(.conflict, "This person asked to be erased; what a hold keeps of them stays restricted until it is erased in full.")
            }
            restriction = nil
            record = AuditRecord(
                by: principal.auditActor, org: principal.orgID, at: now, action: "contact.unrestrict", contactID: id,
                context: "reason \(reason.rawValue); person informed")
        }
        try await audit.recording(record) { step in
            guard try await contacts.setRestriction(restriction, of: id, org: principal.orgID, step: step) else {
                throw GuardlineError.notFound("The contact")
            }
        }
    }

    /// Records an objection (Art. 21) to a purpose: no campaign for it reaches the contact again.
    /// Answers false if it was already recorded.
    public func object(_ id: ContactID, to purposeKey: String, by principal: Principal) async throws -> Bool {
        guard principal.authorization.mayWriteContacts else { throw GuardlineError.forbidden("This token has no contacts.write scope.") }
        try principal.require(.restrictProcessing, to: "record objections")
        _ = try await reach(id, by: principal)
        guard try await catalogs.purposes(for: principal.orgID).contains(where: { $0.key == purposeKey }) else {
            throw GuardlineError.invalid("Unknown purpose '\(CatalogRules.isPurposeKey(purposeKey) ? purposeKey : "(malformed)")'.")
        }
        guard try await !contacts.objections(id, org: principal.orgID).contains(where: { $0.purpose == purposeKey }) else { return false }
        let now = clock.now
        return try await audit.recording(AuditRecord(
            by: principal.auditActor, org: principal.orgID, at: now, action: "contact.object", contactID: id, context: "purpose \(purposeKey)")) { step in
            try await contacts.object(id, to: purposeKey, org: principal.orgID, by: principal.auditActor.recordedID, at: now, step: step)
        }
    }

    /// What limits a contact's processing: its restriction, and the purposes objected to.
    public func limits(_ id: ContactID, org: OrganizationID) async throws -> (restriction: Restriction?, objections: [(purpose: String, at: Date)]) {
        (try await contacts.restriction(id, org: org), try await contacts.objections(id, org: org))
    }

    /// A live contact's restriction, for the banner every viewer of the contact sees.
    public func restriction(of id: ContactID, org: OrganizationID) async throws -> Restriction? {
        try await contacts.restriction(id, org: org)
    }
}

extension ContactDirectory {
    /// A live contact already holding this phone number or email address, if any
    /// (by the blind index: nothing is decrypted).
    func holder(of values: [FieldKey: String], org: OrganizationID) async throws -> ContactID? {
        for (field, kind) in [(FieldKey.phone, BlindIndex.Kind.phone), (.email, .email)] {
            guard let value = values[field] else { continue }
            if let found = try await contacts.lookup(kind: kind.rawValue, hashes: [ring.blindIndex.hash(kind, value, org: org)], org: org, limit: 1).first {
                return found.id
            }
        }
        return nil
    }
}
