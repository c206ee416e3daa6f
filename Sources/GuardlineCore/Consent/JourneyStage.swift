/// Where a contact stands in the customer journey. Fields and purposes name the
/// stages at which they may be asked, so an agent asks for what the moment
/// needs and no more (progressive profiling). Organizations rename and add stages.
public struct JourneyStage: Sendable, Equatable, Codable {
    public var key: String
    public var label: String

    public init(key: String, label: String) {
        self.key = key
        self.label = label
    }

    public static let standard: [JourneyStage] = [
        JourneyStage(key: "lead", label: "Lead"),
        JourneyStage(key: "prospect", label: "Prospect"),
        JourneyStage(key: "customer", label: "Customer"),
        JourneyStage(key: "former_customer", label: "Former customer"),
    ]

    /// The stage a contact starts at when none is given.
    public static let initial = "lead"

    /// Stage keys follow `^[a-z][a-z0-9_]{0,39}$`, like purpose keys.
    public static func isWellFormed(_ key: String) -> Bool { CatalogRules.isPurposeKey(key) }
}
