import Foundation

/// Who may say a person is who they claim, and how (Art. 12(6)). Codes are checked by
/// the portal itself; staff who handle requests may record any other method; an agent
/// may vouch for a caller only during the call the phone system handed them with that
/// very person, by questions about details on record.
public enum RequestVerification {
    /// Methods only the portal records, after the person typed the code it sent.
    public static let portalMethods: Set<VerificationMethod> = [.emailCode, .smsCode]

    /// Whether a profile shows enough of a person to ask about it: some detail beside the
    /// number the person is calling from (which anyone holding the phone knows).
    public static func knowsDetails(_ profile: AccessProfile, catalog: FieldCatalog) -> Bool {
        catalog.keys.contains { key in
            guard key != .phone else { return false }
            switch AccessPolicy.decide(profile, field: key, catalog: catalog) {
            case .visible, .editable: return true
            case .hidden, .masked: return false
            }
        }
    }

    public static func check(
        _ method: VerificationMethod, request: SubjectRequest, handlesRequests: Bool, call: Interaction?, user: UserID, now: Date,
        wrapUp: TimeInterval, knowsDetails: Bool = true
    ) throws {
        guard !portalMethods.contains(method) else {
            throw GuardlineError.invalid("A one-time code is checked by the privacy portal itself; record how you verified the person instead.")
        }
        if method == .upstreamController, request.channel != .api {
            throw GuardlineError.invalid("'upstreamController' is for requests an upstream controller sent by API.")
        }
        if handlesRequests { return }
        guard method == .knowledgeQuestions else {
            throw GuardlineError.forbidden("On a call you verify a caller by questions about details on record; other methods are for the data protection team.")
        }
        guard knowsDetails else {
            throw GuardlineError.forbidden("Your access profile shows nothing of the person to ask about beyond their number; pass the request to a colleague or the data protection team.")
        }
        guard let call else {
            throw GuardlineError.forbidden("Only the data protection team verifies outside a call: give the interactionId of the call you hold with this person.")
        }
        guard call.contactID == request.contactID, call.agentID == user, call.channel == .voice, call.source != .agent,
              call.state(at: now, wrapUp: wrapUp) == .active
        else {
            throw GuardlineError.forbidden("That is not a live call you hold with this person; a caller is verified during the call itself.")
        }
    }
}
