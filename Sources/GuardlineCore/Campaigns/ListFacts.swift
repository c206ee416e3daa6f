/// What a campaign's classification knows of one targeted contact: the facts its
/// exclusion reasons turn on, gathered by the store however is fastest (whole sets
/// for a list build, lookups for one contact at offer time).
public struct ListFacts: Sendable, Equatable {
    public var erased: Bool
    public var restricted: Bool
    /// Objected to the campaign's purpose (Art. 21).
    public var objected: Bool
    /// The latest consent decision for the purpose on the campaign's channel, if any.
    public var latest: ConsentDecision?
    /// A number (or address) of the channel's kind is on record.
    public var reachable: Bool
    /// One of those numbers (or addresses) is on the suppression list.
    public var suppressed: Bool

    public init(erased: Bool, restricted: Bool, objected: Bool, latest: ConsentDecision?, reachable: Bool, suppressed: Bool) {
        self.erased = erased
        self.restricted = restricted
        self.objected = objected
        self.latest = latest
        self.reachable = reachable
        self.suppressed = suppressed
    }
}

extension ExclusionReason {
    /// The exclusion order, in one place: the first reason that applies is the contact's;
    /// nil if nothing excludes them. On consent, only a standing grant is a basis. On any
    /// other basis, a refusal or withdrawal recorded while the purpose rested on consent
    /// still stands: an objection.
    public static func first(of facts: ListFacts, consentBasis: Bool) -> ExclusionReason? {
        if facts.erased { return .erased }
        if facts.restricted { return .restricted }
        if facts.objected { return .objection }
        if consentBasis {
            if facts.latest != .granted { return .noLawfulBasis }
        } else if let latest = facts.latest, latest != .granted {
            return .objection
        }
        if !facts.reachable { return .unreachable }
        if facts.suppressed { return .suppressed }
        return nil
    }
}
