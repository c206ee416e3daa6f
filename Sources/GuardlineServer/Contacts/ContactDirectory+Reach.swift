import GuardlineCore
import GuardlineStore

extension ContactDirectory {
    /// What work on a contact needs without reading its values: that the principal may
    /// reach it at all (the same answer as a read for one they may not: 404), which
    /// fields it holds and which of them the principal may edit.
    public struct Reach: Sendable {
        public let id: ContactID
        public let stage: String
        public let catalog: FieldCatalog
        public let heldFields: Set<FieldKey>
        public let editable: Set<FieldKey>
    }

    /// Counts against the contact rate limit, like a read.
    public func reach(_ id: ContactID, by principal: Principal) async throws -> Reach {
        guard principal.authorization.mayReadContacts else { throw GuardlineError.forbidden("This token has no contacts scope.") }
        try rateLimit.spend(principal, cost: 1)
        let catalog = try await catalogs.catalog(for: principal.orgID)
        guard let sealed = try await contacts.find(id, org: principal.orgID),
              ContactProjection(profile: principal.profile, catalog: catalog, storedFields: Array(sealed.fields.keys)).opensAnyField,
              let stage = try await contacts.stage(of: id, org: principal.orgID)
        else { throw GuardlineError.notFound("The contact") }
        let editable = Set(catalog.keys.filter { AccessPolicy.permits(.edit, principal.profile, field: $0, catalog: catalog) })
        return Reach(id: id, stage: stage, catalog: catalog, heldFields: Set(sealed.fields.keys), editable: editable)
    }

    /// Processing of a restricted contact (Art. 18) is storage: changes wait for the DPO, who
    /// may still make them (the correction an accuracy restriction waits for). Withdrawals,
    /// refusals and erasure do not come here: they are always taken.
    func requireUnrestricted(_ id: ContactID, by principal: Principal, to action: String) async throws {
        guard !principal.authorization.has(.restrictProcessing), try await contacts.restriction(id, org: principal.orgID) != nil else { return }
        throw GuardlineError(.conflict, "Processing of this contact is restricted (Art. 18): only the data protection officer may \(action) until the restriction is lifted.")
    }

    /// Moves a contact along the journey (`recordConsent`: the agent who asks the questions).
    public func move(_ id: ContactID, to stage: String, by principal: Principal) async throws {
        guard principal.authorization.mayWriteContacts else { throw GuardlineError.forbidden("This token has no contacts.write scope.") }
        try principal.require(.recordConsent, to: "move contacts along the customer journey")
        let reach = try await reach(id, by: principal)
        try await requireUnrestricted(id, by: principal, to: "move them along the journey")
        try CatalogRules.checkStages([stage], known: try await catalogs.stages(for: principal.orgID))
        guard reach.stage != stage else { return }
        try await audit.recording(AuditRecord(
            by: principal.auditActor, org: principal.orgID, at: clock.now, action: "contact.stage", contactID: id,
            context: "stage \(reach.stage) to \(stage)")) { step in
            guard try await contacts.setStage(stage, of: id, org: principal.orgID, step: step) else { throw GuardlineError.notFound("The contact") }
        }
    }
}
