import Foundation
import GuardlineCore
import GuardlineCrypto
import GuardlineStore

/// Carrying a request out: each kind through the one place that already does it for
/// staff (restriction, objection, correction, erasure), by the data protection team,
/// once the person is recognised. The request completes after the work is done, so a
/// failure leaves it open to try again.
extension RequestDesk {
    public func fulfil(_ id: SubjectRequestID, ground: RestrictionGround?, by principal: Principal) async throws -> View {
        try requireHandler(principal)
        return try await answering.run(id) { try await fulfilNow(id, ground: ground, by: principal) }
    }

    private func fulfilNow(_ id: SubjectRequestID, ground: RestrictionGround?, by principal: Principal) async throws -> View {
        let row = try await visibleRow(id, by: principal)
        let request = row.request
        try RequestWorkflow.check(request, to: .completed)
        if ground != nil, request.kind != .restriction { throw GuardlineError.invalid("'ground' is only for restrictions.") }
        // Four eyes on what cannot be undone: whoever recognised the person does not also approve.
        if request.kind.needsApproval, request.verifiedBy == nil || request.verifiedBy == principal.user.id.description {
            throw GuardlineError.forbidden("You verified this request: approving a correction or an erasure takes someone else.")
        }
        let contact = request.contactID
        var context: String?
        var farewell: OutboundMessage.Recipient?
        var kept: [ErasureHold.Ground] = []
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
            guard let changes = try await changes(in: row) else {
                throw GuardlineError(.conflict, "The person's data was erased: there is nothing left to correct. Reject or cancel the request.")
            }
            _ = try await directory.update(contact, changes: changes, by: principal)
        case .erasure:
            // A retry after the work was done but the request not closed: the erasure stands.
            let live = try await directory.contacts.find(contact, org: principal.orgID) != nil
            let keyLeft = try await directory.vault.wrapped(contact: contact, org: principal.orgID) != nil
            if live || keyLeft {
                farewell = try? await notices.address(of: contact, org: principal.orgID)
                kept = try await directory.erase(contact, by: principal, request: request.id)
                if !kept.isEmpty { context = "partial; holds \(kept.map(\.rawValue).joined(separator: ", "))" }
            } else {
                context = "already erased"
            }
        case .access, .portability:
            // Answered with the export package, built when it is downloaded (`export`) within the download window.
            guard try await directory.contacts.find(contact, org: principal.orgID) != nil else {
                throw GuardlineError(.conflict, "The person's data was erased: there is nothing left to export. Reject or cancel the request.")
            }
            context = "export ready"
        }
        let view = try await close(request, as: .completed, rejection: nil, by: principal, context: context)
        try await closeRepeats(of: request, as: .completed, rejection: nil, by: principal)
        notices.tell(view.request, at: farewell, kept: kept)
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

// MARK: The export package

extension RequestDesk {
    /// How long after an access or portability request is answered its package may be downloaded.
    public static let downloadWindow: TimeInterval = 7 * 86_400

    /// Until when an answered access or portability request's package may be downloaded; nil
    /// for any other request.
    public static func downloadable(_ request: SubjectRequest) -> Date? {
        guard request.kind == .access || request.kind == .portability, request.state == .completed, let answered = request.closedAt else { return nil }
        return answered.addingTimeInterval(downloadWindow)
    }

    /// The package answering an access or portability request: `data.json` and `index.html` in
    /// a ZIP, built from the data as held when it is downloaded, each download audited with the
    /// fields it holds. Only within `downloadWindow` of the answer; afterwards the person asks again.
    public func export(_ id: SubjectRequestID, by principal: Principal) async throws -> (filename: String, bytes: [UInt8]) {
        try requireHandler(principal)
        try principal.require(.export, to: "download a person's export package")
        // A whole record leaves in one file: a person signed in downloads it, never an integration's token.
        guard !principal.credential.isIntegration else {
            throw GuardlineError.forbidden("Export packages are downloaded by a person signed in, not by an integration token.")
        }
        let request = try await visible(id, by: principal)
        let bytes = try await package(request, by: principal.auditActor) { export in
            let special = export.fields.filter(\.specialCategory)
            guard special.isEmpty || principal.authorization.has(.specialCategories) else {
                throw GuardlineError.forbidden(
                    "This person's package holds special categories of data (Art. 9), which your access profile does not open: a profile with 'specialCategories' downloads it.")
            }
            guard !export.interactions.contains(where: { $0.recording?.file != nil }) || principal.authorization.has(.playRecordings) else {
                throw GuardlineError.forbidden(
                    "This person's package holds call recordings, which your access profile does not play: a profile with 'playRecordings' downloads it.")
            }
        }
        return (Self.packageName(request, at: clock.now), bytes)
    }

    /// The package of an answered access or portability request, within the download window,
    /// built from the data as held now and audited with the fields it holds. `allow` may refuse
    /// it once the content is known.
    func package(
        _ request: SubjectRequest, by actor: AuditActor, allow: (SubjectExport) throws -> Void = { _ in }
    ) async throws -> [UInt8] {
        guard request.kind == .access || request.kind == .portability else {
            throw GuardlineError.invalid("Only access and portability requests are answered with an export package.")
        }
        guard let until = Self.downloadable(request) else {
            throw GuardlineError(.conflict, "The package is ready once the request is fulfilled (the person recognised first).")
        }
        let now = clock.now
        guard now <= until else {
            throw GuardlineError(.gone, "The download expired \(Int(Self.downloadWindow / 86_400)) days after the request was answered; file a new request.")
        }
        guard let export = try await exporter.export(request.contactID, org: request.orgID, at: now) else {
            throw GuardlineError(.gone, "The person's data was erased since: there is nothing left to export.")
        }
        try allow(export)
        let bytes = try await packages.run { try await exporter.package(export, contact: request.contactID, org: request.orgID) }
        let recorded = export.interactions.contains { $0.recording?.file != nil }
        try await audit.append(AuditRecord(
            by: actor, org: request.orgID, at: now, action: "request.export", contactID: request.contactID,
            fields: export.fields.map(\.key) + (export.interactions.contains { $0.content != nil } ? ["interactionContent"] : [])
                + (recorded ? ["recording"] : []),
            context: "request \(request.id); kind \(request.kind.rawValue); interactions \(export.interactions.count)"))
        return bytes
    }

    static func packageName(_ request: SubjectRequest, at now: Date) -> String {
        "guardline-\(request.kind.rawValue)-\(RequestDeadline.day(now)).zip"
    }
}
