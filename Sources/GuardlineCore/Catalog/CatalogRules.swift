import Foundation

/// What the data catalog accepts, in one place for the API and the console: the
/// privacy vocabulary's dotted categories, purpose keys, and the sizes that keep
/// a catalog, a profile and a field within reason.
public enum CatalogRules {
    public static let maxPurposesPerField = 20
    public static let maxFieldRules = 100
    public static let maxCapabilities = 20

    /// A new catalog field: key, label, a dotted category (`user.contact.phone`), a few purposes,
    /// stages among the organization's.
    public static func check(_ field: DataField, stages: [JourneyStage]) throws {
        try checkStages(field.stages, known: stages)
        guard field.key.isWellFormed else { throw GuardlineError.invalid("A field key is a letter then up to 39 letters or digits (camelCase).") }
        _ = try TextRules.required(field.label, "label", max: 200)
        guard field.category.unicodeScalars.count <= 100, field.category.range(of: #"^[a-z]+(\.[a-z_]+)*$"#, options: .regularExpression) != nil else {
            throw GuardlineError.invalid("'category' is a dotted key such as user.contact.phone.")
        }
        guard field.purposes.count <= maxPurposesPerField else { throw GuardlineError.invalid("A field names at most \(maxPurposesPerField) purposes.") }
    }

    /// A purpose: a key of lowercase letters, digits and underscores, words, a retention,
    /// at least one channel, and stages among the organization's (`stages`).
    public static func check(_ purpose: Purpose, stages: [JourneyStage]) throws {
        guard isPurposeKey(purpose.key) else {
            throw GuardlineError.invalid("A purpose key is lowercase letters, digits and underscores, starting with a letter (at most 40).")
        }
        _ = try TextRules.required(purpose.name, "name", max: 200)
        _ = try TextRules.required(purpose.description, "description", max: 2000)
        guard (1...36500).contains(purpose.retentionDays) else { throw GuardlineError.invalid("retentionDays must be 1 to 36500.") }
        guard !purpose.channels.isEmpty, Set(purpose.channels).count == purpose.channels.count else {
            throw GuardlineError.invalid("A purpose names one or more channels (phone, sms, email), each once.")
        }
        try checkStages(purpose.stages, known: stages)
    }

    /// Stage lists name known stages, each once.
    public static func checkStages(_ named: [String], known: [JourneyStage]) throws {
        let keys = Set(known.map(\.key))
        guard Set(named).count == named.count else { throw GuardlineError.invalid("'stages' names a stage twice.") }
        if let unknown = named.first(where: { !keys.contains($0) }) {
            throw GuardlineError.invalid("Unknown stage '\(isPurposeKey(unknown) ? unknown : "(malformed)")'. Stages: \(known.map(\.key).joined(separator: ", ")).")
        }
    }

    /// Lowercase letters, digits and underscores, starting with a letter, at most 40: purpose and stage keys.
    public static func isPurposeKey(_ key: String) -> Bool {
        key.range(of: "^[a-z][a-z0-9_]{0,39}$", options: .regularExpression) != nil
    }

    /// A profile's size: field rules and capabilities.
    public static func checkProfileSize(fieldRules: Int, capabilities: Int) throws {
        guard fieldRules <= maxFieldRules, capabilities <= maxCapabilities else {
            throw GuardlineError.invalid("A profile holds at most \(maxFieldRules) field rules and \(maxCapabilities) capabilities.")
        }
    }
}
