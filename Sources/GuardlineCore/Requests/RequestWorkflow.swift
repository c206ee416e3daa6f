/// The one place that decides how a request may move. Identity comes first: nothing
/// is carried out for a person not recognised (Art. 12(6)); requests that change or
/// destroy data then wait for approval; the final states are final.
public enum RequestWorkflow {
    /// Where a request goes once the person is recognised.
    public static func afterVerification(_ kind: RequestKind) -> RequestState { kind.needsApproval ? .awaitingApproval : .inProgress }

    public static func allows(_ from: RequestState, _ to: RequestState) -> Bool {
        switch (from, to) {
        case (.received, .verifyingIdentity), (.received, .inProgress), (.received, .awaitingApproval):
            true
        case (.verifyingIdentity, .inProgress), (.verifyingIdentity, .awaitingApproval):
            true
        case (.inProgress, .completed), (.awaitingApproval, .completed):
            true
        case (let state, .rejected), (let state, .cancelled):
            state.isOpen
        default:
            false
        }
    }

    /// Whether a repeat takes the answer of the request it repeats: the work done once serves
    /// both, but only for a repeat whose person was recognised too (an impostor's repeat is not
    /// answered with the real person's data); a refusal for doubts about identity is no
    /// answer to a repeat whose person was recognised, nor to one not yet checked.
    public static func followsAnswer(_ repeated: SubjectRequest, state: RequestState, rejection: RejectionReason?) -> Bool {
        guard repeated.state.isOpen else { return false }
        switch state {
        case .completed: return repeated.state.isVerified
        case .rejected: return rejection != .identityNotVerified
        default: return false
        }
    }

    /// Kinds whose requests carry what is asked (a purpose, corrections) repeat one another
    /// only when they ask the same: a second correction is a new request.
    public static func mayRepeat(_ kind: RequestKind) -> Bool { kind != .rectification }

    /// What a person objects to (Art. 21(1)): a use resting on legitimate interests or a public
    /// task. One resting on consent is stopped by withdrawing it; direct marketing always (no purpose).
    public static func mayObjectTo(_ purpose: Purpose) -> Bool {
        purpose.active && (purpose.lawfulBasis == .legitimateInterest || purpose.lawfulBasis == .publicTask)
    }

    /// Throws a conflict that says where the request is, when it cannot move to `to`.
    public static func check(_ request: SubjectRequest, to: RequestState) throws {
        guard allows(request.state, to) else {
            let why = switch (request.state.isOpen, to) {
            case (false, _): "it is already \(request.state.label.lowercased())"
            case (true, .completed): "the person's identity is not verified yet"
            case (true, .inProgress), (true, .awaitingApproval): "the person's identity is already verified"
            default: "it is \(request.state.label.lowercased())"
            }
            throw GuardlineError(.conflict, "The request cannot be \(verb(to)): \(why).")
        }
    }

    static func verb(_ state: RequestState) -> String {
        switch state {
        case .received: "received again"
        case .verifyingIdentity: "sent for identity verification"
        case .inProgress, .awaitingApproval: "verified"
        case .completed: "fulfilled"
        case .rejected: "rejected"
        case .cancelled: "cancelled"
        }
    }
}
