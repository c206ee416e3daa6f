import Foundation

/// Why some of a person's data must outlive their erasure request (Art. 17(3)): the data
/// protection team records the ground, what it covers and until when. A hold on everything
/// stops an erasure; a hold on some fields lets the rest go and keeps those, restricted,
/// under the person's key, until it ends. The person is told the ground.
public struct ErasureHold: Sendable, Equatable {
    public enum Ground: String, Sendable, Codable, CaseIterable {
        /// Kept for the establishment, exercise or defence of legal claims (Art. 17(3)(e)): everything.
        case legalClaim
        /// A contract with the person is still open: what it needs (Art. 6(1)(b), 17(1)(a)).
        case openContract
        /// Invoices and accounting records the law obliges us to keep (Art. 17(3)(b)).
        case invoices

        public var coversEverything: Bool { self == .legalClaim }

        public var label: String {
            switch self {
            case .legalClaim: "Legal claims (Art. 17(3)(e))"
            case .openContract: "An open contract with you (Art. 6(1)(b))"
            case .invoices: "Invoices the law obliges us to keep (Art. 17(3)(b))"
            }
        }
    }

    public let id: UUID
    public let orgID: OrganizationID
    public let contactID: ContactID
    public let ground: Ground
    /// The fields kept; empty for a ground that covers everything.
    public let fields: [String]
    public let until: Date?
    /// The member of staff who placed it (user id).
    public let placedBy: String
    public let placedAt: Date
    public var liftedAt: Date?
    public var liftedBy: String?

    public init(
        id: UUID, orgID: OrganizationID, contactID: ContactID, ground: Ground, fields: [String], until: Date?, placedBy: String, placedAt: Date,
        liftedAt: Date? = nil, liftedBy: String? = nil
    ) {
        self.id = id
        self.orgID = orgID
        self.contactID = contactID
        self.ground = ground
        self.fields = fields
        self.until = until
        self.placedBy = placedBy
        self.placedAt = placedAt
        self.liftedAt = liftedAt
        self.liftedBy = liftedBy
    }

    public func isActive(at now: Date) -> Bool { liftedAt == nil && (until.map { $0 > now } ?? true) }

    /// What an erasure may do under these holds: nothing (`blockedBy`), or erase all but `kept`.
    public struct Effect: Sendable, Equatable {
        public let blockedBy: ErasureHold?
        public let kept: Set<String>
        public let grounds: [Ground]
    }

    public static func effect(of holds: [ErasureHold], at now: Date) -> Effect {
        let active = holds.filter { $0.isActive(at: now) }
        if let total = active.first(where: { $0.ground.coversEverything }) {
            return Effect(blockedBy: total, kept: [], grounds: [total.ground])
        }
        var grounds: [Ground] = []
        for hold in active where !grounds.contains(hold.ground) { grounds.append(hold.ground) }
        return Effect(blockedBy: nil, kept: Set(active.flatMap(\.fields)), grounds: grounds)
    }

    /// A hold as placed: fields named for a partial ground and none for a total one, an end in the future.
    public static func check(ground: Ground, fields: [String], until: Date?, known: Set<String>, now: Date) throws {
        if ground.coversEverything {
            guard fields.isEmpty else { throw GuardlineError.invalid("A hold for legal claims covers everything: name no fields.") }
        } else {
            guard !fields.isEmpty else { throw GuardlineError.invalid("Name the fields this ground keeps in 'fields'.") }
            guard fields.count <= 50 else { throw GuardlineError.invalid("At most 50 fields.") }
            guard fields.allSatisfy(known.contains), Set(fields).count == fields.count else {
                throw GuardlineError.invalid("'fields' names fields of the catalog, each once (\(known.sorted().joined(separator: ", "))).")
            }
        }
        if let until, until <= now { throw GuardlineError.invalid("'until' must be in the future.") }
    }
}
