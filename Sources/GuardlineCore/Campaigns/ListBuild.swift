import Foundation

/// Why a targeted contact is left off a campaign's list, in the order the build
/// decides it: the first reason that applies is the one counted.
public enum ExclusionReason: String, Sendable, CaseIterable, Codable {
    /// Erased (a tombstone): nothing of them may be processed.
    case erased
    /// Processing restricted (Art. 18): stored, not used.
    case restricted
    /// Objected to a purpose pursued on another basis than consent (Art. 21): its latest decision is a refusal or withdrawal.
    case objection
    /// A consent purpose without consent granted and not withdrawn on this channel.
    case noLawfulBasis
    /// Their number or address is on the suppression list.
    case suppressed
    /// No number (phone, SMS) or address (email) on record to reach them by.
    case unreachable

    public var label: String {
        switch self {
        case .erased: "Erased"
        case .restricted: "Processing restricted"
        case .objection: "Objected"
        case .noLawfulBasis: "No lawful basis (no consent)"
        case .suppressed: "On the suppression list"
        case .unreachable: "No number or address"
        }
    }
}

/// What a list build did: how many contacts it listed, and how many it left off for each reason.
public struct ListBuild: Sendable, Equatable {
    public var included: Int
    public var excluded: [ExclusionReason: Int]
    public var builtAt: Date
    public var builtBy: String?

    public init(included: Int, excluded: [ExclusionReason: Int], builtAt: Date, builtBy: String?) {
        self.included = included
        self.excluded = excluded
        self.builtAt = builtAt
        self.builtBy = builtBy
    }

    /// Every reason with its count, zeros included, in the build's order.
    public var counts: [(reason: ExclusionReason, count: Int)] { ExclusionReason.allCases.map { ($0, excluded[$0] ?? 0) } }
}
