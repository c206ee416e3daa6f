import Foundation
import GuardlineCore
import GuardlineCrypto
import GuardlineStore

/// Carrying a request out: each kind through the one place that already does it for
/// staff (restriction, objection, correction, erasure), by the data protection team,
/// once the person is recognised. The request completes after the work is done, so a
/// failure leaves it open to try again.
extension RequestDesk {
    public func fulfil(_ id: RequestID, ground: RestrictionGround?, by principal: Principal) async throws -> View {
        try requireHandler(principal)
        let request = try await visible(id, by: principal)
        try RequestWorkflow.check(request, to: .completed)
        if ground != nil, request.kind != .restriction { throw GuardlineError.invalid("'ground' is only for restrictions.") }
        let contact = request.contactID
        var context: String?
        switch request.kind {
        case .restriction:
            guard let ground else {
                throw GuardlineError.invalid(
                    "A restriction is carried out on a ground of Art. 18(1): 'ground' is one of \(RestrictionGround.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            try await directory.restrict(contact, restricted: true, ground: ground.rawValue, liftReason: nil, subjectInformed: nil, by: principal)
            context = "ground \(ground.rawValue)"
        case .objection:
            if let purpose = request.purpose {
                _ = try await directory.object(contact, to: purpose, by: principal)
            } else {
                try await suppressMarketing(request, by: principal)
                context = "direct marketing"
            }
        case .rectification:
            guard let changes = try await changes(of: id, org: principal.orgID) else {
                throw GuardlineError(.conflict, "The person's data was erased: there is nothing left to correct. Reject or cancel the request.")
            }
            _ = try await directory.update(contact, changes: changes, by: principal)
        case .erasure:
            try await directory.erase(contact, by: principal)
        case .access, .portability:
            throw GuardlineError(.conflict, "Access and portability requests are answered with their export package, which is not available yet in this version.")
        }
        let view = try await close(request, as: .completed, rejection: nil, by: principal, context: context)
        try await closeRepeats(of: request, as: .completed, rejection: nil, by: principal)
        return view
    }

    /// Art. 21(3): after an objection to direct marketing no campaign reaches the person on
    /// any channel. Their number and address go on the suppression list as the person's own
    /// (their blind-index hashes, so the entries outlive an erasure without the values).
    func suppressMarketing(_ request: SubjectRequest, by principal: Principal) async throws {
        let now = clock.now
        let kinds = [BlindIndex.Kind.phone.rawValue, BlindIndex.Kind.email.rawValue]
        _ = try await audit.recording(AuditRecord(
            by: principal.auditActor, org: principal.orgID, at: now, action: "suppression.add", contactID: request.contactID,
            context: "kinds phone, email; source objection; request \(request.id)")) { step in
            try await suppressions.addIndexed(kinds: kinds, of: request.contactID, org: principal.orgID, source: .objection, at: now, step: step)
        }
    }
}
