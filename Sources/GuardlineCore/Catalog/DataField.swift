/// A personal-data field of a contact, tied to the purposes that justify holding it.
///
/// `category` uses the dotted privacy vocabulary (`user.contact.phone`) so the
/// same words appear in code, database and records of processing.
public struct DataField: Sendable, Equatable {
    public var key: FieldKey
    public var label: String
    public var category: String
    /// Art. 9 special category (health, biometrics...): hidden unless a profile says otherwise.
    public var specialCategory: Bool
    public var purposes: [String]
    /// The journey stages at which it may be collected (empty: any stage); asking
    /// for a date of birth from a lead is collecting more than the moment needs.
    public var stages: [String]

    public init(key: FieldKey, label: String, category: String, specialCategory: Bool, purposes: [String], stages: [String] = []) {
        self.key = key
        self.label = label
        self.category = category
        self.specialCategory = specialCategory
        self.purposes = purposes
        self.stages = stages
    }

    /// Whether it may be collected from a contact at this stage.
    public func collected(at stage: String) -> Bool { stages.isEmpty || stages.contains(stage) }
}

/// The key of a contact field as used by the API, the console and the store (`phone`, `birthDate`).
public struct FieldKey: Hashable, Sendable, Codable, Comparable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public static let name: FieldKey = "name"
    public static let phone: FieldKey = "phone"
    public static let email: FieldKey = "email"
    public static let address: FieldKey = "address"
    public static let birthDate: FieldKey = "birthDate"

    public var description: String { rawValue }
    public static func < (lhs: FieldKey, rhs: FieldKey) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// Keys follow `^[a-z][A-Za-z0-9]{0,39}$`: safe in HTML attributes, SQL and AAD.
    public var isWellFormed: Bool {
        guard let first = rawValue.unicodeScalars.first, rawValue.count <= 40, ("a"..."z").contains(first) else { return false }
        return rawValue.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }
}
