import Foundation
import GuardlineCore
import GuardlineCrypto
import GuardlineStore

/// Erasure itself, for whoever may order it: staff (`erase`), or Guardline finishing an
/// erasure whose last hold ended. Holds are read before and checked again inside the
/// erasing transaction, so one placed meanwhile is never skipped.
extension ContactDirectory {
    /// Erases the person, or all of them but what holds keep; the grounds of those holds.
    /// `why`: said in the erasure's entry beside what was done (a held erasure finished...).
    func performErasure(_ id: ContactID, org: OrganizationID, by actor: AuditActor, why: String? = nil) async throws -> [ErasureHold.Ground] {
        guard try await contacts.find(id, org: org) != nil else {
            // A tombstone whose key survived an earlier erasure: finish shredding.
            guard try await contacts.isErased(id, org: org), try await vault.wrapped(contact: id, org: org) != nil
            else { throw GuardlineError.notFound("The contact") }
            try await audit.append(AuditRecord(by: actor, org: org, at: clock.now, action: "contact.erase.key", contactID: id,
                                               context: "crypto-shredding completed"))
            try await shred(id, org: org)
            try await receipt(ErasureReceipt(org: org, contact: id, at: clock.now, removed: [("resumed", 1)]), by: actor)
            return []
        }
        let now = clock.now
        let active = try await holds.active(contact: id, org: org, at: now)
        let effect = ErasureHold.effect(of: active, at: now)
        if let hold = effect.blockedBy {
            throw GuardlineError(.conflict,
                "\(hold.ground.label) keeps this person's data\(hold.until.map { " until \(RequestDeadline.day($0))" } ?? ""): nothing is erased while the hold stands.")
        }
        let keeping = try await kept(effect.kept, of: id, org: org, at: now)
        let keptNames = keeping.map { $0.contact.fields.keys.map(\.rawValue).sorted() } ?? []
        let grounds = keeping == nil ? [] : effect.grounds
        let done = keeping == nil ? "crypto-shredding" : "partial; kept \(keptNames.joined(separator: ", ")); holds \(grounds.map(\.rawValue).joined(separator: ", "))"
        let context = [done, why].compactMap { $0 }.joined(separator: "; ")
        let record = AuditRecord(by: actor, org: org, at: now, action: "contact.erase", contactID: id, fields: keptNames, context: context)
        let erasure = try await audit.recording(record) { step in
            guard let erasure = try await contacts.erase(
                id, org: org, at: now, keeping: keeping, holdsSeen: Set(active.map(\.id)), step: step)
            else { throw GuardlineError.notFound("The contact") }
            return erasure
        }
        // Kept fields stay sealed under the person's key: it goes when the last hold does (`finishHeldErasure`).
        if keeping == nil { try await shred(id, org: org) }
        var leftFiles = 0
        for recording in erasure.recordings {
            do { try blobs.delete(BlobKey(org: org, id: recording)) } catch { leftFiles += 1 }
        }
        if leftFiles > 0 {
            // Sealed under the destroyed key, so unreadable; named by count only.
            Self.logger.warning("Recording files of an erased contact could not be deleted", metadata: ["guardline.files": "\(leftFiles)"])
        }
        try await receipt(ErasureReceipt(org: org, contact: id, at: now, removed: [
            ("fields", erasure.fields), ("interactions", erasure.interactions),
            ("recordings", erasure.recordings.count), ("consentEvents", erasure.consentEvents), ("objections", erasure.objections),
            ("campaignEntries", erasure.campaignEntries), ("notes", erasure.notes), ("keptSuppressed", erasure.suppressed),
            ("recordingFilesLeft", leftFiles),
        ], kept: keptNames, holds: grounds.map(\.rawValue)), by: actor)
        return grounds
    }

    /// A person whose erasure a hold held back is erased in full once no hold stands: after the
    /// last one is lifted, or when its date passes (`HeldErasureSweep`). Guardline does it, as the
    /// answer already given to their request, whoever lifted the hold. False if there is nothing
    /// to finish (no erasure held back, or a hold still standing).
    @discardableResult
    func finishHeldErasure(_ id: ContactID, org: OrganizationID) async throws -> Bool {
        guard try await contacts.isHeldErasure(id, org: org), try await holds.active(contact: id, org: org, at: clock.now).isEmpty else { return false }
        let answered = try await requests.forContact(id, org: org).first { $0.kind == .erasure && $0.state == .completed }
        _ = try await performErasure(id, org: org, by: .system, why: "held erasure finished, no hold standing" + (answered.map { "; request \($0.id)" } ?? ""))
        return true
    }

    /// The fields holds keep, re-indexed as they stand; nil when nothing held is on record.
    private func kept(_ fields: Set<String>, of id: ContactID, org: OrganizationID, at now: Date) async throws -> (contact: SealedContact, terms: [IndexTerm])? {
        guard !fields.isEmpty, var sealed = try await contacts.find(id, org: org) else { return nil }
        sealed.fields = sealed.fields.filter { fields.contains($0.key.rawValue) }
        guard !sealed.fields.isEmpty else { return nil }
        let cipher = try await cipher(for: id, org: org)
        var values: [FieldKey: String] = [:]
        for (key, box) in sealed.fields { values[key] = try cipher.open(box, field: key) }
        sealed.updatedAt = now
        return (sealed, blindTerms(values, org: org))
    }

    /// The signed receipt, in the chain beside the erasure it proves.
    private func receipt(_ receipt: ErasureReceipt, by actor: AuditActor) async throws {
        let signature = try ring.checkpointSigner.sign(receipt: receipt.text)
        try await audit.append(AuditRecord(by: actor, org: receipt.org, at: clock.now, action: "contact.erase.receipt", contactID: receipt.contact,
                                           context: receipt.context(signature: signature)))
    }

    private func shred(_ id: ContactID, org: OrganizationID) async throws {
        keyCache.evict(id)
        do {
            try await vault.destroy(contact: id, org: org)
        } catch {
            Self.logger.error("An erased contact's key could not be destroyed; erase it again", metadata: ["guardline.contact": "\(id)"])
            throw GuardlineError(.unavailable, "The contact was removed, but its key could not be destroyed yet: erase it again to finish.", cause: error)
        }
    }
}
