import Foundation

/// Why a contact's processing is restricted (Art. 18(1)): a code the DPO picks,
/// never free text, so the record of it holds nothing about the person.
public enum RestrictionGround: String, Sendable, Codable, CaseIterable {
    /// (a) The person contests the accuracy of their data, while it is verified.
    case accuracyContested
    /// (b) The processing is unlawful and the person asks for restriction instead of erasure.
    case unlawfulProcessing
    /// (c) We no longer need the data; the person needs it kept for legal claims.
    case legalClaims
    /// (d) The person objected (Art. 21(1)), while their grounds are weighed against ours.
    case objectionPending

    public var label: String {
        switch self {
        case .accuracyContested: "Accuracy contested, being verified (Art. 18(1)(a))"
        case .unlawfulProcessing: "Unlawful processing, restriction asked instead of erasure (Art. 18(1)(b))"
        case .legalClaims: "Kept for the person's legal claims (Art. 18(1)(c))"
        case .objectionPending: "Objection being assessed (Art. 18(1)(d))"
        }
    }
}

/// Why a restriction ends. Art. 18(3): the person is told before it is lifted.
public enum RestrictionLift: String, Sendable, Codable, CaseIterable {
    /// The data was verified (and corrected where it was wrong).
    case accuracyVerified
    /// The objection was assessed and our legitimate grounds override the person's.
    case overridingGrounds
    /// The legal claims the data was kept for are settled.
    case legalClaimsSettled
    /// The person asked for the restriction to end.
    case personRequested

    public var label: String {
        switch self {
        case .accuracyVerified: "The data was verified or corrected"
        case .overridingGrounds: "The objection was assessed: our legitimate grounds override"
        case .legalClaimsSettled: "The legal claims are settled"
        case .personRequested: "The person asked for it to end"
        }
    }
}

/// A contact's restriction of processing: since when, and on which ground (nil for
/// restrictions recorded before grounds were).
public struct Restriction: Sendable, Equatable {
    public let since: Date
    public let ground: RestrictionGround?

    public init(since: Date, ground: RestrictionGround?) {
        self.since = since
        self.ground = ground
    }
}

/// What a DPO asks of a contact's restriction: to restrict it on a ground, or to lift it
/// for a reason once the person has been told (Art. 18(3)).
public enum RestrictionChange: Sendable, Equatable {
    case restrict(RestrictionGround)
    case lift(RestrictionLift)

    /// The change a request asks for, or why it cannot be made as asked.
    public static func requested(restricted: Bool, ground: String?, liftReason: String?, subjectInformed: Bool?) throws -> RestrictionChange {
        if restricted {
            guard liftReason == nil, subjectInformed == nil else {
                throw GuardlineError.invalid("'liftReason' and 'subjectInformed' go with lifting a restriction, not with restricting.")
            }
            guard let ground = ground.flatMap(RestrictionGround.init(rawValue:)) else {
                throw GuardlineError.invalid(
                    "Say on which ground processing is restricted (Art. 18(1)): 'ground' is one of \(RestrictionGround.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            return .restrict(ground)
        }
        guard ground == nil else { throw GuardlineError.invalid("'ground' goes with restricting, not with lifting a restriction.") }
        guard let reason = liftReason.flatMap(RestrictionLift.init(rawValue:)) else {
            throw GuardlineError.invalid(
                "Say why the restriction ends: 'liftReason' is one of \(RestrictionLift.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        guard subjectInformed == true else {
            throw GuardlineError.invalid("Art. 18(3): tell the person before the restriction is lifted, then confirm it with 'subjectInformed': true.")
        }
        return .lift(reason)
    }
}
