import Foundation

/// What a profile's holder must show before a contact opens beyond the minimal lookup
/// view: nothing (the DPO), the live interaction they hold with that contact (the call
/// they answered, the chat they have), or that or a stated reason, which is audited.
public enum ContextRule: String, Sendable, Codable, CaseIterable {
    case none
    case interaction
    case interactionOrReason

    public var label: String {
        switch self {
        case .none: "No context needed"
        case .interaction: "Only within a live interaction"
        case .interactionOrReason: "Within a live interaction, or for a stated reason"
        }
    }
}

/// Why a person opens a contact now.
public enum AccessContext: Sendable, Equatable {
    /// Nothing said: under a profile that needs context, the minimal lookup view.
    case none
    /// The interaction they hold with the contact.
    case interaction(Interaction)
    /// A reason typed by the person (sealed apart; only its note reference is audited).
    case reason
    /// Guardline handed the contact to them (a campaign offer): that is the context.
    case assignment
}

/// Need-to-know bound to the live interaction: which profile a read runs under.
public enum NeedToKnow {
    /// Whether the profile opens contacts without context (the DPO's): no minimal view, no need to bind reads.
    public static func isBound(_ profile: AccessProfile) -> Bool { profile.contextRule != .none }

    /// How long after a call ends its agent keeps the contact open for wrap-up, unless they close it.
    public static let defaultWrapUp: TimeInterval = 300

    /// The profile to project `contact` with for `user`, or a refusal that says why.
    public static func profile(
        _ profile: AccessProfile, context: AccessContext, user: UserID, contact: ContactID, now: Date, wrapUp: TimeInterval
    ) throws -> AccessProfile {
        // An interaction named must be this person's live one with this contact, whatever the
        // profile: the audit entry names it, so it must be true.
        if case .interaction(let interaction) = context {
            guard interaction.contactID == contact else { throw GuardlineError.forbidden("That interaction is not with this contact.") }
            guard interaction.agentID == user else {
                throw GuardlineError.forbidden("That interaction is held by someone else; only its agent opens the contact through it.")
            }
            // A ring is not yet a conversation: the pop shows the caller minimal until the call is answered.
            switch interaction.state(at: now, wrapUp: wrapUp) {
            case .closed:
                throw GuardlineError.forbidden("That interaction is closed (its wrap-up has ended): it no longer opens the contact.")
            case .ringing:
                return profile.contextRule == .none ? profile : minimal(profile)
            case .active, .wrapUp:
                break
            }
            // One the agent logged themselves is their word that they talk to the contact, not the phone system's.
            guard interaction.source != .agent || profile.contextRule == .none else {
                throw GuardlineError.forbidden(
                    "An interaction you logged yourself does not open the contact: it opens within a call or chat the phone system or a chat platform handed you, or state a reason where your profile allows one.")
            }
            return profile
        }
        switch (profile.contextRule, context) {
        case (.none, _), (_, .assignment):
            return profile
        case (_, .none):
            return minimal(profile)
        case (.interaction, .reason):
            throw GuardlineError.forbidden(
                "Your access profile opens a contact only within a live interaction with them: give the interactionId of the call or chat you hold; a reason is not enough.")
        case (.interactionOrReason, .reason):
            return profile
        case (_, .interaction):
            return profile
        }
    }

    /// Enough to recognise a caller and nothing more: the name as initials and the phone
    /// masked, where the profile shows them at all; no other field, nothing editable.
    public static func minimal(_ profile: AccessProfile) -> AccessProfile {
        var narrowed = profile
        narrowed.fields = [:]
        for (field, format) in [(FieldKey.name, MaskFormat.initials), (.phone, .lastDigits)] {
            guard let rule = profile.fields[field], rule.access != .hidden else { continue }
            narrowed.fields[field] = rule.access == .masked && rule.mask == .redacted ? rule : .masked(format)
        }
        narrowed.capabilities.remove(.reveal)
        return narrowed
    }
}
