import Foundation
import GuardlineCore
import GuardlineStore

/// Erasure holds, placed and lifted by the data protection team (Art. 17(3)): the ground is
/// a code, what it keeps are field names, and each step is audited.
extension ContactDirectory {
    public func holds(of id: ContactID, by principal: Principal) async throws -> [ErasureHold] {
        try principal.require(.handleRequests, to: "see what erasure holds keep")
        _ = try await reach(id, by: principal)
        return try await holds.holds(contact: id, org: principal.orgID)
    }

    public func placeHold(
        on id: ContactID, ground: ErasureHold.Ground, fields: [String], until: Date?, by principal: Principal
    ) async throws -> ErasureHold {
        try requireHoldKeeper(principal, to: "place erasure holds")
        _ = try await reach(id, by: principal)
        let now = clock.now
        let catalog = try await catalogs.catalog(for: principal.orgID)
        try ErasureHold.check(ground: ground, fields: fields, until: until, known: Set(catalog.keys.map(\.rawValue)), now: now)
        let hold = ErasureHold(
            id: UUID.version7(at: now), orgID: principal.orgID, contactID: id, ground: ground, fields: fields.sorted(), until: until,
            placedBy: principal.user.id.description, placedAt: now)
        let context = "hold \(hold.id.uuidString.lowercased()); ground \(ground.rawValue)" + (until.map { "; until \(RequestDeadline.day($0))" } ?? "")
        try await recorded(principal, "hold.place", contact: id, fields: hold.fields, context: context) { step in
            try await holds.place(hold, step: step)
        }
        return hold
    }

    /// Lifts a hold; when it was the last one on a person whose erasure it held back, the
    /// erasure is finished now.
    public func liftHold(_ hold: UUID, on id: ContactID, by principal: Principal) async throws -> ErasureHold {
        try requireHoldKeeper(principal, to: "lift erasure holds")
        _ = try await reach(id, by: principal)
        let now = clock.now
        let lifted = try await recorded(principal, "hold.lift", contact: id, fields: [], context: "hold \(hold.uuidString.lowercased())") { step in
            guard let lifted = try await holds.lift(hold, contact: id, org: principal.orgID, by: principal.user.id.description, at: now, step: step) else {
                throw GuardlineError.notFound("The hold")
            }
            return lifted
        }
        try await finishHeldErasure(id, org: principal.orgID)
        return lifted
    }

    /// The data protection team, signed in: a token made for an integration does not decide what outlives an erasure.
    private func requireHoldKeeper(_ principal: Principal, to action: String) throws {
        guard principal.authorization.mayWriteContacts else { throw GuardlineError.forbidden("This token has no contacts.write scope.") }
        try principal.require(.handleRequests, to: action)
        guard !principal.credential.isIntegration else { throw GuardlineError.forbidden("Holds are placed and lifted by a person signed in, not by an integration token.") }
    }
}
