/// What came of one attempt to reach a listed contact.
public enum CallOutcome: String, Sendable, CaseIterable, Codable {
    case reached
    case noAnswer
    case busy
    /// They asked not to be contacted again: the number (or address) goes on the suppression list.
    case doNotCall
    case wrongNumber

    public var label: String {
        switch self {
        case .reached: "Reached"
        case .noAnswer: "No answer"
        case .busy: "Busy"
        case .doNotCall: "Do not call me"
        case .wrongNumber: "Wrong number"
        }
    }

    /// Whether the contact is tried again (while attempts remain).
    public var retries: Bool { self == .noAnswer || self == .busy }
}

/// Where a listed contact stands in its campaign.
public enum ListEntryState: String, Sendable, Codable {
    /// Waiting to be offered to an agent.
    case pending
    /// Offered to an agent who has not recorded the outcome yet.
    case offered
    /// Finished: reached, refused further contact, wrong number, or out of attempts.
    case done
    /// Left off the list, for its `ExclusionReason`.
    case excluded

    /// The state after an outcome, given the attempts made so far (this one included).
    public static func after(_ outcome: CallOutcome, attempts: Int, maxAttempts: Int) -> ListEntryState {
        outcome.retries && attempts < maxAttempts ? .pending : .done
    }
}
