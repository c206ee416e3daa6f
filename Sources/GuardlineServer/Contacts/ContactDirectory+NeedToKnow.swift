import Foundation
import GuardlineCore
import GuardlineStore

/// Need-to-know bound to the live interaction: what a read says about why it happens,
/// resolved once per request into the profile each contact is shown with.
struct NeedToKnowBinding: Sendable {
    let base: AccessProfile
    let user: UserID
    let context: AccessContext
    let now: Date
    let wrapUp: TimeInterval

    /// The profile `contact` is shown with. Strict (a read by id): a context that does not
    /// open this contact is refused with its reason. Lenient (a lookup): a contact other
    /// than the interaction's is shown minimal, as it would be without one.
    func profile(for contact: ContactID, strict: Bool) throws -> AccessProfile {
        if !strict, case .interaction(let interaction) = context, interaction.contactID != contact {
            return NeedToKnow.minimal(base)
        }
        return try NeedToKnow.profile(base, context: context, user: user, contact: contact, now: now, wrapUp: wrapUp)
    }

    /// Whether a contact read under this binding opens beyond the minimal view.
    func opensFully(_ contact: ContactID) -> Bool {
        guard NeedToKnow.isBound(base) else { return true }
        return (try? profile(for: contact, strict: true)) == base
    }

    /// What the audit entry adds: the interaction the read was bound to.
    var auditContext: String? {
        if case .interaction(let interaction) = context { return "interaction \(interaction.id)" }
        return nil
    }
}

extension ContactDirectory {
    /// Resolves what a read is bound to: the interaction named (of this organization, or 404),
    /// a stated reason, Guardline's own assignment (a campaign offer), or nothing.
    /// `known`: the interaction as this process just wrote it (a screen pop), used instead of reading it again.
    func binding(
        _ principal: Principal, interaction id: InteractionID?, reason: Bool, assigned: Bool = false, known: Interaction? = nil
    ) async throws -> NeedToKnowBinding {
        let context: AccessContext
        if let id, let known, known.id == id, known.orgID == principal.orgID {
            context = .interaction(known)
        } else if let id {
            guard let row = try await interactions.find(id, org: principal.orgID) else { throw GuardlineError.notFound("The interaction") }
            context = .interaction(row.interaction)
        } else if assigned {
            context = .assignment
        } else if reason {
            context = .reason
        } else {
            context = .none
        }
        return NeedToKnowBinding(base: principal.profile, user: principal.user.id, context: context, now: clock.now, wrapUp: wrapUp)
    }
}
