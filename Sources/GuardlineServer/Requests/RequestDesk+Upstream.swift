import Foundation
import GuardlineCore
import GuardlineStore

/// Requests an upstream controller or privacy platform sends by API (OpenDSR): the person
/// named by identities it checked, the request verified by it (recorded as such, with the
/// team member whose token sent it, so an erasure still needs someone else to approve).
extension RequestDesk {
    /// How an upstream controller names the person.
    public enum UpstreamIdentity: Sendable, Equatable {
        case email(String)
        /// Our contact reference (`C-001001`) or contact id, as the controller keeps it.
        case customer(String)
    }

    /// Files (or finds again, for a retried submission) the request `externalID` names.
    public func fileUpstream(
        _ kind: RequestKind, identities: [UpstreamIdentity], externalID: String, submittedAt: Date, by principal: Principal
    ) async throws -> View {
        try requireHandler(principal)
        guard (1...10).contains(identities.count) else { throw GuardlineError.invalid("Give 1 to 10 'subject_identities'.") }
        let org = principal.orgID
        // A retry answers what the first submission filed, however long ago that was.
        if let known = try await store.find(external: externalID, org: org) {
            guard known.request.kind == kind else {
                throw GuardlineError(.conflict, "This subject_request_id was already used for a request of another type.")
            }
            return view(known.request, changedFields: [])
        }
        try RequestDeadline.checkReceived(submittedAt, now: clock.now, name: "submitted_time")
        let contact = try await person(identities, org: org)
        _ = try await directory.reach(contact, by: principal)
        let now = clock.now
        let received = min(submittedAt, now)
        let request = SubjectRequest(
            id: SubjectRequestID.make(at: now), orgID: org, contactID: contact, kind: kind, channel: .api, state: RequestWorkflow.afterVerification(kind), receivedAt: received,
            dueAt: RequestDeadline.due(receivedAt: received), verification: .upstreamController, verifiedAt: now,
            verifiedBy: principal.user.id.description, updatedAt: now, externalID: externalID)
        do {
            return try await fileVerified(request, by: principal.auditActor, context: "opendsr \(externalID)")
        } catch {
            // The same submission sent twice at once: the first one stands.
            if let known = try await store.find(external: externalID, org: org), known.request.kind == kind {
                return view(known.request, changedFields: [])
            }
            throw error
        }
    }

    /// A request by its upstream id, for those who handle requests in its organization. Its
    /// status is a read of the person's requests (audited), unless a step that audits follows.
    public func upstream(_ externalID: String, audited: Bool = true, by principal: Principal) async throws -> View {
        try requireHandler(principal)
        guard let row = try await store.find(external: externalID, org: principal.orgID) else { throw GuardlineError.notFound("The request") }
        guard audited else { return view(row.request, changedFields: []) }
        try await audit.append(AuditRecord(
            by: principal.auditActor, org: principal.orgID, at: clock.now, action: "request.read", contactID: row.request.contactID,
            context: "request \(row.request.id); opendsr status"))
        return view(row.request, changedFields: [])
    }

    /// The one person all identities name; 404 when none or several.
    private func person(_ identities: [UpstreamIdentity], org: OrganizationID) async throws -> ContactID {
        var found: Set<ContactID> = []
        for identity in identities {
            switch identity {
            case .email(let raw):
                guard let email = EmailAddress(raw) else { throw GuardlineError.invalid("An email identity is not a valid email address.") }
                guard let holder = try await directory.soleHolder(.email, email.normalized, org: org) else {
                    throw GuardlineError.notFound("The person these identities name")
                }
                found.insert(holder)
            case .customer(let raw):
                if let id = ContactID(raw), try await directory.contacts.find(id, org: org) != nil {
                    found.insert(id)
                } else if let reference = ContactReference(parsing: raw), let sealed = try await directory.contacts.find(reference: reference, org: org) {
                    found.insert(sealed.id)
                } else {
                    throw GuardlineError.notFound("The person these identities name")
                }
            }
        }
        guard found.count == 1, let contact = found.first else {
            throw GuardlineError.notFound("The person these identities name")
        }
        return contact
    }
}
