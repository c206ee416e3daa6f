import Foundation
import GuardlineCore
import GuardlineStore

/// Requests the person makes and follows themselves, on the privacy portal. The code they
/// typed is their verification (recorded as such), so a request goes straight to the
/// team's work; corrections and erasures still wait for a member of the team to approve.
extension RequestDesk {
    public func fileByPerson(
        _ kind: RequestKind, purpose: String?, changes: [String: String]?, session: PortalStore.Session
    ) async throws -> View {
        let org = session.orgID, contact = session.contactID
        guard try await directory.contacts.find(contact, org: org) != nil else { throw GuardlineError.notFound("The contact") }
        if kind != .objection, purpose != nil { throw GuardlineError.invalid("A use to object to goes only with an objection.") }
        if kind != .rectification, changes != nil { throw GuardlineError.invalid("Corrections go only with a rectification.") }
        if let purpose {
            guard let use = try await directory.catalogs.purposes(for: org).first(where: { $0.key == purpose }) else {
                throw GuardlineError.invalid("Unknown purpose '\(CatalogRules.isPurposeKey(purpose) ? purpose : "(malformed)")'.")
            }
            guard RequestWorkflow.mayObjectTo(use) else {
                throw GuardlineError.invalid("An objection is to a use resting on our legitimate interests; a consent you withdraw with its own button.")
            }
        }
        let method = VerificationMethod(rawValue: session.channel) ?? .emailCode
        let now = clock.now
        let id = SubjectRequestID.make(at: now)
        var sealed: [UInt8]?
        var fields: [String] = []
        if kind == .rectification {
            let normalized = try Self.normalize(changes, catalog: try await directory.catalogs.catalog(for: org))
            fields = normalized.keys.sorted()
            sealed = try await seal(normalized, request: id, contact: contact, org: org)
        }
        let request = SubjectRequest(
            id: id, orgID: org, contactID: contact, kind: kind, channel: .portal, state: RequestWorkflow.afterVerification(kind), receivedAt: now,
            dueAt: RequestDeadline.due(receivedAt: now), verification: method, verifiedAt: now, verifiedBy: Self.portalVerifier, purpose: purpose,
            updatedAt: now, language: session.language)
        return try await fileVerified(request, sealed: sealed, fields: fields, by: .subject(contact),
                                      context: purpose.map { "purpose \($0)" })
    }

    /// Files a request whose person was recognised as it came in (the portal's code, an upstream
    /// controller), with its audit entry: the request, its kind, channel and method.
    func fileVerified(_ request: SubjectRequest, sealed: [UInt8]? = nil, fields: [String] = [], by actor: AuditActor, context extra: String?) async throws -> View {
        var context = "request \(request.id); kind \(request.kind.rawValue); channel \(request.channel.rawValue); method \(request.verification?.rawValue ?? "none")"
        if let extra { context += "; \(extra)" }
        if request.receivedAt < request.updatedAt.addingTimeInterval(-1) { context += "; received \(RequestDeadline.day(request.receivedAt))" }
        let record = AuditRecord(by: actor, org: request.orgID, at: request.updatedAt, action: "request.file", contactID: request.contactID,
                                 fields: fields, context: context)
        let filed = try await audit.recording(record) { step in
            try await store.file(.init(request: request, sealedChanges: sealed), step: step)
        }
        return view(filed, changedFields: fields)
    }

    /// Who verified a request the portal took: the code, not a member of staff, so any
    /// member of the team may approve it.
    static let portalVerifier = "portal"

    /// The person's own requests, newest first.
    public func forPerson(_ session: PortalStore.Session) async throws -> [View] {
        try await store.forContact(session.contactID, org: session.orgID).map { view($0, changedFields: []) }
    }

    /// The package answering the person's access or portability request, for them to keep.
    public func exportForPerson(_ id: SubjectRequestID, session: PortalStore.Session) async throws -> (filename: String, bytes: [UInt8]) {
        guard let row = try await store.find(id, org: session.orgID), row.request.contactID == session.contactID else {
            throw GuardlineError.notFound("The request")
        }
        let bytes = try await package(row.request, by: .subject(session.contactID))
        return (Self.packageName(row.request, at: clock.now), bytes)
    }
}
